// Agreement figures for the speech team (issue 15, item 3), per stream and
// UTC day over the last N days, from counts stored with each clip's
// consensus (review/consensus.h), so no text is opened:
// - inter-reviewer word error rate on double-reviewed clips (the first two
//   reviews' word edits over the longer one's words), with a bootstrap
//   interval over clips;
// - Krippendorff's alpha (nominal) for each grading question over the
//   independent reviews of double-reviewed clips ("can't tell" is a missing
//   value; the lead's adjudication is not a coder), with a bootstrap
//   interval over clips;
// - per reviewer, by pseudonym only: reviews done, and on clips with another
//   review or an adjudication their word error rate against the consensus of
//   the clip's other reviews and the share of their grades that match it
//   (leave-one-out, review/consensus.h); their gold accuracy and gold word error
//   rate, and whether they are flagged as far below the others
//   (review/gold.h). A disabled reviewer's reviews stay,
//   counted once.
// A clip counts on the day its consensus was last rebuilt. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "store/db.h"
#include "util/agreement_stats.h"

namespace earshot::review {

constexpr int kMaxAgreementDays = 90;
constexpr int64_t kDayMs = 86'400'000;

// The last `days` UTC day numbers (ms since the epoch / kDayMs) up to today,
// oldest first; InvalidArgument("bad_days") outside 1..max_days. Shared by
// the quality reports that are per day.
Result<std::vector<int64_t>> LastDays(Context& ctx, int days, int max_days);

// A bootstrap seed that depends only on what is measured (FNV-1a over
// `what` and `slice`), so one set of data always gives one interval.
uint64_t StableSeed(const std::string& what, int64_t slice);

struct QuestionAlphas {
  std::optional<Estimate> intended, heard_accurately, responded_appropriately;
};

struct AgreementSlice {
  int64_t double_reviewed = 0;  // clips with two or more independent reviews
  std::optional<Estimate> inter_reviewer_wer;
  QuestionAlphas alpha;
};

struct ReviewerAgreement {
  std::string pseudonym;
  int64_t reviews = 0;   // in the window
  int64_t compared = 0;  // of those, on clips with two or more reviews
  std::optional<double> wer_vs_consensus;
  std::optional<double> grade_agreement;  // matching answers / answers both gave
  // Their gold reviews in the window (review/gold.h).
  int64_t gold_reviews = 0;
  std::optional<Estimate> gold_accuracy;
  std::optional<double> gold_wer;
  bool below_others = false;  // flagged to leads
};

struct AgreementReport {
  std::string stream;
  std::vector<int64_t> days;  // day numbers (ms since the epoch / kDayMs), oldest first
  std::vector<AgreementSlice> per_day;
  AgreementSlice overall;                    // the whole window
  std::vector<ReviewerAgreement> reviewers;  // by pseudonym
  int64_t gold_clips = 0;                    // the stream's gold clips now
};

// InvalidArgument("bad_days") outside 1..kMaxAgreementDays;
// NotFound("unknown_stream").
Result<AgreementReport> AgreementFor(Context& ctx, const std::string& stream_name, int days);

// The per-reviewer figures of one stream over the reviews made from
// `from_ms` until before `until_ms`, for every reviewer or, when
// `only_reviewer` (a staff id) is set, for that one (below_others still
// weighs them against everyone).
Result<std::vector<ReviewerAgreement>> ReviewerFigures(store::Tx& tx, const std::string& stream_id,
                                                       int64_t from_ms, int64_t until_ms,
                                                       const std::string& only_reviewer);

// What a reviewer sees of their own work (issue 15, item 7): their figures
// per stream over the `days` whole UTC days that ended before today, and
// nothing of anyone else's. Today is left out so that a just-submitted
// review never moves a figure: a gold clip stays indistinguishable, since
// its score shows only the next day, pooled with the rest of a day's work.
struct OwnStreamQuality {
  std::string stream;
  ReviewerAgreement figures;  // below_others is for leads and not shown
};
struct OwnQuality {
  int64_t first_day = 0, last_day = 0;    // day numbers, inclusive
  std::vector<OwnStreamQuality> streams;  // by stream name
};
// InvalidArgument("bad_days") outside 1..kMaxAgreementDays.
Result<OwnQuality> OwnQualityOf(Context& ctx, const std::string& staff_id, int days);

}  // namespace earshot::review
