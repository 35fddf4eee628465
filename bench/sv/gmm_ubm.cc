#include "sv/gmm_ubm.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <random>

namespace earshot::sv {
namespace {

constexpr int kLanes = 8;                     // accumulators the compiler can vectorise
constexpr double kVarianceFloorRatio = 0.01;  // of each dimension's global variance
constexpr double kMinOccupancy = 1e-3;        // frames' worth; below it a component keeps its shape
constexpr double kMinWeight = 1e-8;
constexpr double kPosteriorPrune = 1e-6;  // posteriors below this add nothing visible
constexpr size_t kKmeansSample = 20000;
constexpr int kKmeansIterations = 10;

double LogSumExp(const double* v, int n) {
  const double m = *std::max_element(v, v + n);
  if (m == -std::numeric_limits<double>::infinity()) return m;
  double s = 0.0;
  for (int i = 0; i < n; ++i) s += std::exp(v[i] - m);
  return m + std::log(s);
}

// Per-component log(w_k N(x; mu_k, var_k)) with the data laid out flat and
// padded to kLanes, so the inner loop has independent accumulators.
class Evaluator {
 public:
  explicit Evaluator(const DiagGmm& g)
      : k_(g.components()), d_(g.dim()), stride_((d_ + kLanes - 1) / kLanes * kLanes) {
    mean_.assign(static_cast<size_t>(k_) * stride_, 0.0f);
    inv_var_.assign(mean_.size(), 0.0f);
    const_.resize(k_);
    for (int k = 0; k < k_; ++k) {
      double log_det = 0.0;
      for (int d = 0; d < d_; ++d) {
        mean_[k * stride_ + d] = g.means[k][d];
        inv_var_[k * stride_ + d] = static_cast<float>(1.0 / g.variances[k][d]);
        log_det += std::log(g.variances[k][d]);
      }
      const_[k] = std::log(std::max(g.weights[k], kMinWeight)) -
                  0.5 * (d_ * std::log(2.0 * std::numbers::pi) + log_det);
    }
  }

  int components() const { return k_; }

  // Copies x into a padded buffer, as every other call expects.
  void Load(const std::vector<float>& x, std::vector<float>& padded) const {
    padded.assign(stride_, 0.0f);
    std::copy(x.begin(), x.end(), padded.begin());
  }

  double Component(int k, const float* x) const {
    const float* mu = &mean_[static_cast<size_t>(k) * stride_];
    const float* iv = &inv_var_[static_cast<size_t>(k) * stride_];
    float acc[kLanes] = {};
    for (int d = 0; d < stride_; d += kLanes) {
      for (int l = 0; l < kLanes; ++l) {
        const float diff = x[d + l] - mu[d + l];
        acc[l] += diff * diff * iv[d + l];
      }
    }
    float sum = 0.0f;
    for (float a : acc) sum += a;
    return const_[k] - 0.5 * sum;
  }

  // Fills out[k] for all k; returns log p(x).
  double All(const float* x, double* out) const {
    for (int k = 0; k < k_; ++k) out[k] = Component(k, x);
    return LogSumExp(out, k_);
  }

