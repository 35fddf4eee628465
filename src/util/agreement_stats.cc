#include "util/agreement_stats.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace earshot {
namespace {

bool Pairable(const std::vector<int64_t>& unit) {
  int64_t m = 0;
  for (int64_t c : unit) m += c;
  return m >= 2;
}

// The 2.5th and 97.5th percentiles of `draws` (sorted here).
std::pair<double, double> Percentiles(std::vector<double>& draws) {
  std::sort(draws.begin(), draws.end());
  auto at = [&](double q) {
    const double pos = q * static_cast<double>(draws.size() - 1);
    const size_t lo = static_cast<size_t>(pos);
    const size_t hi = std::min(lo + 1, draws.size() - 1);
    return draws[lo] + (draws[hi] - draws[lo]) * (pos - static_cast<double>(lo));
  };
  return {at(0.025), at(0.975)};
}

// Resamples `n` units `resamples` times, calling `stat` on each resample's
// indices; the interval of the defined results.
template <typename Stat>
std::pair<double, double> Bootstrap(size_t n, uint64_t seed, int resamples, double point,
                                    const Stat& stat) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<size_t> pick(0, n - 1);
  std::vector<double> draws;
  std::vector<size_t> idx(n);
  for (int r = 0; r < resamples; ++r) {
    for (auto& i : idx) i = pick(rng);
    if (auto v = stat(idx)) draws.push_back(*v);
  }
  if (draws.empty()) return {point, point};
  return Percentiles(draws);
}

}  // namespace

std::optional<double> NominalAlpha(const std::vector<std::vector<int64_t>>& counts) {
  if (counts.empty()) return std::nullopt;
  const size_t k = counts[0].size();
  std::vector<double> n_c(k, 0.0);
  double observed = 0;  // sum over c != k of the coincidences o_ck
  for (const auto& unit : counts) {
    if (!Pairable(unit)) continue;
    int64_t m = 0;
    for (int64_t c : unit) m += c;
    // Ordered pairs of different values within the unit: m^2 - sum(n_uc^2).
    double same = 0;
    for (size_t c = 0; c < k; ++c) {
      same += static_cast<double>(unit[c]) * static_cast<double>(unit[c]);
      n_c[c] += static_cast<double>(unit[c]);
    }
    observed +=
        (static_cast<double>(m) * static_cast<double>(m) - same) / static_cast<double>(m - 1);
  }
  double n = 0, same_total = 0;
  for (double c : n_c) {
    n += c;
    same_total += c * c;
  }
  const double expected_pairs = n * n - same_total;  // sum over c != k of n_c n_k
  if (n < 2 || expected_pairs <= 0) return std::nullopt;
  return 1.0 - (n - 1.0) * observed / expected_pairs;
}

std::optional<Estimate> NominalAlphaInterval(const std::vector<std::vector<int64_t>>& counts,
                                             uint64_t seed, int resamples) {
  std::vector<std::vector<int64_t>> pairable;
  for (const auto& u : counts) {
    if (Pairable(u)) pairable.push_back(u);
  }
  const auto point = NominalAlpha(pairable);
  if (!point) return std::nullopt;
  std::vector<std::vector<int64_t>> sample(pairable.size());
  auto [low, high] =
      Bootstrap(pairable.size(), seed, resamples, *point, [&](const std::vector<size_t>& idx) {
        for (size_t i = 0; i < idx.size(); ++i) sample[i] = pairable[idx[i]];
        return NominalAlpha(sample);
      });
  return Estimate{*point, low, high, static_cast<int64_t>(pairable.size())};
}

std::optional<Estimate> RatioInterval(const std::vector<std::pair<int64_t, int64_t>>& parts,
                                      uint64_t seed, int resamples) {
  auto ratio = [&](const auto& pick) -> std::optional<double> {
    int64_t a = 0, b = 0;
    pick(a, b);
    if (b <= 0) return std::nullopt;
    return static_cast<double>(a) / static_cast<double>(b);
  };
  const auto point = ratio([&](int64_t& a, int64_t& b) {
    for (const auto& [x, y] : parts) a += x, b += y;
  });
  if (!point) return std::nullopt;
  auto [low, high] =
      Bootstrap(parts.size(), seed, resamples, *point, [&](const std::vector<size_t>& idx) {
        return ratio([&](int64_t& a, int64_t& b) {
          for (size_t i : idx) a += parts[i].first, b += parts[i].second;
        });
      });
  return Estimate{*point, low, high, static_cast<int64_t>(parts.size())};
}

std::optional<Estimate> WilsonInterval(int64_t successes, int64_t n) {
  if (n <= 0) return std::nullopt;
  constexpr double z = 1.959963984540054;  // the normal's 97.5th percentile
  const double nn = static_cast<double>(n);
  const double p = static_cast<double>(successes) / nn;
  const double denom = 1.0 + z * z / nn;
  const double centre = (p + z * z / (2.0 * nn)) / denom;
  const double half = z * std::sqrt(p * (1.0 - p) / nn + z * z / (4.0 * nn * nn)) / denom;
  return Estimate{p, std::max(0.0, centre - half), std::min(1.0, centre + half), n};
}

std::optional<Estimate> ShareDifference(int64_t a_successes, int64_t a_n, int64_t b_successes,
                                        int64_t b_n) {
  const auto a = WilsonInterval(a_successes, a_n);
  const auto b = WilsonInterval(b_successes, b_n);
  if (!a || !b) return std::nullopt;
  const double d = b->value - a->value;
  const double low = d - std::sqrt((b->value - b->low) * (b->value - b->low) +
                                   (a->high - a->value) * (a->high - a->value));
  const double high = d + std::sqrt((b->high - b->value) * (b->high - b->value) +
                                    (a->value - a->low) * (a->value - a->low));
  return Estimate{d, low, high, a_n + b_n};
}

std::optional<Estimate> RatioDifferenceInterval(const std::vector<std::pair<int64_t, int64_t>>& a,
                                                const std::vector<std::pair<int64_t, int64_t>>& b,
                                                uint64_t seed, int resamples) {
  auto ratio = [](const std::vector<std::pair<int64_t, int64_t>>& parts,
                  const std::vector<size_t>* idx) -> std::optional<double> {
    int64_t x = 0, y = 0;
    if (idx) {
      for (size_t i : *idx) x += parts[i].first, y += parts[i].second;
    } else {
      for (const auto& [p, q] : parts) x += p, y += q;
    }
    if (y <= 0) return std::nullopt;
    return static_cast<double>(x) / static_cast<double>(y);
  };
  const auto ra = ratio(a, nullptr), rb = ratio(b, nullptr);
  if (!ra || !rb) return std::nullopt;
  const double point = *rb - *ra;
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<size_t> pick_a(0, a.size() - 1), pick_b(0, b.size() - 1);
  std::vector<size_t> ia(a.size()), ib(b.size());
  std::vector<double> draws;
  for (int r = 0; r < resamples; ++r) {
    for (auto& i : ia) i = pick_a(rng);
    for (auto& i : ib) i = pick_b(rng);
    const auto x = ratio(a, &ia), y = ratio(b, &ib);
    if (x && y) draws.push_back(*y - *x);
  }
  auto [low, high] = draws.empty() ? std::pair{point, point} : Percentiles(draws);
  return Estimate{point, low, high, static_cast<int64_t>(a.size() + b.size())};
}

}  // namespace earshot
