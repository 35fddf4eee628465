// Handlers for the person recorded (subject token). Every call is scoped to
// the token's subject by the domain functions.
#include <memory>

#include "http/routes.h"
#include "rights/erasure.h"
#include "rights/export.h"
#include "rights/subject_data.h"
#include "util/encoding.h"

namespace earshot::http {

using nlohmann::json;

namespace {
json ReceiptJson(const rights::ErasureReceipt& r) {
  return {{"erasure",
           {{"id", r.erasure_id},
            {"recordings_erased", r.recordings_erased},
            {"completed_at", FormatRfc3339(r.completed_at_ms)}}}};
}
}  // namespace

Result<Reply> get_me_recordings(Call& c) {
  ASSIGN_OR_RETURN(auto list, rights::ListRecordings(c.ctx, c.caller.subject_id));
  json out = json::array();
  for (const auto& r : list) {
    json clips = json::array();
    for (const auto& clip : r.heard.clips) {
      clips.push_back({{"id", clip.id},
                       {"masked_text", clip.masked_text},
                       {"duration_ms", clip.duration_ms},
                       {"audio_url", "/api/v1/me/clips/" + clip.id + "/audio"}});
    }
    out.push_back({{"id", r.id},
                   {"stream", r.stream_name},
                   {"captured_at", FormatRfc3339(r.captured_at_ms)},
                   {"duration_ms", r.duration_ms},
                   {"audio_available", r.audio_available},
                   {"transcript", r.heard.transcript ? json(*r.heard.transcript) : json(nullptr)},
                   {"clips", clips},
                   {"heard_by_person", !r.listens.empty()},
                   {"listens", rights::ListensJson(r.listens)}});
  }
  return JsonReply(200, {{"recordings", out}});
}

// The person's own audio (`wav_of` the subject and the path's id), any byte
// range: none of it is a play or a listen.
Result<Reply> OwnAudio(Call& c, Result<std::string> (*wav_of)(Context&, const std::string&,
                                                              const std::string&)) {
  Reply bad_range;
  const auto range = AudioRange(c.req.Header("Range"), &bad_range);
  if (bad_range.status != 200) return bad_range;
  ASSIGN_OR_RETURN(auto wav, wav_of(c.ctx, c.caller.subject_id, c.Param(1)));
  return AudioReply(SliceBytes(std::move(wav), range));
}

Result<Reply> get_me_recording_audio(Call& c) {
  return OwnAudio(c, rights::RecordingAudioWav);
}

// What a reviewer hears, played by the person recorded.
Result<Reply> get_me_clip_audio(Call& c) {
  return OwnAudio(c, rights::HeardClipWav);
}

Result<Reply> delete_me_recording(Call& c) {
  ASSIGN_OR_RETURN(auto receipt, rights::EraseRecording(c.ctx, c.caller.subject_id, c.Param(1)));
  return JsonReply(200, ReceiptJson(receipt));
}

Result<Reply> delete_me(Call& c) {
  ASSIGN_OR_RETURN(auto receipt, rights::EraseSubject(c.ctx, c.caller.subject_id));
  return JsonReply(200, ReceiptJson(receipt));
}

// Streamed as it is read (rights/export.h): errors before the first byte
// are error replies; one after it cuts the archive short.
// ?format=tar (the default, for programs) or zip (for people: the dashboard).
Result<Reply> get_me_export(Call& c) {
  const std::string format = c.req.HasQuery("format") ? c.req.QueryValue("format") : "tar";
  if (format != "tar" && format != "zip") {
    return InvalidArgument("bad_format", "format must be tar or zip");
  }
  const bool zip = format == "zip";
  ASSIGN_OR_RETURN(auto started, rights::StartExport(c.ctx, c.caller.subject_id,
                                                     zip ? rights::ArchiveFormat::kZip
                                                         : rights::ArchiveFormat::kTar));
  std::shared_ptr<rights::ExportStream> stream = std::move(started);
  Reply r;
  r.content_type = zip ? "application/zip" : "application/x-tar";
  r.stream = [stream](std::string& chunk) { return stream->Next(chunk); };
  r.headers["Cache-Control"] = "no-store";
  r.headers["Content-Disposition"] =
      std::string("attachment; filename=\"my-voice-recordings.") + format + "\"";
  return r;
}

Result<Reply> get_me_consents(Call& c) {
  ASSIGN_OR_RETURN(auto settings, rights::GetSettings(c.ctx, c.caller.subject_id));
  json body = ConsentJson(settings.consents);
  // The retention chosen ("3m", "18m", "never"), or "default" for the stream's.
  body["retention"] = settings.retention.empty() ? "default" : settings.retention;
  return JsonReply(200, body);
}

Result<Reply> put_me_consents(Call& c) {
  ASSIGN_OR_RETURN(auto body, JsonBody(c.req));
  ASSIGN_OR_RETURN(auto changes, ParseConsentChanges(body));
  ASSIGN_OR_RETURN(auto policy, StringField(body, "policy_version"));
  RETURN_IF_ERROR(rights::UpdateConsents(c.ctx, c.caller.subject_id, changes, policy, "subject"));
  return get_me_consents(c);
}

Result<Reply> put_me_retention(Call& c) {
  ASSIGN_OR_RETURN(auto body, JsonBody(c.req));
  auto it = body.find("retention");
  if (it == body.end() || !it->is_string()) {
    return InvalidArgument("bad_retention", "retention must be 3m, 18m or never");
  }
  RETURN_IF_ERROR(rights::SetRetention(c.ctx, c.caller.subject_id, it->get<std::string>()));
  return JsonReply(200, {{"retention", it->get<std::string>()}});
}

}  // namespace earshot::http
