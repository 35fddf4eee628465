// The review queue: leasing tasks to reviewers, streaming a leased clip,
// annotations and skips, and withdrawal when consent goes away.
//
// What a reviewer can reach is deliberately narrow (DESIGN.md invariants 3, 5):
// a task id (random), the clip's length, the masked machine hypothesis, the
// stream name; never the recording or subject id, account, serial or capture
// time. Audio is served only to the holder of a live lease.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/context.h"
#include "review/double_review.h"
#include "staff/staff.h"
#include "store/db.h"
#include "util/byte_range.h"

namespace earshot::review {

constexpr int kMaxLeasesPerReviewer = 2;  // the current clip and one prefetched

struct LeasedTask {
  std::string task_id;
  std::string stream_name;
  int64_t duration_ms = 0;
  std::string masked_hypothesis;
  int64_t lease_expires_at_ms = 0;
  // A lead's adjudication of a disagreement (review/double_review.h): the
  // reviews that disagreed, oldest first, shown to the lead only (no
  // reviewer ever sees another's answer).
  bool adjudication = false;
  std::vector<ReviewAnswers> reviews;
};

// What a lease takes: a review (reviewers) or an adjudication (leads).
enum class LeaseKind { kReview, kAdjudication };

// Leases the oldest assignable task to `reviewer`, or nullopt if none.
// Assignable: queued, its clip de-identified (every required stage passed),
// the subject's human_review consent active now, the stream's region not
// paused, not skipped before by this reviewer. Expired leases return to the
// queue first. Conflict("lease_limit") if the reviewer already holds
// kMaxLeasesPerReviewer live leases; the workload limits of
// review/workload.h (Conflict "on_break", "shift_cap_reached",
// "distress_cap_reached") come before any task. `kind` chooses review
// tasks or adjudication tasks (the caller checks that a lead asks for these).
Result<std::optional<LeasedTask>> LeaseNext(Context& ctx, const staff::StaffMember& reviewer,
                                            LeaseKind kind = LeaseKind::kReview);

// The tasks `reviewer` holds live leases on (a page reloaded resumes them),
// soonest expiry first.
Result<std::vector<LeasedTask>> ListLeases(Context& ctx, const staff::StaffMember& reviewer);

// The clip of a task as WAV bytes (all of them, or the one byte range asked
// for), only while `reviewer` holds its live lease; otherwise
// NotFound("no_such_task") (never revealing whether the task exists). The
// bytes are served under a play (review/plays.h): a new play is a listen the
// subject sees, limited to Config::max_plays_per_task; a range continues a
// live play. Refusals are Conflict, and audited. An unsatisfiable range
// comes back as a slice with satisfiable false, and records nothing.
Result<ByteSlice> TaskAudio(Context& ctx, const staff::StaffMember& reviewer,
                            const std::string& task_id,
                            const std::optional<ByteRangeSpec>& range = std::nullopt);

// Extends the live lease `reviewer` holds on the task to Config::lease_ms
// from now (a reviewer still working on it); returns the new expiry.
// NotFound("no_such_task") once it was withdrawn or ran out.
Result<int64_t> RenewLease(Context& ctx, const staff::StaffMember& reviewer,
                           const std::string& task_id);

// What the workstation draws for a clip: its waveform peaks (audio/peaks.h)
// and where it was bleeped (ms from the clip's start), under the same lease
// rule as TaskAudio; not a play and not a listen.
struct ClipOutline {
  std::vector<float> peaks;
  std::vector<std::pair<int64_t, int64_t>> bleeps;
  int64_t duration_ms = 0;
};
Result<ClipOutline> TaskPeaks(Context& ctx, const staff::StaffMember& reviewer,
                              const std::string& task_id, int buckets);

// The answer a reviewer gives where yes or no would be a guess (the intent
// is unclear, the words are bleeped or noise, the reply is unknown).
inline constexpr const char* kCantTell = "cant_tell";

struct AnnotationInput {
  std::string transcript;
  // nullopt: the reviewer answered "can't tell" (ParseAnnotation refuses a
  // question left unanswered).
  std::optional<bool> intended;                 // was the activation intended?
  std::optional<bool> heard_accurately;         // did the assistant hear the request?
  std::optional<bool> responded_appropriately;  // did it respond appropriately?
  std::string note;
  std::set<std::string> flags;  // distress, intimate, pii_audible, not_speech
  // A lead makes the clip gold with this review (review/gold.h).
  bool mark_gold = false;
};

// InvalidArgument("malformed_annotation") naming the field; then
// InvalidArgument("missing_answer") naming every question of the three
// (intended, heard_accurately, responded_appropriately) that is absent or
// null: each takes true, false or "cant_tell".
Result<AnnotationInput> ParseAnnotation(const std::string& json);

// Completes the task with the annotation (text sealed under the subject's key).
// Forbidden("not_a_lead") for mark_gold from anyone but a lead; MarkGold's
// Conflict("not_consolidated") undoes the whole annotation.
Status Annotate(Context& ctx, const staff::StaffMember& reviewer, const std::string& task_id,
                const AnnotationInput& input);

// Returns the task to the queue (a gold task is withdrawn instead); this
// reviewer will not be offered its clip again.
Status Skip(Context& ctx, const staff::StaffMember& reviewer, const std::string& task_id);

// What WithdrawReview stops: everything of one subject (consent withdrawn,
// a whole erasure), or of one recording (its erasure).
enum class WithdrawScope { kSubject, kRecording };

// In the caller's transaction: withdraws every queued or leased task of the
// clips in scope (a leased one is refused at its reviewer's next request),
// ends those clips' review, removes their gold marks, and drops every queued or running
// de-identification job of the recordings in scope (a running one's clips
// are refused at publication). Returns the number of tasks withdrawn.
Result<int64_t> WithdrawReview(store::Tx& tx, Context& ctx, WithdrawScope scope,
                               const std::string& id);

// Task counts by state.
Result<std::vector<std::pair<std::string, int64_t>>> TaskCounts(Context& ctx);

}  // namespace earshot::review
