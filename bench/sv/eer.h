// Equal error rate for the speaker-verification attacker (bench/sv).
//
// Contract:
//  - A trial is accepted when its score is >= the threshold. Sweeping the
//    threshold over every distinct score (tied scores move together) traces
//    the false-acceptance rate (non-targets accepted) against the
//    false-rejection rate (targets rejected); the EER is where the two meet,
//    linearly interpolated between the two sweep points that bracket the
//    crossing.
//  - Returns a value in [0, 1]: 0 for perfectly separated scores, about 0.5
//    when targets and non-targets look alike, above 0.5 when they are inverted.
//  - Pure function; safe from any thread.
// REQUIRES: both score lists non-empty and free of NaN.
#pragma once

#include <vector>

namespace earshot::sv {

double EqualErrorRate(const std::vector<double>& target_scores,
                      const std::vector<double>& nontarget_scores);

}  // namespace earshot::sv
