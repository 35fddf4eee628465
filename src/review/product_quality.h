// The product's quality (issue 15, item 5), per stream, locale and UTC day:
// the machine hypothesis's word error rate against each clip's consensus
// (review/consensus.h), and the shares of requests the consensus says were
// heard accurately and answered appropriately, each with a 95% interval;
// and a comparison of two date ranges (before and after a model release)
// with the interval of each change.
//
// A clip counts on the day its recording was received (when the product
// heard the request, so a release date splits the data where the model
// changed), by the recording's locale. "Can't tell" is no answer: a share's
// denominator is the clips whose consensus answered. Clips resting on a
// single review count, and `single_review` says how many of a slice's did.
// Counts only; no text is opened. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "review/agreement.h"  // kDayMs
#include "util/agreement_stats.h"

namespace earshot::review {

// The longest window, and the longest range of a comparison, in days.
constexpr int kMaxProductDays = 90;

struct QualitySlice {
  int64_t clips = 0;            // with a consensus
  int64_t single_review = 0;    // of those, resting on one review
  std::optional<Estimate> wer;  // word edits over consensus words; bootstrap over clips
  std::optional<Estimate> heard_accurately, responded_appropriately;  // Wilson
};

struct LocaleQuality {
  std::string locale;  // "all" for every locale together
  std::vector<QualitySlice> per_day;
  QualitySlice overall;
};

struct ProductReport {
  std::string stream;
  std::vector<int64_t> days;           // day numbers (ms since the epoch / 86400000), oldest first
  std::vector<LocaleQuality> locales;  // "all" first, then by name
};

// InvalidArgument("bad_days") outside 1..kMaxProductDays;
// NotFound("unknown_stream").
Result<ProductReport> ProductQuality(Context& ctx, const std::string& stream_name, int days);

// Inclusive UTC days.
struct DayRange {
  int64_t first = 0, last = 0;
};

// "2026-11-01..2026-11-14" (or one day, "2026-11-01"). InvalidArgument
// ("bad_range") naming `what` when malformed, reversed or longer than
// kMaxProductDays.
Result<DayRange> ParseDayRange(const std::string& text, const std::string& what);

struct LocaleComparison {
  std::string locale;
  QualitySlice a, b;
  // b minus a: a bootstrap interval for the WER, Newcombe's for the shares.
  std::optional<Estimate> wer_change, heard_accurately_change, responded_appropriately_change;
};

struct Comparison {
  std::string stream;
  DayRange a, b;
  std::vector<LocaleComparison> locales;  // "all" first, then by name
};

// NotFound("unknown_stream").
Result<Comparison> CompareRanges(Context& ctx, const std::string& stream_name, DayRange a,
                                 DayRange b);

}  // namespace earshot::review
