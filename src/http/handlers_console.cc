// The staff console's API: the quality report for leads, audit-chain state
// and erasure receipts for privacy officers, and accounts, streams and
// region pauses for admins. Nothing here returns a subject's identifier.
#include "audit/audit_log.h"
#include "http/routes.h"
#include "ingest/streams.h"
#include "pipeline/jobs.h"
#include "review/agreement.h"
#include "review/gold.h"
#include "review/product_quality.h"
#include "review/quality.h"
#include "review/training_export.h"
#include "rights/erasure.h"
#include "staff/account_admin.h"
#include "staff/accounts.h"
#include "staff/qr.h"
#include "staff/totp.h"
#include "util/encoding.h"

namespace earshot::http {

using nlohmann::json;

namespace {

json Optionals(const std::vector<std::optional<double>>& values) {
  json out = json::array();
  for (const auto& v : values) out.push_back(v ? json(*v) : json(nullptr));
  return out;
}

json StreamJson(const ingest::Stream& s) {
  return {{"name", s.spec.name},
          {"region", s.spec.region},
          {"sample_rate", s.spec.sample_rate},
          {"wake_word", s.spec.wake_word ? json(*s.spec.wake_word) : json(nullptr)},
          {"max_clip_s", s.spec.max_clip_ms / 1000.0},
          {"retention_default", s.spec.retention_default},
          {"anonymize_chain", s.spec.anonymize_chain},
          {"double_review", s.spec.double_review},
          {"disagreement_wer", s.spec.disagreement_wer},
          {"on_disagreement", s.spec.on_disagreement},
          {"gold_share", s.spec.gold_share}};
}

// The stream settings an admin may set, over `spec`'s current values.
Status ApplyStreamFields(const json& body, ingest::StreamSpec& spec) {
  auto bad = [](const std::string& msg) { return InvalidArgument("bad_stream", msg); };
  if (auto it = body.find("region"); it != body.end()) {
    if (!it->is_string()) return bad("region must be a string");
    ASSIGN_OR_RETURN(spec.region, ingest::NormalizeRegionCode(it->get<std::string>()));
  }
  if (auto it = body.find("sample_rate"); it != body.end()) {
    if (!it->is_number()) return bad("sample_rate must be a number");
    spec.sample_rate = it->get<double>();
  }
  if (auto it = body.find("wake_word"); it != body.end()) {
    if (it->is_null()) {
      spec.wake_word.reset();
    } else if (it->is_string()) {
      spec.wake_word = it->get<std::string>();
    } else {
      return bad("wake_word must be a string or null");
    }
  }
  if (auto it = body.find("max_clip_s"); it != body.end()) {
    if (!it->is_number()) return bad("max_clip_s must be a number");
    const double s = it->get<double>();
    if (!(s > 0 && s <= 3600)) return bad("max_clip_s must be more than 0 and at most 10");
    spec.max_clip_ms = static_cast<int64_t>(s * 1000);
  }
  if (auto it = body.find("retention_default"); it != body.end()) {
    if (!it->is_string()) return bad("retention_default must be a string");
    spec.retention_default = it->get<std::string>();
  }
  if (auto it = body.find("anonymize_chain"); it != body.end()) {
    if (!it->is_string()) return bad("anonymize_chain must be a string");
    spec.anonymize_chain = it->get<std::string>();
  }
  for (auto [field, value] : {std::pair{"double_review", &spec.double_review},
                              std::pair{"disagreement_wer", &spec.disagreement_wer},
                              std::pair{"gold_share", &spec.gold_share}}) {
    if (auto it = body.find(field); it != body.end()) {
      if (!it->is_number()) return bad(std::string(field) + " must be a fraction");
      *value = it->get<double>();
    }
  }
  if (auto it = body.find("on_disagreement"); it != body.end()) {
    if (!it->is_string()) return bad("on_disagreement must be third_review or adjudicate");
    spec.on_disagreement = it->get<std::string>();
  }
  return Status::Ok();
}

// The base32 key in a TOTP URI, for typing into an app that cannot scan.
std::string TotpKey(const std::string& uri) {
  const auto secret = staff::TotpSecretFromUri(uri);
  return secret ? staff::Base32Upper(*secret) : std::string();
}

}  // namespace

Result<Reply> get_quality_series(Call& c) {
  ASSIGN_OR_RETURN(auto hours,
                   IntParam(c.req, "hours", 48, 1, review::kMaxQualityHours, "bad_hours"));
  ASSIGN_OR_RETURN(auto report, review::QualityOverTime(c.ctx, hours));
  json streams = json::array();
  for (const auto& s : report.streams) {
    streams.push_back({{"name", s.stream},
                       {"wer", Optionals(s.wer)},
                       {"heard_accurately", Optionals(s.heard_accurately)},
                       {"responded_appropriately", Optionals(s.responded_appropriately)},
                       {"accidental_rate", Optionals(s.accidental_rate)},
                       {"bleeped_share", Optionals(s.bleeped_share)},
                       {"reviewed", s.reviewed},
                       {"queue_depth", s.queue_depth},
                       {"consensus_clips", s.consensus_clips},
                       {"single_review", s.single_review}});
  }
  return JsonReply(200, {{"hours", report.hours}, {"streams", streams}});
}

namespace {

json EstimateJson(const std::optional<Estimate>& e) {
  if (!e) return nullptr;
  return {{"value", e->value}, {"low", e->low}, {"high", e->high}, {"units", e->units}};
}

json SliceJson(const review::AgreementSlice& s) {
  return {{"double_reviewed", s.double_reviewed},
          {"inter_reviewer_wer", EstimateJson(s.inter_reviewer_wer)},
          {"alpha",
           {{"intended", EstimateJson(s.alpha.intended)},
            {"heard_accurately", EstimateJson(s.alpha.heard_accurately)},
            {"responded_appropriately", EstimateJson(s.alpha.responded_appropriately)}}}};
}

json OptionalJson(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}

// A reviewer's figures as both leads and the reviewer see them.
json ReviewerJson(const review::ReviewerAgreement& r) {
  return {{"reviews", r.reviews},
          {"compared", r.compared},
          {"wer_vs_consensus", OptionalJson(r.wer_vs_consensus)},
          {"grade_agreement", OptionalJson(r.grade_agreement)},
          {"gold_reviews", r.gold_reviews},
          {"gold_accuracy", EstimateJson(r.gold_accuracy)},
          {"gold_wer", OptionalJson(r.gold_wer)}};
}

}  // namespace

Result<Reply> get_review_my_quality(Call& c) {
  ASSIGN_OR_RETURN(auto days,
                   IntParam(c.req, "days", 14, 1, review::kMaxAgreementDays, "bad_days"));
  ASSIGN_OR_RETURN(auto own, review::OwnQualityOf(c.ctx, c.caller.staff->id, days));
  json streams = json::array();
  for (const auto& s : own.streams) {
    json one = ReviewerJson(s.figures);
    one["stream"] = s.stream;
    streams.push_back(std::move(one));
  }
  return JsonReply(200, {{"from", FormatRfc3339(own.first_day * review::kDayMs).substr(0, 10)},
                         {"to", FormatRfc3339(own.last_day * review::kDayMs).substr(0, 10)},
                         {"streams", streams}});
}

Result<Reply> get_quality_agreement(Call& c) {
  const std::string stream = c.req.QueryValue("stream");
  if (stream.empty()) return InvalidArgument("missing_stream", "stream=NAME is required");
  ASSIGN_OR_RETURN(auto days,
                   IntParam(c.req, "days", 14, 1, review::kMaxAgreementDays, "bad_days"));
  ASSIGN_OR_RETURN(auto report, review::AgreementFor(c.ctx, stream, days));
  json per_day = json::array();
  for (size_t i = 0; i < report.days.size(); ++i) {
    json day = SliceJson(report.per_day[i]);
    day["day"] = FormatRfc3339(report.days[i] * review::kDayMs).substr(0, 10);
    per_day.push_back(day);
  }
  json reviewers = json::array();
  for (const auto& r : report.reviewers) {
    json one = ReviewerJson(r);
    one["pseudonym"] = r.pseudonym;
    one["below_others"] = r.below_others;
    reviewers.push_back(std::move(one));
  }
  return JsonReply(200, {{"stream", report.stream},
                         {"days", per_day},
                         {"overall", SliceJson(report.overall)},
                         {"reviewers", reviewers},
                         {"gold_clips", report.gold_clips}});
}

namespace {

json QualitySliceJson(const review::QualitySlice& q) {
  return {{"clips", q.clips},
          {"single_review", q.single_review},
          {"wer", EstimateJson(q.wer)},
          {"heard_accurately", EstimateJson(q.heard_accurately)},
          {"responded_appropriately", EstimateJson(q.responded_appropriately)}};
}

std::string DayText(int64_t day) {
  return FormatRfc3339(day * review::kDayMs).substr(0, 10);
}

}  // namespace

Result<Reply> get_quality_product(Call& c) {
  const std::string stream = c.req.QueryValue("stream");
  if (stream.empty()) return InvalidArgument("missing_stream", "stream=NAME is required");
  ASSIGN_OR_RETURN(auto days, IntParam(c.req, "days", 14, 1, review::kMaxProductDays, "bad_days"));
  ASSIGN_OR_RETURN(auto report, review::ProductQuality(c.ctx, stream, days));
  json day_names = json::array();
  for (int64_t d : report.days) day_names.push_back(DayText(d));
  json locales = json::array();
  for (const auto& l : report.locales) {
    json per_day = json::array();
    for (const auto& q : l.per_day) per_day.push_back(QualitySliceJson(q));
    locales.push_back(
        {{"locale", l.locale}, {"days", per_day}, {"overall", QualitySliceJson(l.overall)}});
  }
  return JsonReply(200, {{"stream", report.stream}, {"days", day_names}, {"locales", locales}});
}

Result<Reply> get_quality_product_compare(Call& c) {
  const std::string stream = c.req.QueryValue("stream");
  if (stream.empty()) return InvalidArgument("missing_stream", "stream=NAME is required");
  ASSIGN_OR_RETURN(auto a, review::ParseDayRange(c.req.QueryValue("a"), "a"));
  ASSIGN_OR_RETURN(auto b, review::ParseDayRange(c.req.QueryValue("b"), "b"));
  ASSIGN_OR_RETURN(auto cmp, review::CompareRanges(c.ctx, stream, a, b));
  auto range = [](const review::DayRange& r) {
    return json{{"from", DayText(r.first)}, {"to", DayText(r.last)}};
  };
  json locales = json::array();
  for (const auto& l : cmp.locales) {
    locales.push_back(
        {{"locale", l.locale},
         {"a", QualitySliceJson(l.a)},
         {"b", QualitySliceJson(l.b)},
         {"change",
          {{"wer", EstimateJson(l.wer_change)},
           {"heard_accurately", EstimateJson(l.heard_accurately_change)},
           {"responded_appropriately", EstimateJson(l.responded_appropriately_change)}}}});
  }
  return JsonReply(
      200,
      {{"stream", cmp.stream}, {"a", range(cmp.a)}, {"b", range(cmp.b)}, {"locales", locales}});
}

Result<Reply> get_training_exports(Call& c) {
  ASSIGN_OR_RETURN(auto exports, review::ListExports(c.ctx));
  json out = json::array();
  for (const auto& e : exports) {
    out.push_back({{"id", e.id},
                   {"stream", e.stream},
                   {"format", e.format},
                   {"by", e.actor},
                   {"state", e.state},
                   {"utterances", e.utterances},
                   {"tombstones", e.tombstones},
                   {"at", FormatRfc3339(e.created_at_ms)}});
  }
  return JsonReply(200, {{"exports", out}});
}

Result<Reply> get_quality_gold(Call& c) {
  const std::string stream = c.req.QueryValue("stream");
  if (stream.empty()) return InvalidArgument("missing_stream", "stream=NAME is required");
  ASSIGN_OR_RETURN(auto gold, review::ListGold(c.ctx, stream));
  json out = json::array();
  for (const auto& g : gold) {
    out.push_back({{"id", g.id},
                   {"marked_by", g.marked_by},
                   {"marked_at", FormatRfc3339(g.marked_at_ms)},
                   {"served", g.served},
                   {"scored", g.scored},
                   {"correct", g.correct}});
  }
  return JsonReply(200, {{"stream", stream}, {"gold", out}});
}

Result<Reply> delete_quality_gold(Call& c) {
  RETURN_IF_ERROR(review::UnmarkGold(c.ctx, *c.caller.staff, c.Param(1)));
  return JsonReply(200, {{"status", "unmarked"}});
}

Result<Reply> get_audit_status(Call& c) {
  ASSIGN_OR_RETURN(auto v, audit::Verify(c.ctx));
  const audit::AnchorReport& a = v.anchor;
  return JsonReply(200, {{"ok", v.ok},
                         {"events", v.head.events},
                         {"head_seq", v.head.seq},
                         {"head_hash", v.head.hash},
                         {"broken_at", v.broken_at},
                         {"reason", v.reason},
                         {"anchor",
                          {{"ok", a.ok},
                           {"heads", a.heads},
                           {"last_seq", a.last_seq},
                           {"last_at", a.heads > 0 ? json(FormatRfc3339(a.last_at_ms)) : json()},
                           {"problems", a.problems},
                           {"reason", a.reason},
                           {"line", a.line},
                           {"seq", a.seq}}}});
}

Result<Reply> get_erasures(Call& c) {
  ASSIGN_OR_RETURN(auto erasures, rights::RecentErasures(c.ctx, 200));
  json out = json::array();
  for (const auto& e : erasures) {
    out.push_back({{"id", e.id},
                   {"scope", e.whole_subject ? "everything of a person" : "recording"},
                   {"state", Sql(e.state)},
                   {"requested_at", FormatRfc3339(e.requested_at_ms)},
                   {"completed_at",
                    e.completed_at_ms ? json(FormatRfc3339(*e.completed_at_ms)) : json(nullptr)}});
  }
  return JsonReply(200, {{"erasures", out}});
}

Result<Reply> get_admin_staff(Call& c) {
  ASSIGN_OR_RETURN(auto members, staff::ListMembers(c.ctx, c.caller.staff->pseudonym));
  json out = json::array();
  for (const auto& m : members) {
    out.push_back({{"name", m.member.name},
                   {"role", staff::RoleName(m.member.role)},
                   {"pseudonym", m.member.pseudonym},
                   {"enrolled", m.enrolled},
                   {"disabled", m.disabled}});
  }
  return JsonReply(200, {{"staff", out}});
}

Result<Reply> post_admin_staff(Call& c) {
  ASSIGN_OR_RETURN(auto body, JsonBody(c.req));
  auto name = StringField(body, "name");
  auto role = StringField(body, "role");
  if (!name.ok()) return name.status();
  if (!role.ok()) return role.status();
  // Privacy officers and admins are added on the host (earshot user add):
  // otherwise one admin could enrol two officers and approve a disclosure
  // alone, or make themselves more admins.
  const std::optional<staff::Role> wanted = staff::ParseRole(*role);
  if (wanted != staff::Role::kReviewer && wanted != staff::Role::kLead) {
    return Forbidden("privileged_role",
                     "add privacy officers and admins on the host with earshot user add");
  }
  ASSIGN_OR_RETURN(auto e, staff::AddUser(c.ctx, *name, *role, c.caller.staff->pseudonym));
  auto svg = staff::QrSvg(e.totp_uri);
  Reply r = JsonReply(201, {{"name", e.member.name},
                            {"role", staff::RoleName(e.member.role)},
                            {"pseudonym", e.member.pseudonym},
                            {"enrolment_secret", e.enrolment_secret},
                            {"totp_uri", e.totp_uri},
                            {"totp_secret", TotpKey(e.totp_uri)},
                            {"totp_qr_svg", svg ? json(*svg) : json(nullptr)},
                            {"recovery_codes", e.recovery_codes}});
  r.headers["Cache-Control"] = "no-store";
  return r;
}

Result<Reply> post_admin_staff_disable(Call& c) {
  ASSIGN_OR_RETURN(auto body, JsonBody(c.req));
  ASSIGN_OR_RETURN(auto name, StringField(body, "name"));
  RETURN_IF_ERROR(staff::DisableUser(c.ctx, *c.caller.staff, name));
  return JsonReply(200, {{"status", "disabled"}});
}

Result<Reply> post_admin_staff_enable(Call& c) {
  ASSIGN_OR_RETURN(auto body, JsonBody(c.req));
  ASSIGN_OR_RETURN(auto name, StringField(body, "name"));
  RETURN_IF_ERROR(staff::EnableUser(c.ctx, *c.caller.staff, name, staff::Reach::kConsole));
  return JsonReply(200, {{"status", "enabled"}});
}

Result<Reply> get_admin_streams(Call& c) {
  ASSIGN_OR_RETURN(auto streams, ingest::ListStreams(c.ctx));
  json out = json::array();
  for (const auto& s : streams) out.push_back(StreamJson(s));
  return JsonReply(200, {{"streams", out}});
}

// Jobs the de-identification chain gave up on: by failure class only, never
// their content or whose recording they were.
Result<Reply> get_admin_quarantined_jobs(Call& c) {
  ASSIGN_OR_RETURN(auto jobs, pipeline::ListQuarantinedJobs(c.ctx));
  json out = json::array();
  for (const auto& j : jobs) {
    out.push_back({{"id", j.id},
                   {"failure_class", j.failure_class},
                   {"attempts", j.attempts},
                   {"quarantined_at", FormatRfc3339(j.quarantined_at_ms)}});
  }
  return JsonReply(200, {{"jobs", out}});
}

// Creates the stream, or changes it if one with the name exists.
Result<Reply> post_admin_streams(Call& c) {
  ASSIGN_OR_RETURN(auto body, JsonBody(c.req));
  ASSIGN_OR_RETURN(auto name, StringField(body, "name"));
  std::optional<ingest::Stream> existing;
  auto found = ingest::FindStreamByName(c.ctx, name);
  if (found.ok()) {
    existing = *found;
  } else if (found.status().code() != Code::kNotFound) {
    return found.status();
  }
  Status st;
  ingest::StreamSpec spec = existing ? existing->spec : ingest::StreamSpec{};
  spec.name = name;
  st = ApplyStreamFields(body, spec);
  if (!st.ok()) return st;
  if (existing) {
    st = ingest::UpdateStream(c.ctx, spec, c.caller.staff->pseudonym);
    if (!st.ok()) return st;
    return JsonReply(200, {{"stream", StreamJson({existing->id, spec})}});
  }
  ASSIGN_OR_RETURN(auto created, ingest::CreateStream(c.ctx, spec, c.caller.staff->pseudonym));
  Reply r = JsonReply(201, {{"stream", StreamJson(created.stream)}, {"api_key", created.api_key}});
  r.headers["Cache-Control"] = "no-store";
  return r;
}

Result<Reply> get_admin_regions(Call& c) {
  ASSIGN_OR_RETURN(auto paused, ingest::PausedRegions(c.ctx));
  return JsonReply(200, {{"paused", paused}});
}

Result<Reply> post_admin_region_pause(Call& c) {
  ASSIGN_OR_RETURN(auto body, JsonBody(c.req));
  ASSIGN_OR_RETURN(auto region, StringField(body, "region"));
  const bool pause = c.req.path.find("/pause") != std::string::npos;
  RETURN_IF_ERROR(pause ? ingest::PauseRegion(c.ctx, region, c.caller.staff->pseudonym)
                        : ingest::ResumeRegion(c.ctx, region, c.caller.staff->pseudonym));
  return get_admin_regions(c);
}

}  // namespace earshot::http