 private:
  int k_, d_, stride_;
  std::vector<float> mean_, inv_var_;
  std::vector<double> const_;
};

// Zeroth, first and second order statistics of the frames under a model.
struct Stats {
  std::vector<double> n;
  std::vector<std::vector<double>> f, s;
  double total_log_likelihood = 0.0;
};

Stats Accumulate(const DiagGmm& g, const Frames& frames, bool second_order) {
  const Evaluator eval(g);
  const int K = g.components(), D = g.dim();
  Stats st;
  st.n.assign(K, 0.0);
  st.f.assign(K, std::vector<double>(D, 0.0));
  if (second_order) st.s.assign(K, std::vector<double>(D, 0.0));
  std::vector<float> x;
  std::vector<double> ll(K);
  for (const auto& frame : frames) {
    eval.Load(frame, x);
    const double total = eval.All(x.data(), ll.data());
    st.total_log_likelihood += total;
    for (int k = 0; k < K; ++k) {
      const double post = std::exp(ll[k] - total);
      if (post < kPosteriorPrune) continue;
      st.n[k] += post;
      for (int d = 0; d < D; ++d) st.f[k][d] += post * x[d];
      if (second_order) {
        for (int d = 0; d < D; ++d) st.s[k][d] += post * x[d] * x[d];
      }
    }
  }
  return st;
}

std::vector<double> GlobalVariance(const Frames& frames) {
  const size_t D = frames[0].size();
  std::vector<double> sum(D, 0.0), sum_sq(D, 0.0);
  for (const auto& x : frames) {
    for (size_t d = 0; d < D; ++d) {
      sum[d] += x[d];
      sum_sq[d] += static_cast<double>(x[d]) * x[d];
    }
  }
  std::vector<double> var(D);
  for (size_t d = 0; d < D; ++d) {
    const double mu = sum[d] / frames.size();
    var[d] = std::max(sum_sq[d] / frames.size() - mu * mu, 1e-6);
  }
  return var;
}

double SquaredDistance(const std::vector<float>& a, const std::vector<float>& b) {
  double s = 0.0;
  for (size_t d = 0; d < a.size(); ++d) s += (a[d] - b[d]) * (a[d] - b[d]);
  return s;
}

// Uniform in [0, 1) from 53 random bits; unlike std::uniform_real_distribution
// it is the same on every standard library, so seeds reproduce everywhere.
double Uniform(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// k-means++ seeding then Lloyd iterations; returns cluster centres.
Frames KMeans(const Frames& sample, int k, std::mt19937_64& rng) {
  Frames centres = {sample[rng() % sample.size()]};
  std::vector<double> nearest(sample.size(), std::numeric_limits<double>::infinity());
  while (static_cast<int>(centres.size()) < k) {
    double total = 0.0;
    for (size_t i = 0; i < sample.size(); ++i) {
      nearest[i] = std::min(nearest[i], SquaredDistance(sample[i], centres.back()));
      total += nearest[i];
    }
    double target = Uniform(rng) * total;
    size_t pick = 0;
    while (pick + 1 < sample.size() && (target -= nearest[pick]) > 0) ++pick;
    centres.push_back(sample[pick]);
  }
  const size_t D = sample[0].size();
  for (int it = 0; it < kKmeansIterations; ++it) {
    std::vector<std::vector<double>> sum(k, std::vector<double>(D, 0.0));
    std::vector<int> count(k, 0);
    for (const auto& x : sample) {
      int best = 0;
      double best_d = std::numeric_limits<double>::infinity();
      for (int c = 0; c < k; ++c) {
        const double dist = SquaredDistance(x, centres[c]);
        if (dist < best_d) best_d = dist, best = c;
      }
      ++count[best];
      for (size_t d = 0; d < D; ++d) sum[best][d] += x[d];
    }
    for (int c = 0; c < k; ++c) {
      if (count[c] == 0) continue;  // keep an emptied centre where it was
      for (size_t d = 0; d < D; ++d) centres[c][d] = static_cast<float>(sum[c][d] / count[c]);
    }
  }
  return centres;
}

// Initial model: k-means centres, per-dimension global variances, equal weights.
DiagGmm InitialModel(const Frames& frames, int k, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Frames sample;
  if (frames.size() <= kKmeansSample) {
    sample = frames;
  } else {
    for (size_t i = 0; i < kKmeansSample; ++i) sample.push_back(frames[rng() % frames.size()]);
  }
  DiagGmm g;
  g.means = KMeans(sample, std::min<int>(k, static_cast<int>(sample.size())), rng);
  while (static_cast<int>(g.means.size()) < k) g.means.push_back(g.means.back());
  const std::vector<double> var = GlobalVariance(frames);
  g.variances.assign(k, std::vector<float>(var.begin(), var.end()));
  g.weights.assign(k, 1.0 / k);
  return g;
}

void MaximizationStep(const Stats& st, const std::vector<double>& floor, size_t num_frames,
                      DiagGmm& g) {
  const int K = g.components(), D = g.dim();
  for (int k = 0; k < K; ++k) {
    g.weights[k] = std::max(st.n[k] / num_frames, kMinWeight);
    if (st.n[k] < kMinOccupancy) continue;
    for (int d = 0; d < D; ++d) {
      const double mu = st.f[k][d] / st.n[k];
      const double var = st.s[k][d] / st.n[k] - mu * mu;
      g.means[k][d] = static_cast<float>(mu);
      g.variances[k][d] = static_cast<float>(std::max(var, floor[d]));
    }
  }
  const double total = std::accumulate(g.weights.begin(), g.weights.end(), 0.0);
  for (double& w : g.weights) w /= total;
}

}  // namespace

DiagGmm TrainUbm(const Frames& frames, int components, int iterations, uint64_t seed,
                 std::vector<double>* log_likelihoods) {
  DiagGmm g = InitialModel(frames, components, seed);
  std::vector<double> floor = GlobalVariance(frames);
  for (double& v : floor) v *= kVarianceFloorRatio;
  if (log_likelihoods) log_likelihoods->clear();
  for (int it = 0; it < iterations; ++it) {
    const Stats st = Accumulate(g, frames, /*second_order=*/true);
    if (log_likelihoods) log_likelihoods->push_back(st.total_log_likelihood / frames.size());
    MaximizationStep(st, floor, frames.size(), g);
  }
  if (log_likelihoods) log_likelihoods->push_back(AverageLogLikelihood(g, frames));
  return g;
}

DiagGmm MapAdaptMeans(const DiagGmm& ubm, const Frames& frames, double relevance) {
  DiagGmm adapted = ubm;
  if (frames.empty()) return adapted;
  const Stats st = Accumulate(ubm, frames, /*second_order=*/false);
  for (int k = 0; k < ubm.components(); ++k) {
    for (int d = 0; d < ubm.dim(); ++d) {
      adapted.means[k][d] =
          static_cast<float>((st.f[k][d] + relevance * ubm.means[k][d]) / (st.n[k] + relevance));
    }
  }
  return adapted;
}

double AverageLogLikelihood(const DiagGmm& gmm, const Frames& frames) {
  if (frames.empty()) return 0.0;
  const Evaluator eval(gmm);
  std::vector<float> x;
  std::vector<double> ll(gmm.components());
  double total = 0.0;
  for (const auto& frame : frames) {
    eval.Load(frame, x);
    total += eval.All(x.data(), ll.data());
  }
  return total / frames.size();
}

double Score(const DiagGmm& ubm, const DiagGmm& speaker_model, const Frames& frames, int top_c) {
  if (frames.empty()) return 0.0;
  const Evaluator ubm_eval(ubm), spk_eval(speaker_model);
  const int K = ubm.components();
  const int C = std::clamp(top_c, 1, K);
  std::vector<float> x;
  std::vector<double> ll(K), top_ubm(C), top_spk(C);
  std::vector<int> order(K);
  double total = 0.0;
  for (const auto& frame : frames) {
    ubm_eval.Load(frame, x);
    ubm_eval.All(x.data(), ll.data());
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + C, order.end(),
                      [&](int a, int b) { return ll[a] > ll[b]; });
    for (int c = 0; c < C; ++c) {
      top_ubm[c] = ll[order[c]];
      top_spk[c] = spk_eval.Component(order[c], x.data());
    }
    total += LogSumExp(top_spk.data(), C) - LogSumExp(top_ubm.data(), C);
  }
  return total / frames.size();
}

}  // namespace earshot::sv
