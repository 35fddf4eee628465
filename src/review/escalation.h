// What reviewers' flags set in motion (DESIGN.md invariants 8 and 9):
//  - "intimate" and "pii_audible" withdraw the clip at once from every queue;
//    "pii_audible" also records a redaction miss for the quality report.
//  - "distress" opens a case for privacy officers holding only the anonymized
//    clip and the reviewer's note. Disclosing who was recorded (for example
//    to emergency services) takes a request by one privacy officer and the
//    approval of a second (four eyes); each step is audited. A case is due
//    within Config::escalation_sla_ms.
// Thread-safe (all state in the database).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/row_states.h"
#include "staff/staff.h"
#include "store/db.h"
#include "util/byte_range.h"

namespace earshot::review {

// Applies `flags` for the annotation of `task_id` (on `clip_id`), inside the
// annotation's transaction.
Status ApplyFlags(store::Tx& tx, Context& ctx, const staff::StaffMember& reviewer,
                  const std::string& task_id, const std::string& clip_id,
                  const std::set<std::string>& flags, const std::string& note);

// Counts what ApplyFlags did, once its transaction has committed (a retried
// callback must not count twice; store/db.h).
void CountFlags(Context& ctx, const std::set<std::string>& flags);

struct EscalationCase {
  std::string id;
  EscalationState state = EscalationState::kOpen;
  int64_t opened_at_ms = 0;
  int64_t due_at_ms = 0;
  bool overdue = false;
  std::string note;         // the reviewer's note
  std::string masked_text;  // the clip's masked hypothesis
  int64_t duration_ms = 0;
  std::string requested_by;  // officer pseudonym, when a disclosure was requested
  int64_t requested_at_ms = 0;
  // The requesting officer's reason, for the approver to read before
  // approving (officers only; it may describe the harm, never whose).
  std::string reason;
  std::string approved_by;  // officer pseudonym, once disclosed
  int64_t approved_at_ms = 0;
};

// Cases not yet closed, oldest first.
Result<std::vector<EscalationCase>> ListOpenCases(Context& ctx);

// The case's anonymized clip as WAV (all of it, or one byte range), served
// under a play (review/plays.h; purpose "escalation", visible to the subject,
// no play limit) and audited. NotFound("no_such_case").
Result<ByteSlice> CaseAudio(Context& ctx, const staff::StaffMember& officer,
                            const std::string& case_id,
                            const std::optional<ByteRangeSpec>& range = std::nullopt);

// The first pair of eyes: open -> disclosure_requested.
// InvalidArgument("reason_required"); Conflict("bad_case_state").
Status RequestDisclosure(Context& ctx, const staff::StaffMember& officer,
                         const std::string& case_id, const std::string& reason);

struct Disclosure {
  std::string tenant;
  std::string account;    // the product's account id of the person recorded
  int64_t audit_seq = 0;  // the escalation.disclose event: the step's audit reference
};

// The second pair of eyes: disclosure_requested -> disclosed, returning who
// was recorded, once: nothing returns the account again (ListOpenCases says
// who approved and when). Forbidden("four_eyes") if `officer` made the
// request; Conflict("bad_case_state") unless a request waits (a second
// approval of a disclosed case among them).
Result<Disclosure> ApproveDisclosure(Context& ctx, const staff::StaffMember& officer,
                                     const std::string& case_id);

Status CloseCase(Context& ctx, const staff::StaffMember& officer, const std::string& case_id);

struct EscalationCounts {
  int64_t open = 0;
  int64_t overdue = 0;
};
Result<EscalationCounts> CountOpenCases(Context& ctx);

}  // namespace earshot::review
