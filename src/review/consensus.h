// Consolidation (issue 15, item 2): one consensus per reviewed clip, built
// from every independent review of it, which (not any single review) feeds
// the word error rate of the quality report, the agreement figures and the
// training exports.
//
// - The transcript is a word vote over the aligned reviews (util/word_vote.h,
//   in the spirit of NIST ROVER); each grading question is the majority of
//   yes/no answers, "can't tell" being no vote.
// - Ties go to the review with precedence: a lead's adjudication first, then
//   the reviewer with the better gold accuracy (review/gold.h), then the
//   earlier review. Gold reviews are not votes.
// - A lead's adjudication (review/double_review.h) is the consensus outright:
//   it exists because the reviews disagreed.
// - A clip with one review has a consensus of that review, marked reviews = 1:
//   the report shows what rests on a single review, and exports take only
//   clips with two or more (or an adjudication).
//
// The consensus text is normalized words (lower case, no punctuation, a
// bleep or mask as "[pii]"), sealed under the subject's key like the reviews
// it comes from, so erasing the subject shreds it too.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "store/db.h"

namespace earshot::review {

// One review as consolidation sees it.
struct ReviewForConsensus {
  std::string transcript;
  std::optional<bool> intended, heard_accurately, responded_appropriately;  // nullopt: can't tell
  bool not_speech = false;                                                  // flagged not_speech
  bool adjudication = false;  // a lead's decision of a disagreement
};

struct Consensus {
  std::vector<std::string> words;
  std::optional<bool> intended, heard_accurately, responded_appropriately;
  bool not_speech = false;
  bool adjudicated = false;
  int64_t reviews = 0;  // independent reviews it rests on (the adjudication not counted)
};

// The consensus of `reviews` in precedence order (see above). Pure.
Consensus Consolidate(const std::vector<ReviewForConsensus>& reviews);

// In the transaction that stored a review of `clip_id`: rebuilds the clip's
// consensus row from all its reviews, the machine's errors against it, and
// the first two reviews' distance to each other; and for each independent
// review, its word errors and matching grades against the consensus of the
// clip's other reviews, leave-one-out (annotations.cons_errors, cons_words,
// cons_grades_matched, cons_grades_compared; NULL where there is no other
// review, and for the adjudication). `subject_key` opens the
// reviews; `machine_masked` is the clip's masked hypothesis.
Status RebuildConsensus(store::Tx& tx, Context& ctx, const std::string& clip_id,
                        const std::string& subject_key, const std::string& machine_masked);

// The consensus transcript of a clip, opened with its subject's key.
Result<std::string> OpenConsensusText(const std::string& subject_key, const std::string& clip_id,
                                      const std::string& sealed);

}  // namespace earshot::review
