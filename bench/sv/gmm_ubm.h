// GMM-UBM speaker models for the speaker-verification attacker (bench/sv),
// after Reynolds, Quatieri & Dunn (2000): a diagonal-covariance universal
// background model trained by EM, speaker models by MAP adaptation of its
// means, and trials scored by the average per-frame log-likelihood ratio.
//
// Contract:
//  - Frames are feature vectors of one common dimension D (e.g. Mfcc()).
//  - Every function is pure and deterministic (TrainUbm given its seed), keeps
//    no state, and is safe to call from several threads at once.
//  - Preconditions are REQUIRES: these are bench tools, not service code, and
//    a broken precondition is a bug in the caller.
#pragma once

#include <cstdint>
#include <vector>

namespace earshot::sv {

using Frames = std::vector<std::vector<float>>;  // as in mfcc.h

// A diagonal-covariance Gaussian mixture; a plain value.
struct DiagGmm {
  std::vector<double> weights;  // K, summing to 1
  Frames means;                 // K x D
  Frames variances;             // K x D, all > 0

  int components() const { return static_cast<int>(weights.size()); }
  int dim() const { return means.empty() ? 0 : static_cast<int>(means[0].size()); }
};

// Trains a UBM: k-means++ seeding and Lloyd iterations on a seeded subsample,
// then `iterations` EM passes over all frames. Variances are floored at 1% of
// the global variance of each dimension; a component that loses (almost) all
// its frames keeps its previous mean and variance.
// If `log_likelihoods` is non-null it receives the average per-frame
// log-likelihood of the model before each EM pass and after the last one
// (iterations + 1 values), which EM never lets decrease.
// REQUIRES: frames non-empty, all of one dimension; components >= 1; iterations >= 0.
// Sizing: on ~400 s of speech from 4-8 speakers, 32 components beat 64 and
// 128 (which overfit the few speakers); scale up only with more data.
DiagGmm TrainUbm(const Frames& frames, int components, int iterations, uint64_t seed,
                 std::vector<double>* log_likelihoods = nullptr);

// MAP-adapts the UBM's means to `frames` with relevance factor r: each mean
// becomes (F_k + r * mu_k) / (N_k + r) from the zeroth and first order
// statistics N_k, F_k. Weights and variances stay the UBM's. Empty `frames`
// return the UBM unchanged.
DiagGmm MapAdaptMeans(const DiagGmm& ubm, const Frames& frames, double relevance = 16.0);

// Average per-frame log-likelihood of `frames` under `gmm`; 0 for no frames.
double AverageLogLikelihood(const DiagGmm& gmm, const Frames& frames);

// Average per-frame log-likelihood ratio log p(x|speaker) - log p(x|ubm), both
// summed over the `top_c` UBM components that score the frame highest (the
// usual fast approximation; top_c >= K is exact). Higher means "same speaker".
// 0 for no frames.
// REQUIRES: speaker_model has the UBM's K and D (typically MapAdaptMeans(ubm, ...)).
double Score(const DiagGmm& ubm, const DiagGmm& speaker_model, const Frames& frames, int top_c = 5);

}  // namespace earshot::sv
