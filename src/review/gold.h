// Gold clips (issue 15, item 4): consolidated clips whose answer a lead
// confirmed, served among each reviewer's ordinary tasks to measure them.
//
// - A lead marks a clip gold by submitting their own review of it (an
//   adjudication, or a second or third review) with "gold": true. The clip's
//   consensus after that review becomes the reference, and it must rest on
//   two or more independent reviews that did not call for a third, or on
//   the lead's adjudication (Conflict "not_consolidated" otherwise). The
//   reference is sealed under the subject's key, like the consensus.
// - LeaseNext, about to lease an ordinary task of a stream, draws with
//   probability StreamSpec::gold_share (default 0.05) a gold task instead:
//   a new task on a gold clip of that stream the reviewer was never given
//   (review/servable.h), least served first. It looks like any task (a
//   random id, the clip, the masked hypothesis), so a reviewer cannot tell.
//   The ordinary task stays queued. A gold task that runs out or is
//   skipped is withdrawn, never offered to anyone else.
// - A gold task's annotation is stored like any (the subject sees it) but
//   feeds no consensus, disagreement or agreement figure and does not
//   restart the clip's retention; it is scored against the reference
//   (ScoreAgainstGold) into gold_results.
// - Per reviewer and stream: gold accuracy (the share of gold reviews that
//   are correct, with a Wilson interval) and gold word error rate. A
//   reviewer with kMinGoldForFlag or more gold reviews whose interval lies
//   wholly below the pooled accuracy of the other reviewers (themselves
//   resting on kMinGoldForFlag or more) is flagged to leads.
// - Gold clips obey the clip's rules: served only while the subject holds
//   human_review consent, the recording is stored and retention has not
//   purged the clip. Withdrawing consent or erasing removes the gold mark
//   (WithdrawReview, the erasure).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "review/double_review.h"
#include "staff/staff.h"
#include "store/db.h"
#include "util/agreement_stats.h"

namespace earshot::review {

constexpr int64_t kMinGoldForFlag = 5;

struct GoldResult {
  int64_t word_errors = 0, ref_words = 0;
  int64_t answers_right = 0, answers_compared = 0;
  bool correct = false;
};

// A review against a gold reference: word errors with the reference's words
// as reference; each question the reference answered is compared ("can't
// tell" against an answer is a miss). Correct when the word error rate is at
// most `max_wer` (an empty reference needs an empty review) and every
// compared answer matches. Pure.
GoldResult ScoreAgainstGold(const ReviewAnswers& reference, const ReviewAnswers& review,
                            double max_wer);

// In the transaction of `lead`'s annotation of `clip_id`, after the clip's
// consensus was rebuilt: makes it a gold clip (see above). Re-marking a gold
// clip replaces its reference.
Status MarkGold(store::Tx& tx, Context& ctx, const staff::StaffMember& lead,
                const std::string& clip_id, const std::string& subject_key);

// In LeaseNext's transaction (see above): a gold task of `stream_id` leased
// to `reviewer` until `lease_until`, or nullopt (not drawn, or no gold clip
// they were never given).
Result<std::optional<std::string>> LeaseGoldTask(store::Tx& tx, Context& ctx,
                                                 const staff::StaffMember& reviewer,
                                                 const std::string& stream_id, double gold_share,
                                                 int64_t lease_until);

// In the transaction of the annotation of gold task `task_id`: scores it.
// A clip whose gold mark went meanwhile is not scored.
Status ScoreGoldTask(store::Tx& tx, Context& ctx, const std::string& task_id,
                     const std::string& clip_id, const std::string& reviewer_id,
                     const std::string& subject_key, const ReviewAnswers& answers);

struct ReviewerGold {
  std::string pseudonym;
  int64_t items = 0, correct = 0;
  std::optional<Estimate> accuracy;  // correct / items, Wilson interval
  std::optional<double> wer;         // word errors / reference words
  bool below_others = false;
};

// Sets below_others (see above) on each of `scores`. Pure.
void FlagGoldOutliers(std::vector<ReviewerGold>& scores);

// Per reviewer (by pseudonym), their gold reviews of `stream_id` from
// `from_ms` until before `until_ms`, flagged.
Result<std::vector<ReviewerGold>> GoldScores(store::Tx& tx, const std::string& stream_id,
                                             int64_t from_ms, int64_t until_ms);

// A gold clip as leads see it in the console: no content, no clip id.
struct GoldClip {
  std::string id;
  std::string marked_by;  // the lead's pseudonym
  int64_t marked_at_ms = 0;
  int64_t served = 0, scored = 0, correct = 0;
};

// NotFound("unknown_stream").
Result<std::vector<GoldClip>> ListGold(Context& ctx, const std::string& stream_name);

// Removes a gold mark (its reference was wrong, say); gold tasks of it still
// queued or leased are withdrawn. NotFound("no_such_gold").
Status UnmarkGold(Context& ctx, const staff::StaffMember& lead, const std::string& gold_id);

}  // namespace earshot::review
