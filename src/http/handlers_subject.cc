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

Reply get_me_recordings(Call& c) {
  auto list = rights::ListRecordings(c.ctx, c.caller.subject_id);
  if (!list.ok()) return ErrorReply(list.status());
  json out = json::array();
  for (const auto& r : *list) {
    out.push_back({{"id", r.id},
                   {"stream", r.stream_name},
                   {"captured_at", FormatRfc3339(r.captured_at_ms)},
                   {"duration_ms", r.duration_ms},
                   {"audio_available", r.audio_available},
                   {"heard_by_person", !r.listens.empty()},
                   {"listens", rights::ListensJson(r.listens)}});
  }
  return JsonReply(200, {{"recordings", out}});
}

Reply get_me_recording_audio(Call& c) {
  Reply bad_range;
  const auto range = AudioRange(c.req.get_header_value("Range"), &bad_range);
  if (bad_range.status != 200) return bad_range;
  auto wav = rights::RecordingAudioWav(c.ctx, c.caller.subject_id, c.Param(1));
  if (!wav.ok()) return ErrorReply(wav.status());
  // The person's own recording: ranges need no play.
  return AudioReply(SliceBytes(std::move(*wav), range));
}

Reply delete_me_recording(Call& c) {
  auto receipt = rights::EraseRecording(c.ctx, c.caller.subject_id, c.Param(1));
  if (!receipt.ok()) return ErrorReply(receipt.status());
  return JsonReply(200, ReceiptJson(*receipt));
}

Reply delete_me(Call& c) {
  auto receipt = rights::EraseSubject(c.ctx, c.caller.subject_id);
  if (!receipt.ok()) return ErrorReply(receipt.status());
  return JsonReply(200, ReceiptJson(*receipt));
}

// Streamed as it is read (rights/export.h): errors before the first byte
// are error replies; one after it cuts the archive short.
Reply get_me_export(Call& c) {
  auto started = rights::StartExport(c.ctx, c.caller.subject_id);
  if (!started.ok()) return ErrorReply(started.status());
  std::shared_ptr<rights::ExportStream> stream = std::move(*started);
  Reply r;
  r.content_type = "application/x-tar";
  r.stream = [stream](std::string& chunk) { return stream->Next(chunk); };
  r.headers["Cache-Control"] = "no-store";
  r.headers["Content-Disposition"] = "attachment; filename=\"earshot-export.tar\"";
  return r;
}

Reply get_me_consents(Call& c) {
  auto settings = rights::GetSettings(c.ctx, c.caller.subject_id);
  if (!settings.ok()) return ErrorReply(settings.status());
  json body = ConsentJson(settings->consents);
  // The retention chosen ("3m", "18m", "never"), or "default" for the stream's.
  body["retention"] = settings->retention.empty() ? "default" : settings->retention;
  return JsonReply(200, body);
}

Reply put_me_consents(Call& c) {
  auto body = JsonBody(c.req);
  if (!body.ok()) return ErrorReply(body.status());
  auto changes = ParseConsentChanges(*body);
  if (!changes.ok()) return ErrorReply(changes.status());
  auto policy = StringField(*body, "policy_version");
  if (!policy.ok()) return ErrorReply(policy.status());
  Status st = rights::UpdateConsents(c.ctx, c.caller.subject_id, *changes, *policy, "subject");
  if (!st.ok()) return ErrorReply(st);
  return get_me_consents(c);
}

Reply put_me_retention(Call& c) {
  auto body = JsonBody(c.req);
  if (!body.ok()) return ErrorReply(body.status());
  auto it = body->find("retention");
  if (it == body->end() || !it->is_string()) {
    return ErrorReply(InvalidArgument("bad_retention", "retention must be 3m, 18m or never"));
  }
  Status st = rights::SetRetention(c.ctx, c.caller.subject_id, it->get<std::string>());
  if (!st.ok()) return ErrorReply(st);
  return JsonReply(200, {{"retention", it->get<std::string>()}});
}

}  // namespace earshot::http
