// Voice anonymization: the McAdams transform's contract (length kept,
// identity at alpha = 1, stable filters, poles moved by phi^alpha), bad input
// (silence, tones, clipping, NaN, clips shorter than a frame) and the chains'
// seeded draws.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "privacy/anonymize/anonymizer.h"
#include "privacy/anonymize/lpc.h"
#include "privacy/anonymize/mcadams.h"
#include "support/test_util.h"
#include "synth/flite_voice.h"

namespace earshot::privacy::anonymize {
namespace {

using Complex = std::complex<double>;

// A second-order resonance at `hz` (pole radius r) driven by white noise.
std::vector<float> Resonance(double hz, double r, size_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<double> noise(0.0, 300.0);
  const double phi = 2.0 * M_PI * hz / 16000.0;
  const double a1 = -2.0 * r * std::cos(phi), a2 = r * r;
  std::vector<float> x(n);
  double y1 = 0, y2 = 0;
  for (size_t i = 0; i < n; ++i) {
    const double y = noise(gen) - a1 * y1 - a2 * y2;
    x[i] = static_cast<float>(y);
    y2 = y1;
    y1 = y;
  }
  return x;
}

// The angle of the strongest complex pole of an order-2 fit over the signal.
double PoleAngle(const std::vector<float>& x) {
  std::vector<double> d(x.begin(), x.end());
  const auto a = LpcCoefficients(d.data(), d.size(), 2);
  const auto roots = PolynomialRoots(a, {});
  return std::abs(std::arg(roots[0]));
}

double Energy(const std::vector<float>& x) {
  double e = 0;
  for (float v : x) e += static_cast<double>(v) * v;
  return e;
}

TEST(Lpc, RootsRebuildThePolynomial) {
  const auto x = Resonance(700, 0.97, 320, 1);
  std::vector<double> d(x.begin(), x.end());
  const auto a = LpcCoefficients(d.data(), d.size(), 20);
  ASSERT_EQ(a.size(), 21u);
  const auto roots = PolynomialRoots(a, {});
  const auto back = PolynomialFromRoots(roots);
  ASSERT_EQ(back.size(), a.size());
  for (size_t k = 0; k < a.size(); ++k) EXPECT_NEAR(back[k], a[k], 1e-6) << k;
  for (const Complex& r : roots) EXPECT_LT(std::abs(r), 1.0) << "autocorrelation LPC is stable";
}

TEST(Lpc, SilentFrameGivesTheTrivialPredictor) {
  std::vector<double> zeros(320, 0.0);
  const auto a = LpcCoefficients(zeros.data(), zeros.size(), 20);
  EXPECT_EQ(a[0], 1.0);
  for (size_t k = 1; k < a.size(); ++k) EXPECT_EQ(a[k], 0.0);
}

TEST(Lpc, BurgFindsTheResonanceOfAShortFrameSharperThanAutocorrelation) {
  // Order 1 by hand: k = -2 (2*1 + 3*2 + 4*3) / ((4 + 9 + 16) + (1 + 4 + 9)).
  const double ramp[] = {1, 2, 3, 4};
  const auto one = BurgCoefficients(ramp, 4, 1);
  ASSERT_EQ(one.size(), 2u);
  EXPECT_NEAR(one[1], -40.0 / 43.0, 1e-12);
  // A 700 Hz resonance of radius 0.97 in a 20 ms frame.
  const auto x = Resonance(700, 0.97, 320, 3);
  std::vector<double> d(x.begin(), x.end());
  const auto burg = PolynomialRoots(BurgCoefficients(d.data(), d.size(), 2), {});
  const auto autoc = PolynomialRoots(LpcCoefficients(d.data(), d.size(), 2), {});
  const double truth = 2 * M_PI * 700 / 16000;
  EXPECT_NEAR(std::abs(std::arg(burg[0])), truth, 0.02);
  EXPECT_GT(std::abs(burg[0]), std::abs(autoc[0]));  // closer to the true 0.97
  EXPECT_NEAR(std::abs(burg[0]), 0.97, 0.03);
  for (const auto& r : PolynomialRoots(BurgCoefficients(d.data(), d.size(), 20), {})) {
    EXPECT_LT(std::abs(r), 1.0) << "Burg LPC is stable";
  }
  std::vector<double> zeros(320, 0.0);
  EXPECT_EQ(BurgCoefficients(zeros.data(), zeros.size(), 20), std::vector<double>{1.0});
}

TEST(McAdams, AlphaOneReproducesTheInputAndKeepsTheLength) {
  auto speech = synth::Speak("slt", "please call me tomorrow");
  ASSERT_TRUE(speech.ok());
  std::vector<float> x(speech->samples.begin(), speech->samples.end());
  auto y = x;
  McAdamsOptions o;
  o.alpha = 1.0;
  McAdams(y, 16000, o);
  ASSERT_EQ(y.size(), x.size());
  double worst = 0;
  for (size_t i = 0; i < x.size(); ++i) worst = std::max(worst, std::fabs(double{x[i]} - y[i]));
  EXPECT_LT(worst, 0.5) << "the first and last frames are kept too";
}

TEST(McAdams, MovesAResonanceToPhiToTheAlpha) {
  for (double hz : {500.0, 3000.0}) {
    auto x = Resonance(hz, 0.98, 32000, 2);
    const double before = PoleAngle(x);
    McAdamsOptions o;
    o.alpha = 0.8;
    McAdams(x, 16000, o);
    const double after = PoleAngle(x);
    EXPECT_NEAR(before, 2.0 * M_PI * hz / 16000.0, 0.03);
    EXPECT_NEAR(after, std::pow(before, 0.8), 0.05) << hz << " Hz";
  }
}

TEST(McAdams, EveryModifiedFilterIsStable) {
  std::mt19937 gen(3);
  std::uniform_real_distribution<double> hz(50, 7900), radius(0.9, 0.99999);
  McAdamsOptions o;
  for (int trial = 0; trial < 200; ++trial) {
    // Near-unit resonances, the hardest case for the root finder.
    auto x = Resonance(hz(gen), radius(gen), 320, trial);
    std::vector<double> d(x.begin(), x.end());
    const auto a = LpcCoefficients(d.data(), d.size(), 20);
    for (double alpha : {0.5, 0.7, 0.9, 1.0}) {
      std::vector<Complex> guess;
      const auto moved = McAdamsFilter(a, alpha, o, guess);
      for (const Complex& r : PolynomialRoots(moved, {})) {
        ASSERT_LT(std::abs(r), 1.0) << "trial " << trial << " alpha " << alpha;
      }
    }
  }
}

TEST(McAdams, BadInputNeitherCrashesNorChangesTheLength) {
  McAdamsOptions o;
  o.alpha = 0.7;
  const float kNan = std::numeric_limits<float>::quiet_NaN();
  const float kInf = std::numeric_limits<float>::infinity();
  std::vector<std::vector<float>> inputs = {
      {},                                   // empty
      {1000.0f},                            // one sample
      std::vector<float>(100, 2000.0f),     // shorter than a frame, DC
      std::vector<float>(16000, 0.0f),      // silence
      std::vector<float>(16000, 32767.0f),  // clipped flat
      {kNan, kInf, -kInf, 5.0f, kNan},      // NaN / Inf
  };
  std::vector<float> tone(16000), square(16000);
  for (size_t i = 0; i < tone.size(); ++i) {
    tone[i] = static_cast<float>(8000 * std::sin(2 * M_PI * 1000 * i / 16000.0));
    square[i] = (i / 40) % 2 ? 32767.0f : -32768.0f;
  }
  inputs.push_back(tone);
  inputs.push_back(square);
  for (auto x : inputs) {
    const size_t n = x.size();
    McAdams(x, 16000, o);
    ASSERT_EQ(x.size(), n);
    for (float v : x) ASSERT_TRUE(std::isfinite(v));
  }
  std::vector<float> silence(16000, 0.0f);
  McAdams(silence, 16000, o);
  EXPECT_EQ(Energy(silence), 0.0) << "silence stays silent";
}

TEST(McAdams, KeepsTheLevelOfEachFrame) {
  auto speech = synth::Speak("rms", "the weather in the city tomorrow");
  ASSERT_TRUE(speech.ok());
  std::vector<float> x(speech->samples.begin(), speech->samples.end());
  auto y = x;
  McAdamsOptions o;
  o.alpha = 0.6;
  McAdams(y, 16000, o);
  const double ratio = Energy(y) / Energy(x);
  EXPECT_GT(ratio, 0.7);
  EXPECT_LT(ratio, 1.3);
  double diff = 0;
  for (size_t i = 0; i < x.size(); ++i) diff += (double{x[i]} - y[i]) * (double{x[i]} - y[i]);
  EXPECT_GT(diff / Energy(x), 0.1) << "the voice must actually change";
}

TEST(Anonymizer, SeedReproducesAndDrawsStayInRange) {
  const audio::Pcm16 in = testing::Signal(2000, 9);
  AnonymizeSettings s;
  AnonymizeReport r1, r2, r3;
  auto a = Anonymize(in, s, 42, &r1);
  auto b = Anonymize(in, s, 42, &r2);
  auto c = Anonymize(in, s, 43, &r3);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->samples, b->samples);
  EXPECT_NE(a->samples, c->samples);
  EXPECT_EQ(a->samples.size(), in.samples.size());
  for (const auto* r : {&r1, &r3}) {
    EXPECT_GE(r->alpha, 0.5);
    EXPECT_LE(r->alpha, 0.9);
  }
  EXPECT_NE(r1.alpha, r3.alpha);
}

TEST(Anonymizer, EveryChainRunsAndDiffersFromTheInput) {
  auto speech = synth::Speak("awb", "remind me to buy milk");
  ASSERT_TRUE(speech.ok());
  for (const std::string& chain : KnownChains()) {
    AnonymizeSettings s;
    s.chain = chain;
    auto out = Anonymize(*speech, s, 7);
    ASSERT_TRUE(out.ok()) << chain;
    ASSERT_EQ(out->samples.size(), speech->samples.size());
    EXPECT_NE(out->samples, speech->samples) << chain;
  }
}

TEST(Anonymizer, VtlChainDrawsASecondDimension) {
  const audio::Pcm16 in = testing::Signal(1000, 4);
  AnonymizeSettings s;
  s.chain = "mcadams-vtl";
  AnonymizeReport a, b;
  ASSERT_TRUE(Anonymize(in, s, 1, &a).ok());
  ASSERT_TRUE(Anonymize(in, s, 2, &b).ok());
  for (const auto* r : {&a, &b}) {
    EXPECT_GE(r->angle_scale, 0.85);
    EXPECT_LE(r->angle_scale, 1.15);
  }
  EXPECT_NE(a.angle_scale, b.angle_scale);
  AnonymizeReport plain;
  ASSERT_TRUE(Anonymize(in, AnonymizeSettings{}, 1, &plain).ok());
  EXPECT_EQ(plain.angle_scale, 1.0) << "the baseline has no second dimension";
}

TEST(McAdams, AngleScaleMovesAResonanceLinearly) {
  auto x = Resonance(1000, 0.98, 32000, 5);
  const double before = PoleAngle(x);
  McAdamsOptions o;
  o.alpha = 1.0;
  o.angle_scale = 0.85;
  McAdams(x, 16000, o);
  EXPECT_NEAR(PoleAngle(x), 0.85 * before, 0.03);
}

TEST(Anonymizer, RejectsUnknownChainsAndBadAlphas) {
  AnonymizeSettings s;
  s.chain = "robot";
  EXPECT_EQ(ValidateSettings(s).reason(), "bad_chain");
  s = {};
  s.alpha_min = 0.9;
  s.alpha_max = 0.5;
  EXPECT_EQ(ValidateSettings(s).reason(), "bad_alpha");
  s = {};
  s.alpha = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(ValidateSettings(s).reason(), "bad_alpha");
  s = {};
  EXPECT_TRUE(ValidateSettings(s).ok());
  auto out = Anonymize(testing::Signal(100, 1), AnonymizeSettings{.chain = "x"}, 1);
  EXPECT_FALSE(out.ok());
}

}  // namespace
}  // namespace earshot::privacy::anonymize
