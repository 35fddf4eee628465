// The forensic watermark (issue 16): the listen it names is read back from
// the whole clip and from any 5 s excerpt, after the level and line changes
// a leak goes through; unmarked audio and another deployment's mark are not
// taken for it. (The codec and room attacks, with their rates over many
// trials, are in bench/.)
#include "privacy/watermark/watermark.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "audio/decode.h"
#include "privacy/watermark/conv_code.h"
#include "synth/flite_voice.h"

namespace earshot::privacy::watermark {
namespace {

const std::string kKey(32, 'k');

// About nine seconds of speech.
audio::Pcm16 Speech(const std::string& voice = "slt") {
  auto pcm = synth::Speak(voice,
                          "Please set a timer for twenty minutes, then play some music in the "
                          "kitchen, and remind me to call the dentist tomorrow morning at nine.");
  EXPECT_TRUE(pcm.ok());
  return pcm.ok() ? *pcm : audio::Pcm16{};
}

std::vector<float> Floats(const audio::Pcm16& pcm, size_t from = 0, size_t n = SIZE_MAX) {
  std::vector<float> out;
  for (size_t i = from; i < pcm.samples.size() && out.size() < n; ++i) {
    out.push_back(pcm.samples[i] / 32768.0f);
  }
  return out;
}

TEST(WatermarkCode, TheCodeCorrectsErrorsAndTheCrcRefusesGarbage) {
  for (uint32_t payload : {0u, 1u, 0xdeadbeefu, 0xffffffffu}) {
    const std::vector<int> coded = EncodePayload(payload);
    ASSERT_EQ(coded.size(), static_cast<size_t>(kCodedBits));
    std::vector<double> soft;
    for (int b : coded) soft.push_back(b ? 1.0 : -1.0);
    // Eight scattered coded bits flipped: still read.
    for (int i = 0; i < 8; ++i) soft[(i * 13 + 5) % kCodedBits] *= -1;
    EXPECT_EQ(DecodePayload(soft), payload);
  }
  std::mt19937 rng(7);
  std::normal_distribution<double> noise;
  int accepted = 0;
  for (int t = 0; t < 2000; ++t) {
    std::vector<double> soft(kCodedBits);
    for (auto& s : soft) s = noise(rng);
    if (DecodePayload(soft)) ++accepted;
  }
  // CRC-16: about 2000 / 65536 pass by chance; far more would be a bug.
  EXPECT_LE(accepted, 3);
  // CRC-16/CCITT-FALSE, as Python's binascii.crc_hqx(b"\x12\x34\x56\x78",
  // 0xffff) gives it.
  EXPECT_EQ(Crc16(0x12345678u), 0x30ec);
}

TEST(WatermarkCode, TheListDecoderFindsAColluderInTwoAveragedCodewords) {
  // Two copies averaged: where their coded bits differ, nothing is left.
  // The plain decoder often ends on a mix of the two whose CRC fails; the
  // list keeps one of them, or both, and never a third payload.
  std::mt19937 rng(11);
  std::normal_distribution<double> noise(0, 0.2);
  int traced = 0, plain = 0;
  for (int t = 0; t < 50; ++t) {
    const uint32_t a = static_cast<uint32_t>(rng()), b = static_cast<uint32_t>(rng());
    const std::vector<int> ca = EncodePayload(a), cb = EncodePayload(b);
    std::vector<double> soft;
    for (int i = 0; i < kCodedBits; ++i) soft.push_back((ca[i] + cb[i]) - 1.0 + noise(rng));
    const std::vector<uint32_t> found = DecodePayloads(soft, kListSize);
    for (uint32_t p : found) EXPECT_TRUE(p == a || p == b) << p;
    if (!found.empty()) ++traced;
    // The list of one is the plain decoder.
    const auto single = DecodePayloads(soft, 1);
    EXPECT_EQ(DecodePayload(soft), single.empty() ? std::nullopt : std::optional(single[0]));
    if (!single.empty()) ++plain;
  }
  EXPECT_GE(traced, 45);
  EXPECT_LT(plain, traced);
}

TEST(Watermark, AMarkedClipKeepsItsLengthAndNamesItsListen) {
  const Watermarker marker(kKey);
  const audio::Pcm16 clean = Speech();
  ASSERT_GT(clean.samples.size(), static_cast<size_t>(6 * kRate));
  audio::Pcm16 marked = clean;
  marker.Embed(marked, 0x0badf00d);
  ASSERT_EQ(marked.samples.size(), clean.samples.size());
  double signal = 0, mark = 0;
  for (size_t i = 0; i < clean.samples.size(); ++i) {
    signal += std::pow(clean.samples[i], 2);
    mark += std::pow(marked.samples[i] - clean.samples[i], 2);
  }
  const double wsr_db = 10 * std::log10(mark / signal);
  EXPECT_LT(wsr_db, -20.0);
  EXPECT_GT(wsr_db, -30.0);
  const Detection d = marker.Detect(Floats(marked));
  EXPECT_TRUE(d.found) << d.z << " against " << d.threshold_z;
  EXPECT_EQ(d.payload, 0x0badf00du);
  EXPECT_LT(d.false_alarm, 1e-9);
  // The same clip for another listen differs only in the mark.
  audio::Pcm16 other = clean;
  marker.Embed(other, 0x0badf00e);
  EXPECT_EQ(marker.Detect(Floats(other)).payload, 0x0badf00eu);
}

TEST(Watermark, UnmarkedAudioAndAnotherDeploymentsMarkAreNotFound) {
  const Watermarker marker(kKey), elsewhere(std::string(32, 'e'));
  audio::Pcm16 clip = Speech("rms");
  const Detection unmarked = marker.Detect(Floats(clip));
  EXPECT_FALSE(unmarked.found) << unmarked.z;
  EXPECT_FALSE(unmarked.payload.has_value());
  EXPECT_GT(unmarked.false_alarm, 1e-4) << "an ordinary peak is an ordinary chance";
  elsewhere.Embed(clip, 42);
  EXPECT_FALSE(marker.Detect(Floats(clip)).found);
  EXPECT_EQ(elsewhere.Detect(Floats(clip)).payload, 42u);
}

TEST(Watermark, AnyFiveSecondExcerptAfterGainNoiseAndAPhoneLineNamesTheListen) {
  const Watermarker marker(kKey);
  audio::Pcm16 marked = Speech("awb");
  marker.Embed(marked, 123456789);
  const size_t five = 5 * kRate;
  ASSERT_GT(marked.samples.size(), five + kRate);
  std::mt19937 rng(3);
  for (size_t from : {size_t{0}, size_t{kRate / 3}, marked.samples.size() - five}) {
    const std::vector<float> excerpt = Floats(marked, from, five);
    EXPECT_EQ(marker.Detect(excerpt).payload, 123456789u) << "from " << from;
    for (double db : {-10.0, 10.0}) {
      std::vector<float> g = excerpt;
      for (auto& v : g) v *= static_cast<float>(std::pow(10.0, db / 20));
      EXPECT_EQ(marker.Detect(g).payload, 123456789u) << db << " dB";
    }
    std::vector<float> inverted = excerpt;
    for (auto& v : inverted) v = -v;
    const Detection inv = marker.Detect(inverted);
    EXPECT_TRUE(inv.inverted);
    EXPECT_EQ(inv.payload, 123456789u) << "polarity flipped";
    // White noise 20 dB below the excerpt.
    double power = 0;
    for (float v : excerpt) power += v * v;
    std::normal_distribution<float> noise(
        0, static_cast<float>(std::sqrt(power / excerpt.size() / 100)));
    std::vector<float> noisy = excerpt;
    for (auto& v : noisy) v += noise(rng);
    EXPECT_EQ(marker.Detect(noisy).payload, 123456789u) << "20 dB SNR";
    // Down to 8 kHz and back.
    auto down = audio::Resample(excerpt, kRate, 8000);
    ASSERT_TRUE(down.ok());
    auto up = audio::Resample(*down, 8000, kRate);
    ASSERT_TRUE(up.ok());
    EXPECT_EQ(marker.Detect(*up).payload, 123456789u) << "8 kHz";
  }
}

TEST(Watermark, SilenceAndShortClipsGiveAClearAnswer) {
  const Watermarker marker(kKey);
  audio::Pcm16 silence;
  silence.samples.assign(3 * kRate, 0);
  marker.Embed(silence, 7);
  for (int16_t s : silence.samples) ASSERT_EQ(s, 0) << "nothing is added to silence";
  EXPECT_FALSE(marker.Detect(Floats(silence)).found);
  audio::Pcm16 tiny;
  tiny.samples = {100, -100, 50};
  marker.Embed(tiny, 7);
  EXPECT_EQ(tiny.samples.size(), 3u);
  const Detection none = marker.Detect({});
  EXPECT_FALSE(none.found);
  EXPECT_EQ(none.seconds, 0);
  EXPECT_FALSE(marker.Detect(Floats(tiny)).found);
}

TEST(Watermark, TwoClipsSplicedNameBothListensAndTonesOrClippingNeverAccuseAnyone) {
  const Watermarker marker(kKey);
  audio::Pcm16 a = Speech("slt"), b = Speech("rms");
  marker.Embed(a, 1111);
  marker.Embed(b, 2222);
  audio::Pcm16 both = a;
  both.samples.insert(both.samples.end(), b.samples.begin(), b.samples.end());
  ASSERT_GT(both.samples.size(), 3 * kPeriod);  // searched window by window
  const Detection d = marker.Detect(Floats(both));
  ASSERT_TRUE(d.payload.has_value());
  std::vector<uint32_t> named = d.others;
  named.push_back(*d.payload);
  EXPECT_NE(std::find(named.begin(), named.end(), 1111u), named.end());
  EXPECT_NE(std::find(named.begin(), named.end(), 2222u), named.end());
  for (uint32_t p : named) EXPECT_TRUE(p == 1111u || p == 2222u) << p;

  // A pure tone, unmarked and marked: no crash, no mark where there is none.
  audio::Pcm16 tone;
  for (int i = 0; i < 6 * kRate; ++i) {
    tone.samples.push_back(static_cast<int16_t>(30000 * std::sin(2 * M_PI * 1000 * i / kRate)));
  }
  EXPECT_FALSE(marker.Detect(Floats(tone)).found);
  audio::Pcm16 marked_tone = tone;
  marker.Embed(marked_tone, 3333);
  ASSERT_EQ(marked_tone.samples.size(), tone.samples.size());
  const Detection t = marker.Detect(Floats(marked_tone));
  if (t.payload) EXPECT_EQ(*t.payload, 3333u);

  // The marked clip driven 10 dB into clipping is still read.
  audio::Pcm16 loud = a;
  for (auto& v : loud.samples) v = static_cast<int16_t>(std::clamp(v * 3.16, -32768.0, 32767.0));
  EXPECT_EQ(marker.Detect(Floats(loud)).payload, std::optional<uint32_t>(1111u));
}

}  // namespace
}  // namespace earshot::privacy::watermark
