// Handlers for privacy officers: distress cases, the four-eyes disclosure.
// Cases carry the reviewer's note and the anonymized clip; the identity of
// the person recorded appears only in the approval of a disclosure.
#include "http/routes.h"
#include "review/escalation.h"
#include "util/encoding.h"

namespace earshot::http {

using nlohmann::json;

Reply get_escalations(Call& c) {
  auto cases = review::ListOpenCases(c.ctx);
  if (!cases.ok()) return ErrorReply(cases.status());
  json out = json::array();
  for (const auto& e : *cases) {
    out.push_back(
        {{"id", e.id},
         {"state", e.state},
         {"opened_at", FormatRfc3339(e.opened_at_ms)},
         {"due_at", FormatRfc3339(e.due_at_ms)},
         {"overdue", e.overdue},
         {"note", e.note},
         {"masked_hypothesis", e.masked_text},
         {"duration_ms", e.duration_ms},
         {"disclosure_requested_by", e.requested_by.empty() ? json(nullptr) : json(e.requested_by)},
         {"audio_url", "/api/v1/escalations/" + e.id + "/audio"}});
  }
  return JsonReply(200, {{"cases", out}});
}

Reply get_escalation_audio(Call& c) {
  Reply bad_range;
  const auto range = AudioRange(c.req.get_header_value("Range"), &bad_range);
  if (bad_range.status != 200) return bad_range;
  auto slice = review::CaseAudio(c.ctx, *c.caller.staff, c.Param(1), range);
  if (!slice.ok()) return ErrorReply(slice.status());
  return AudioReply(std::move(*slice));
}

Reply post_escalation_disclosure(Call& c) {
  auto body = JsonBody(c.req);
  if (!body.ok()) return ErrorReply(body.status());
  auto reason = StringField(*body, "reason");
  if (!reason.ok()) return ErrorReply(reason.status());
  Status st = review::RequestDisclosure(c.ctx, *c.caller.staff, c.Param(1), *reason);
  if (!st.ok()) return ErrorReply(st);
  return JsonReply(200, {{"state", "disclosure_requested"}});
}

Reply post_escalation_approval(Call& c) {
  auto disclosed = review::ApproveDisclosure(c.ctx, *c.caller.staff, c.Param(1));
  if (!disclosed.ok()) return ErrorReply(disclosed.status());
  Reply r = JsonReply(
      200,
      {{"state", "disclosed"}, {"tenant", disclosed->tenant}, {"account", disclosed->account}});
  r.headers["Cache-Control"] = "no-store";
  return r;
}

Reply post_escalation_close(Call& c) {
  Status st = review::CloseCase(c.ctx, *c.caller.staff, c.Param(1));
  if (!st.ok()) return ErrorReply(st);
  return JsonReply(200, {{"state", "closed"}});
}

}  // namespace earshot::http
