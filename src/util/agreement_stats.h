// Agreement statistics for the speech team's figures (review/agreement.h):
// Krippendorff's alpha for nominal data and a ratio of sums (a word error
// rate), each with a percentile bootstrap interval over units. Pure;
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace earshot {

// A point estimate with a 95% interval, and the units it rests on.
struct Estimate {
  double value = 0;
  double low = 0, high = 0;
  int64_t units = 0;
};

// counts[u][c]: how many coders put unit u in category c (every unit has the
// same number of categories). Units with fewer than two values are not
// pairable and are left out (Krippendorff 2011). nullopt when fewer than two
// pairable values exist, or when every value is one category (no variation:
// alpha is undefined).
std::optional<double> NominalAlpha(const std::vector<std::vector<int64_t>>& counts);

// Resamples for every interval: enough for a stable 2.5/97.5 percentile
// without making a report slow.
constexpr int kBootstrapResamples = 400;

// NominalAlpha with a percentile bootstrap over the pairable units
// (resampled with replacement; resamples where alpha is undefined are left
// out). The draws are seeded by `seed`, so one set of data always gives one
// interval.
std::optional<Estimate> NominalAlphaInterval(const std::vector<std::vector<int64_t>>& counts,
                                             uint64_t seed, int resamples = kBootstrapResamples);

// sum(first) / sum(second) over units (word edits over words, say), with a
// percentile bootstrap over units. nullopt when the second parts sum to 0.
std::optional<Estimate> RatioInterval(const std::vector<std::pair<int64_t, int64_t>>& parts,
                                      uint64_t seed, int resamples = kBootstrapResamples);

// A share `successes` of `n` with its 95% Wilson score interval (Wilson
// 1927; good at small n and at shares near 0 or 1, where the normal
// approximation is not). nullopt when n is 0.
std::optional<Estimate> WilsonInterval(int64_t successes, int64_t n);

// The difference of two shares, b_successes/b_n - a_successes/a_n, with
// Newcombe's hybrid score interval built from the two Wilson intervals
// (Newcombe 1998, method 10). units is a_n + b_n. nullopt when either n is 0.
std::optional<Estimate> ShareDifference(int64_t a_successes, int64_t a_n, int64_t b_successes,
                                        int64_t b_n);

// The difference of two ratios of sums (RatioInterval), b minus a, with a
// percentile bootstrap that resamples each side's units independently.
// nullopt when either side's second parts sum to 0.
std::optional<Estimate> RatioDifferenceInterval(const std::vector<std::pair<int64_t, int64_t>>& a,
                                                const std::vector<std::pair<int64_t, int64_t>>& b,
                                                uint64_t seed, int resamples = kBootstrapResamples);

}  // namespace earshot
