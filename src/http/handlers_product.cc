// Handlers for product backends (stream API key) and operations.
#include <cstdio>
#include <map>

#include "http/multipart.h"
#include "http/openapi.h"
#include "http/routes.h"
#include "ingest/intake.h"
#include "pipeline/jobs.h"
#include "review/escalation.h"
#include "review/quality.h"
#include "review/queue.h"
#include "rights/subject_data.h"
#include "rights/subject_tokens.h"

namespace earshot::http {

using nlohmann::json;

Result<Reply> get_openapi(Call&) {
  return JsonReply(200, OpenApiDocument());
}

Result<Reply> get_healthz(Call& c) {
  if (Status st = c.ctx.db().Ping(); !st.ok()) {
    return Unavailable("db_unavailable", "the database is not reachable: " + st.reason());
  }
  return JsonReply(200, {{"status", "ok"}});
}

Result<Reply> get_metrics(Call& c) {
  std::string text = c.ctx.metrics().RenderPrometheus();
  auto gauge = [&text](const std::string& name, const auto& counts) {
    text += "# TYPE " + name + " gauge\n";
    for (const auto& [state, n] : counts) {
      text += name + "{state=\"" + state + "\"} " + std::to_string(n) + "\n";
    }
  };
  auto jobs = pipeline::JobCounts(c.ctx);
  auto tasks = review::TaskCounts(c.ctx);
  if (!jobs.ok()) return jobs.status();
  if (!tasks.ok()) return tasks.status();
  gauge("earshot_deid_jobs", *jobs);
  gauge("earshot_review_tasks", *tasks);
  ASSIGN_OR_RETURN(auto cases, review::CountOpenCases(c.ctx));
  text += "# TYPE earshot_escalations_open gauge\nearshot_escalations_open " +
          std::to_string(cases.open) + "\n";
  text += "# TYPE earshot_escalations_overdue gauge\nearshot_escalations_overdue " +
          std::to_string(cases.overdue) + "\n";
  // Over-redaction in production (issue 12): per stream, over the clips
  // published in the last 24 hours.
  ASSIGN_OR_RETURN(auto bleeped, review::BleepedLastDay(c.ctx));
  text +=
      "# HELP earshot_clip_bleeped_share Share of clip audio bleeped, clips of the last 24 h\n"
      "# TYPE earshot_clip_bleeped_share gauge\n";
  for (const auto& b : bleeped) {
    char value[32];
    std::snprintf(value, sizeof value, "%.4f", b.share);
    text += "earshot_clip_bleeped_share{stream=\"" + b.stream + "\"} " + value + "\n";
  }
  text += "# TYPE earshot_clips_published_24h gauge\n";
  for (const auto& b : bleeped) {
    text += "earshot_clips_published_24h{stream=\"" + b.stream + "\"} " + std::to_string(b.clips) +
            "\n";
  }
  Reply r;
  r.content_type = "text/plain; version=0.0.4";
  r.body = std::move(text);
  return r;
}

Result<Reply> post_recordings(Call& c) {
  auto reject = [&c](Status st) {
    ingest::CountRejection(c.ctx, st.reason());
    return st;
  };
  // Per API key, before anything is parsed or stored (issue 11).
  if (const int64_t wait_ms = c.ctx.ingest_limiter().Take(c.caller.stream->id); wait_ms > 0) {
    return reject(RateLimited("rate_limited",
                              "this stream's API key sends recordings faster "
                              "than allowed; retry after Retry-After seconds")
                      .WithRetryAfter((wait_ms + 999) / 1000));
  }
  auto form = ParseMultipart(c.req.Header("Content-Type"), c.req.body);
  if (!form.ok()) return reject(form.status());
  const FormPart* metadata = FindPart(*form, "metadata");
  if (metadata == nullptr) {
    return reject(InvalidArgument("malformed_metadata", "the metadata field is missing"));
  }
  const FormPart* audio = FindPart(*form, "audio");
  if (audio == nullptr) {
    return reject(InvalidArgument("missing_audio", "the audio file field is missing"));
  }
  const std::string metadata_text(metadata->data);
  auto meta = ingest::ParseMetadata(metadata_text);
  if (!meta.ok()) return reject(meta.status());
  // An optional "stream" name in the metadata must match the key's stream.
  // Any other name gets one answer, whether such a stream exists or not, so
  // a key cannot probe the names of other streams or tenants (issue 11).
  if (meta->stream && *meta->stream != c.caller.stream->spec.name) {
    return reject(Forbidden("stream_mismatch",
                            "the API key does not belong to the stream named in the metadata"));
  }
  ASSIGN_OR_RETURN(auto outcome,
                   ingest::IngestRecording(c.ctx, *c.caller.stream, *meta, audio->data));
  if (outcome.discarded) {
    // Nothing was stored: the wake word was not heard (an accidental activation).
    return JsonReply(200,
                     {{"id", nullptr}, {"discarded", true}, {"reason", "wake_word_not_heard"}});
  }
  return JsonReply(201, {{"id", outcome.recording_id}, {"duration_ms", outcome.duration_ms}});
}

namespace {

// {"store": bool, "human_review": bool, "training": bool}, any subset.
Result<std::map<rights::Purpose, bool>> ParsePurposes(const json& body) {
  auto it = body.find("purposes");
  if (it == body.end() || !it->is_object() || it->empty()) {
    return InvalidArgument("malformed_consent", "purposes must be an object of booleans");
  }
  std::map<rights::Purpose, bool> out;
  for (const auto& [name, value] : it->items()) {
    auto purpose = rights::ParsePurpose(name);
    if (!purpose) {
      return InvalidArgument("malformed_consent",
                             "unknown purpose " + name + "; use store, human_review, training");
    }
    if (!value.is_boolean()) {
      return InvalidArgument("malformed_consent", "purposes." + name + " must be true or false");
    }
    out[*purpose] = value.get<bool>();
  }
  return out;
}

}  // namespace

Result<Reply> put_consents(Call& c) {
  ASSIGN_OR_RETURN(auto body, JsonBody(c.req));
  ASSIGN_OR_RETURN(auto account, StringField(body, "account"));
  if (account.size() > 256) return InvalidArgument("bad_account", "account too long");
  ASSIGN_OR_RETURN(auto purposes, ParsePurposes(body));
  ASSIGN_OR_RETURN(auto policy, StringField(body, "policy_version"));
  ASSIGN_OR_RETURN(
      std::string subject_id,
      rights::UpdateAccountConsents(c.ctx, c.caller.stream->spec.tenant, account, purposes, policy,
                                    "product:" + c.caller.stream->spec.name));
  ASSIGN_OR_RETURN(auto settings, rights::GetSettings(c.ctx, subject_id));
  return JsonReply(200, ConsentJson(settings.consents));
}

Result<Reply> post_subject_tokens(Call& c) {
  ASSIGN_OR_RETURN(auto body, JsonBody(c.req));
  ASSIGN_OR_RETURN(auto account, StringField(body, "account"));
  int64_t ttl_ms = c.ctx.config().subject_token_ttl_ms;
  if (auto t = body.find("ttl_seconds"); t != body.end()) {
    if (!t->is_number_integer() || t->get<int64_t>() <= 0) {
      return InvalidArgument("bad_ttl", "ttl_seconds must be a positive integer");
    }
    ttl_ms = std::min(t->get<int64_t>(), c.ctx.config().subject_token_max_ttl_ms / 1000) * 1000;
  }
  ASSIGN_OR_RETURN(auto token,
                   rights::MintSubjectToken(c.ctx, c.caller.stream->spec.tenant, account, ttl_ms));
  return JsonReply(201, {{"token", token}, {"expires_in", ttl_ms / 1000}});
}

// Used by the subject handlers too.
nlohmann::json ConsentJson(const rights::ConsentState& s) {
  return {{"purposes",
           {{"store", s.store}, {"human_review", s.human_review}, {"training", s.training}}},
          {"policy_version", s.policy_version}};
}

Reply ConsentReply(const rights::ConsentState& s) {
  return JsonReply(200, ConsentJson(s));
}
Result<std::map<rights::Purpose, bool>> ParseConsentChanges(const json& body) {
  return ParsePurposes(body);
}

}  // namespace earshot::http
