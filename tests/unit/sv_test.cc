// The speaker-verification attacker (bench/sv): EER, MFCC front end, GMM-UBM.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

#include "sv/eer.h"
#include "sv/gmm_ubm.h"
#include "sv/mfcc.h"

namespace earshot::sv {
namespace {

constexpr int kRate = 16000;

std::vector<int16_t> Tone(double hz, double seconds, double amplitude = 8000.0) {
  std::vector<int16_t> out(static_cast<size_t>(seconds * kRate));
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<int16_t>(amplitude * std::sin(2.0 * std::numbers::pi * hz * i / kRate));
  }
  return out;
}

std::vector<int16_t> WhiteNoise(double seconds, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> n(0.0, 3000.0);
  std::vector<int16_t> out(static_cast<size_t>(seconds * kRate));
  for (auto& s : out) s = static_cast<int16_t>(std::clamp(n(rng), -32000.0, 32000.0));
  return out;
}

// Mean of one feature dimension over all frames.
double MeanOf(const Frames& frames, int dim) {
  double s = 0.0;
  for (const auto& f : frames) s += f[dim];
  return s / frames.size();
}

// Frames drawn from N(centre, 1) in every dimension.
Frames Cluster(double centre, int count, int dim, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> n(0.0f, 1.0f);
  Frames out(count, std::vector<float>(dim));
  for (auto& f : out) {
    for (auto& v : f) v = static_cast<float>(centre) + n(rng);
  }
  return out;
}

TEST(Sv, EerOfSeparatedScoresIsZero) {
  EXPECT_DOUBLE_EQ(EqualErrorRate({3, 4, 5}, {0, 1, 2}), 0.0);
  EXPECT_DOUBLE_EQ(EqualErrorRate({10.5}, {-1, 10.4}), 0.0);
}

TEST(Sv, EerOfIdenticalDistributionsIsHalf) {
  std::vector<double> same;
  for (int i = 0; i < 100; ++i) same.push_back(i);
  EXPECT_DOUBLE_EQ(EqualErrorRate(same, same), 0.5);
  EXPECT_DOUBLE_EQ(EqualErrorRate({1.0}, {1.0}), 0.5);
}

TEST(Sv, EerOfInvertedScoresIsOne) {
  EXPECT_DOUBLE_EQ(EqualErrorRate({0, 1}, {2, 3}), 1.0);
}

TEST(Sv, EerInterpolatesHandComputedCase) {
  // Threshold 0.4: FAR 2/4, FRR 1/3. Threshold 0.6: FAR 1/4, FRR 1/3.
  // The segment between them meets FAR == FRR at 1/3.
  EXPECT_NEAR(EqualErrorRate({0.3, 0.6, 0.8}, {0.1, 0.2, 0.4, 0.7}), 1.0 / 3.0, 1e-12);
  // A target and a non-target tied at 0.5 move the point from (FAR 0.5, FRR
  // 0.25) to (0.25, 0.5) in one step; the diagonal cuts that segment at 0.375.
  EXPECT_NEAR(EqualErrorRate({0.3, 0.5, 0.8, 0.9}, {0.1, 0.2, 0.5, 0.7}), 0.375, 1e-12);
}

TEST(Sv, MfccFrameCountAndDimension) {
  MfccOptions opts;
  // One second: 1 + (16000 - 400) / 160 = 98 frames, none dropped for a steady tone.
  const Frames f = Mfcc(Tone(440, 1.0), kRate, opts);
  ASSERT_EQ(f.size(), 98u);
  EXPECT_EQ(static_cast<int>(f[0].size()), FeatureDimension(opts));
  EXPECT_EQ(FeatureDimension(opts), 60);
  EXPECT_EQ(LogMelSpectrogram(Tone(440, 0.02), kRate).size(), 0u);  // shorter than a frame
  EXPECT_TRUE(Mfcc(std::vector<int16_t>(8000, 0), kRate).empty());  // digital silence
}

TEST(Sv, MfccVadDropsQuietFramesOnly) {
  std::vector<int16_t> x = Tone(440, 1.0);
  const std::vector<int16_t> quiet = Tone(440, 1.0, 30.0);  // 48 dB below
  x.insert(x.end(), quiet.begin(), quiet.end());
  MfccOptions opts;
  const size_t kept = Mfcc(x, kRate, opts).size();
  // 198 frames in all; the 98 loud ones and the few straddling the step stay.
  EXPECT_GE(kept, 98u);
  EXPECT_LE(kept, 101u);
  opts.vad_drop_db = 0;
  EXPECT_EQ(Mfcc(x, kRate, opts).size(), 198u);
}

TEST(Sv, MfccNormalisesPerUtterance) {
  const Frames f = Mfcc(WhiteNoise(1.0, 7), kRate);
  ASSERT_FALSE(f.empty());
  for (int d : {0, 5, 19, 25, 59}) {
    EXPECT_NEAR(MeanOf(f, d), 0.0, 1e-4) << d;
    double var = 0.0;
    for (const auto& v : f) var += v[d] * v[d];
    EXPECT_NEAR(var / f.size(), 1.0, 1e-3) << d;
  }
}

TEST(Sv, MfccToneAndNoiseDifferAsExpected) {
  MfccOptions raw;
  raw.normalize_mean = raw.normalize_variance = false;
  raw.drop_c0 = true;  // column 0 is c1
  raw.delta_order = 0;
  // c1 weighs low bands positively and high bands negatively: a 300 Hz tone
  // has all its energy low, pre-emphasised white noise has more energy high.
  const Frames tone = Mfcc(Tone(300, 0.5), kRate, raw);
  const Frames noise = Mfcc(WhiteNoise(0.5, 3), kRate, raw);
  EXPECT_GT(MeanOf(tone, 0), 5.0);
  EXPECT_LT(MeanOf(noise, 0), -8.0);
  // A flat spectrum has small cepstra beyond c1; a single spectral line does not.
  double tone_energy = 0.0, noise_energy = 0.0;
  for (int c = 1; c < raw.num_cepstra; ++c) {
    tone_energy += MeanOf(tone, c) * MeanOf(tone, c);
    noise_energy += MeanOf(noise, c) * MeanOf(noise, c);
  }
  EXPECT_GT(tone_energy, 10.0 * noise_energy);
  // The log mel spectrum of a tone peaks in a band that rises with its pitch.
  auto peak_band = [](double hz) {
    const auto frame = LogMelSpectrogram(Tone(hz, 0.1), kRate)[3];
    return std::max_element(frame.begin(), frame.end()) - frame.begin();
  };
  EXPECT_LT(peak_band(500), peak_band(1000));
  EXPECT_LT(peak_band(1000), peak_band(3000));
  EXPECT_LT(peak_band(3000), peak_band(7000));
}

TEST(Sv, MfccDeltasFollowChangesOnly) {
  // 500 Hz then 2000 Hz: both repeat exactly every 10 ms hop, so static
  // cepstra are constant except for the frames straddling the switch at
  // sample 8000 (frames 48 and 49), and deltas vanish away from it.
  std::vector<int16_t> x = Tone(500, 0.5);
  const std::vector<int16_t> high = Tone(2000, 0.5);
  x.insert(x.end(), high.begin(), high.end());
  MfccOptions raw;
  raw.normalize_mean = raw.normalize_variance = false;
  raw.drop_c0 = true;  // column 0 is c1
  const Frames f = Mfcc(x, kRate, raw);
  ASSERT_EQ(f.size(), 98u);
  const int n = raw.num_cepstra;
  for (int t : {0, 20, 40, 56, 70, 97}) {
    for (int j = n; j < 3 * n; ++j) EXPECT_NEAR(f[t][j], 0.0f, 1e-3) << t << " " << j;
  }
  // Deltas are the +-2 frame regression sum_k k (c[t+k] - c[t-k]) / 10.
  for (int t : {47, 49, 50}) {
    for (int j = 0; j < n; ++j) {
      const float slope = (f[t + 1][j] - f[t - 1][j] + 2 * (f[t + 2][j] - f[t - 2][j])) / 10;
      EXPECT_NEAR(f[t][n + j], slope, 1e-4) << t << " " << j;
    }
  }
  // Energy moves up in frequency, so c1 falls and its delta is negative.
  EXPECT_LT(f[49][n], -0.5f);
  EXPECT_GT(f[20][0], f[70][0] + 1.0f);
}

TEST(Sv, EmRecoversTwoClusters) {
  Frames data = Cluster(-2.0, 600, 3, 1);
  const Frames more = Cluster(3.0, 400, 3, 2);
  data.insert(data.end(), more.begin(), more.end());
  const DiagGmm g = TrainUbm(data, 2, 20, 7);
  const int a = g.means[0][0] < 0 ? 0 : 1;
  EXPECT_NEAR(g.weights[a], 0.6, 0.01);
  EXPECT_NEAR(g.weights[1 - a], 0.4, 0.01);
  for (int d = 0; d < 3; ++d) {
    EXPECT_NEAR(g.means[a][d], -2.0, 0.15);
    EXPECT_NEAR(g.means[1 - a][d], 3.0, 0.15);
    EXPECT_NEAR(g.variances[a][d], 1.0, 0.2);
    EXPECT_NEAR(g.variances[1 - a][d], 1.0, 0.2);
  }
}

TEST(Sv, EmFloorsVariances) {
  // Dimension 1 is exactly -1 in one cluster and +1 in the other: its
  // variance within each component is 0, and must be floored at 1% of its
  // global variance (1) instead of collapsing to a degenerate spike.
  Frames data = Cluster(-3.0, 500, 2, 31);
  Frames right = Cluster(3.0, 500, 2, 32);
  for (auto& f : data) f[1] = -1.0f;
  for (auto& f : right) f[1] = 1.0f;
  data.insert(data.end(), right.begin(), right.end());
  std::vector<double> ll;
  const DiagGmm g = TrainUbm(data, 2, 10, 3, &ll);
  for (int k = 0; k < 2; ++k) EXPECT_NEAR(g.variances[k][1], 0.01, 1e-4) << k;
  EXPECT_TRUE(std::isfinite(ll.back()));
}

TEST(Sv, EmLogLikelihoodNeverDecreases) {
  Frames data = Cluster(-2.0, 600, 4, 1);
  const Frames more = Cluster(3.0, 400, 4, 2);
  data.insert(data.end(), more.begin(), more.end());
  std::vector<double> ll;
  TrainUbm(data, 8, 12, /*seed=*/5, &ll);
  ASSERT_EQ(ll.size(), 13u);
  for (size_t i = 1; i < ll.size(); ++i) EXPECT_GE(ll[i], ll[i - 1] - 1e-6) << i;
  EXPECT_GT(ll.back(), ll.front());
}

TEST(Sv, TrainingIsDeterministicGivenSeed) {
  const Frames data = Cluster(0.0, 500, 3, 9);
  const DiagGmm a = TrainUbm(data, 4, 3, 42);
  const DiagGmm b = TrainUbm(data, 4, 3, 42);
  EXPECT_EQ(a.means, b.means);
  EXPECT_EQ(a.variances, b.variances);
  EXPECT_EQ(a.weights, b.weights);
}

TEST(Sv, MapAdaptationFollowsReynoldsFormula) {
  // One component: every posterior is 1, so mean' = (sum x + r mu) / (n + r).
  const DiagGmm ubm = TrainUbm(Cluster(0.0, 2000, 2, 4), 1, 3, 1);
  const Frames data = Cluster(1.5, 40, 2, 8);
  for (double r : {4.0, 16.0}) {
    const DiagGmm adapted = MapAdaptMeans(ubm, data, r);
    for (int d = 0; d < 2; ++d) {
      double sum = 0.0;
      for (const auto& f : data) sum += f[d];
      EXPECT_NEAR(adapted.means[0][d], (sum + r * ubm.means[0][d]) / (40 + r), 1e-5);
      EXPECT_GT(adapted.means[0][d], ubm.means[0][d] + 0.5);  // moved toward the data
    }
  }
  EXPECT_EQ(MapAdaptMeans(ubm, data).variances, ubm.variances);
  EXPECT_EQ(MapAdaptMeans(ubm, {}).means, ubm.means);
}

TEST(Sv, MapAdaptationMovesOnlyComponentsThatSeeData) {
  Frames pool = Cluster(-4.0, 1000, 2, 21);
  const Frames right = Cluster(4.0, 1000, 2, 22);
  pool.insert(pool.end(), right.begin(), right.end());
  const DiagGmm ubm = TrainUbm(pool, 2, 5, 2);
  const int left_k = ubm.means[0][0] < 0 ? 0 : 1;
  const DiagGmm few = MapAdaptMeans(ubm, Cluster(-3.0, 8, 2, 23));
  const DiagGmm many = MapAdaptMeans(ubm, Cluster(-3.0, 400, 2, 23));
  for (int d = 0; d < 2; ++d) {
    EXPECT_GT(few.means[left_k][d], ubm.means[left_k][d] + 0.1);
    EXPECT_GT(many.means[left_k][d], few.means[left_k][d]);  // more data, less prior
    EXPECT_NEAR(many.means[left_k][d], -3.0, 0.2);
    EXPECT_NEAR(many.means[1 - left_k][d], ubm.means[1 - left_k][d], 1e-4);  // saw nothing
  }
}

TEST(Sv, SameClusterScoresHigherThanOther) {
  const int dim = 6;
  Frames pool = Cluster(-3.0, 1500, dim, 11);
  const Frames b = Cluster(3.0, 1500, dim, 12);
  pool.insert(pool.end(), b.begin(), b.end());
  const DiagGmm ubm = TrainUbm(pool, 8, 8, 3);
  const DiagGmm model_a = MapAdaptMeans(ubm, Cluster(-3.5, 200, dim, 13));
  const DiagGmm model_b = MapAdaptMeans(ubm, Cluster(3.5, 200, dim, 14));
  const Frames test_a = Cluster(-3.5, 100, dim, 15);
  const Frames test_b = Cluster(3.5, 100, dim, 16);
  EXPECT_GT(Score(ubm, model_a, test_a), 0.3);
  EXPECT_GT(Score(ubm, model_b, test_b), 0.3);
  // model_b left the components around cluster a alone: no evidence either way.
  EXPECT_NEAR(Score(ubm, model_b, test_a), 0.0, 1e-3);
  EXPECT_NEAR(Score(ubm, model_a, test_b), 0.0, 1e-3);
  // Top-C is an approximation of the exact ratio, and close to it here.
  EXPECT_NEAR(Score(ubm, model_a, test_a, 3), Score(ubm, model_a, test_a, 8), 0.05);
  EXPECT_EQ(Score(ubm, model_a, {}), 0.0);
}

}  // namespace
}  // namespace earshot::sv
