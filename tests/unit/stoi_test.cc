// STOI (bench/utility/stoi.h), checked against its published definition:
// the band table as the paper defines it, 1 for the clean signal itself and
// for any gain of it, and falling as noise
// rises, down to its floor for unrelated noise.
#include "utility/stoi.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "synth/flite_voice.h"

namespace earshot::bench {
namespace {

std::vector<float> Speech() {
  auto pcm = synth::Speak("rms", "the quick brown fox jumps over the lazy dog by the river bank");
  EXPECT_TRUE(pcm.ok());
  std::vector<float> x;
  if (pcm.ok()) {
    for (int16_t s : pcm->samples) x.push_back(s / 32768.0f);
  }
  return x;
}

std::vector<float> WithNoise(const std::vector<float>& x, double snr_db, uint32_t seed) {
  double power = 0;
  for (float v : x) power += static_cast<double>(v) * v;
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0,
                                         std::sqrt(power / x.size() / std::pow(10, snr_db / 10)));
  std::vector<float> y = x;
  for (float& v : y) v = static_cast<float>(v + noise(rng));
  return y;
}

TEST(Stoi, BandsAreThePublishedThirdOctaves) {
  const auto bands = StoiBandBins();
  ASSERT_EQ(bands.size(), 15u);
  // 150 * 2^(-1/6) = 133.6 Hz and 150 * 2^(1/6) = 168.4 Hz, 19.53 Hz per
  // bin: bins 7 up to 9. The last: 3394.8 and 4276.8 Hz, bins 174 up to 219.
  EXPECT_EQ(bands.front(), std::make_pair(7, 9));
  EXPECT_EQ(bands.back(), std::make_pair(174, 219));
  for (size_t b = 1; b < bands.size(); ++b) EXPECT_EQ(bands[b].first, bands[b - 1].second);
}

TEST(Stoi, CleanSpeechAndAnyGainOfItScoreOne) {
  const auto x = Speech();
  ASSERT_GT(x.size(), 16000u);
  EXPECT_NEAR(*Stoi(x, x, 16000), 1.0, 1e-6);
  std::vector<float> quiet = x;
  for (float& v : quiet) v *= 0.05f;
  EXPECT_NEAR(*Stoi(x, quiet, 16000), 1.0, 1e-6);
}

TEST(Stoi, FallsWithNoiseDownToUnrelatedNoise) {
  const auto x = Speech();
  const double at20 = *Stoi(x, WithNoise(x, 20, 1), 16000);
  const double at5 = *Stoi(x, WithNoise(x, 5, 2), 16000);
  const double at_minus5 = *Stoi(x, WithNoise(x, -5, 3), 16000);
  EXPECT_GT(at20, 0.9);
  EXPECT_GT(at20, at5);
  EXPECT_GT(at5, at_minus5);
  // Noise of the speech's power with nothing of the speech in it.
  std::vector<float> unrelated = WithNoise(x, 0, 4);
  for (size_t i = 0; i < unrelated.size(); ++i) unrelated[i] -= x[i];
  // Not 0: clipping the noise's envelope at 15 dB above the speech's makes
  // it follow the speech in its quiet parts (the measure's known floor).
  const double none = *Stoi(x, unrelated, 16000);
  EXPECT_LT(none, at_minus5);
  EXPECT_LT(none, 0.6);
}

TEST(Stoi, TooLittleSpeechOrMismatchedLengthsGiveNoScore) {
  const auto x = Speech();
  const std::vector<float> short_clip(x.begin(), x.begin() + 3000);  // 0.19 s
  EXPECT_FALSE(Stoi(short_clip, short_clip, 16000).has_value());
  EXPECT_FALSE(Stoi(x, short_clip, 16000).has_value());
  EXPECT_FALSE(Stoi({}, {}, 16000).has_value());
}

}  // namespace
}  // namespace earshot::bench
