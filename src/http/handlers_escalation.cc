// Handlers for privacy officers: distress cases, the four-eyes disclosure.
// Cases carry the reviewer's note and the anonymized clip; the identity of
// the person recorded appears only in the approval of a disclosure.
#include "app/row_states.h"
#include "http/routes.h"
#include "review/escalation.h"
#include "util/encoding.h"

namespace earshot::http {

using nlohmann::json;

Result<Reply> get_escalations(Call& c) {
  ASSIGN_OR_RETURN(auto cases, review::ListOpenCases(c.ctx));
  json out = json::array();
  for (const auto& e : cases) {
    out.push_back(
        {{"id", e.id},
         {"state", Sql(e.state)},
         {"opened_at", FormatRfc3339(e.opened_at_ms)},
         {"due_at", FormatRfc3339(e.due_at_ms)},
         {"overdue", e.overdue},
         {"note", e.note},
         {"masked_hypothesis", e.masked_text},
         {"duration_ms", e.duration_ms},
         {"disclosure_requested_by", e.requested_by.empty() ? json(nullptr) : json(e.requested_by)},
         {"disclosure_requested_at",
          e.requested_at_ms ? json(FormatRfc3339(e.requested_at_ms)) : json(nullptr)},
         {"reason", e.reason.empty() ? json(nullptr) : json(e.reason)},
         {"disclosure_approved_by", e.approved_by.empty() ? json(nullptr) : json(e.approved_by)},
         {"disclosure_approved_at",
          e.approved_at_ms ? json(FormatRfc3339(e.approved_at_ms)) : json(nullptr)},
         {"audio_url", "/api/v1/escalations/" + e.id + "/audio"}});
  }
  return JsonReply(200, {{"cases", out}});
}

Result<Reply> get_escalation_audio(Call& c) {
  Reply bad_range;
  const auto range = AudioRange(c.req.Header("Range"), &bad_range);
  if (bad_range.status != 200) return bad_range;
  ASSIGN_OR_RETURN(auto slice, review::CaseAudio(c.ctx, *c.caller.staff, c.Param(1), range));
  return AudioReply(std::move(slice));
}

Result<Reply> post_escalation_disclosure(Call& c) {
  ASSIGN_OR_RETURN(auto body, JsonBody(c.req));
  ASSIGN_OR_RETURN(auto reason, StringField(body, "reason"));
  RETURN_IF_ERROR(review::RequestDisclosure(c.ctx, *c.caller.staff, c.Param(1), reason));
  return JsonReply(200, {{"state", Sql(EscalationState::kDisclosureRequested)}});
}

Result<Reply> post_escalation_approval(Call& c) {
  ASSIGN_OR_RETURN(auto disclosed, review::ApproveDisclosure(c.ctx, *c.caller.staff, c.Param(1)));
  Reply r = JsonReply(200, {{"state", Sql(EscalationState::kDisclosed)},
                            {"tenant", disclosed.tenant},
                            {"account", disclosed.account},
                            {"audit_seq", disclosed.audit_seq}});
  r.headers["Cache-Control"] = "no-store";
  return r;
}

Result<Reply> post_escalation_close(Call& c) {
  RETURN_IF_ERROR(review::CloseCase(c.ctx, *c.caller.staff, c.Param(1)));
  return JsonReply(200, {{"state", Sql(EscalationState::kClosed)}});
}

}  // namespace earshot::http
