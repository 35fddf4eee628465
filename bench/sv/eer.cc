#include "sv/eer.h"

#include <algorithm>
#include <utility>

namespace earshot::sv {

double EqualErrorRate(const std::vector<double>& target_scores,
                      const std::vector<double>& nontarget_scores) {
  std::vector<std::pair<double, bool>> trials;  // (score, is_target)
  for (double s : target_scores) trials.emplace_back(s, true);
  for (double s : nontarget_scores) trials.emplace_back(s, false);
  std::sort(trials.begin(), trials.end());
  const double num_targets = static_cast<double>(target_scores.size());
  const double num_nontargets = static_cast<double>(nontarget_scores.size());

  // Threshold below every score: all accepted.
  double rejected_targets = 0.0, rejected_nontargets = 0.0;
  double far = 1.0, frr = 0.0;
  size_t i = 0;
  while (i < trials.size()) {
    // Raise the threshold past every trial tied at this score.
    const double score = trials[i].first;
    for (; i < trials.size() && trials[i].first == score; ++i) {
      (trials[i].second ? rejected_targets : rejected_nontargets) += 1.0;
    }
    const double next_far = 1.0 - rejected_nontargets / num_nontargets;
    const double next_frr = rejected_targets / num_targets;
    if (next_frr >= next_far) {
      // (far, frr) has frr < far and (next_far, next_frr) has frr >= far:
      // intersect the segment between them with the line frr == far.
      const double gap_before = far - frr;
      const double gap_after = next_far - next_frr;
      const double t = gap_before / (gap_before - gap_after);
      return far + t * (next_far - far);
    }
    far = next_far;
    frr = next_frr;
  }
  return far;  // unreachable: the last point has far == 0 and frr == 1
}

}  // namespace earshot::sv
