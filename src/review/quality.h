// The quality report over time, per stream and hour, for leads (issue 6):
// word error rate of the machine's hypothesis against each clip's consensus
// transcript (review/consensus.h, by the hour it was last rebuilt), the
// consensus shares "heard accurately" and "responded appropriately", how many
// of those clips rest on a single review, reviews done, queue depth and the accidental activation
// rate, and the share of clip audio that de-identification bleeped (issue
// 12: over-redaction must show in production, not only in our evaluation).
// Built from counts only (no text, no identifiers). Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"

namespace earshot::review {

constexpr int kMaxQualityHours = 168;

struct StreamQuality {
  std::string stream;
  // One entry per hour of QualityReport::hours; nullopt where nothing was
  // measured that hour.
  std::vector<std::optional<double>> wer, heard_accurately, responded_appropriately,
      accidental_rate;
  // Bleeped ms / clip ms of the clips published that hour.
  std::vector<std::optional<double>> bleeped_share;
  std::vector<int64_t> reviewed, queue_depth;
  // Clips whose consensus was last rebuilt that hour, and how many of them
  // rest on one review only (no second review, no adjudication).
  std::vector<int64_t> consensus_clips, single_review;
};

struct QualityReport {
  std::vector<int64_t> hours;  // hour numbers (ms since the epoch / 3,600,000), oldest first
  std::vector<StreamQuality> streams;
};

// The last `hours` hours up to and including the current one.
// InvalidArgument("bad_hours") outside 1..kMaxQualityHours.
Result<QualityReport> QualityOverTime(Context& ctx, int hours);

// Per stream name: the share of clip audio bleeped among the clips published
// in the last 24 hours, and how many those were (streams with none left out).
struct BleepedShare {
  std::string stream;
  double share = 0;
  int64_t clips = 0;
};
Result<std::vector<BleepedShare>> BleepedLastDay(Context& ctx);

}  // namespace earshot::review
