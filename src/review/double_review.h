// Double review (issue 15): a share of each stream's clips
// (StreamSpec::double_review) is reviewed by two reviewers independently, and
// where the two disagree a third review follows, or (the stream's
// on_disagreement = "adjudicate") a lead's adjudication: a task only leads
// lease (LeaseNext with LeaseKind::kAdjudication), which shows them both
// reviews and whose answer is the clip's consensus (review/consensus.h).
// A reviewer never gets a
// second task of a clip they were given before (LeaseNext), and no reviewer's
// answer is shown to another: each task's payload is the clip and the
// machine's masked words only.
//
// Which clips are doubled is a keyed draw per clip (like the recording
// sampler, ingest/sampler.h): the same clip always draws the same, and no one
// without the master key can predict or steer it.
#pragma once

#include <optional>
#include <string>

#include "app/context.h"
#include "store/db.h"

namespace earshot::review {

// At most this many independent reviews of one clip: two, and the third that
// settles their disagreement.
constexpr int64_t kMaxReviewsPerClip = 3;

// How many reviews a new clip of the stream gets: 2 if its draw falls under
// `fraction` (0: never, 1: always), else 1.
int64_t ReviewsWanted(Context& ctx, const std::string& stream_id, const std::string& clip_id,
                      double fraction);

// Queues one review task for the clip, in the caller's transaction; an
// adjudication task when `adjudication`.
Status QueueTask(store::Tx& tx, Context& ctx, const std::string& clip_id,
                 bool adjudication = false);

// What is compared of two reviews of one clip.
struct ReviewAnswers {
  std::string transcript;
  std::optional<bool> intended, heard_accurately, responded_appropriately;  // nullopt: can't tell
};

// A yes/no/can't-tell answer as stored (1, 0, NULL) and back.
std::optional<bool> StoredAnswer(const store::Row& row, size_t col);
store::Value AnswerValue(const std::optional<bool>& answer);

// The word error rate between two transcripts of one clip, symmetric: word
// edits (after NormalizedWords) over the longer one's word count; 0 when both
// are empty.
double TranscriptDisagreement(const std::string& a, const std::string& b);

// Whether two reviews disagree: their transcripts differ by more than
// `max_wer`, or one answered a question yes where the other answered no.
// "Can't tell" is no vote: it disagrees with nothing.
bool Disagree(const ReviewAnswers& a, const ReviewAnswers& b, double max_wer);

enum class Settlement { kNone, kThirdReview, kAdjudication };

// In the transaction that stored annotation `annotation_id` (its answers
// `answers`) for `clip_id`: when the clip wanted two reviews, both are in and
// they disagree (by the stream's disagreement_wer), queues one more task for
// the clip (a third review or an adjudication, by the stream's
// on_disagreement) and raises its reviews_wanted to 3. Returns which it
// queued. `subject_key` opens the other review's transcript (sealed under it).
Result<Settlement> SettleDisagreement(store::Tx& tx, Context& ctx, const std::string& clip_id,
                                      const std::string& annotation_id,
                                      const std::string& subject_key, const ReviewAnswers& answers);

}  // namespace earshot::review
