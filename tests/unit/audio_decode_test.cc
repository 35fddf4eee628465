#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <limits>

#include "audio/decode.h"
#include "support/test_util.h"

namespace earshot {
namespace {

using testing::EncodeAs;
using testing::Signal;

// Every supported container decodes to 16 kHz mono of the right length.
class DecodeFormats : public ::testing::TestWithParam<int> {};

TEST_P(DecodeFormats, NormalisesTo16kMono) {
  const audio::Pcm16 input = Signal(2000, 7, 48000);  // a rate every codec takes
  const std::string bytes = EncodeAs(input, GetParam());
  ASSERT_FALSE(bytes.empty());
  auto pcm = audio::DecodeToCanonical(bytes);
  ASSERT_TRUE(pcm.ok()) << pcm.status().ToString();
  EXPECT_EQ(pcm->sample_rate, 16000);
  // Lossy codecs add priming/padding; allow 100 ms.
  EXPECT_NEAR(static_cast<double>(pcm->DurationMs()), 2000.0, 100.0);
  double energy = 0;
  for (int16_t s : pcm->samples) energy += std::abs(s);
  EXPECT_GT(energy / pcm->samples.size(), 1000.0) << "decoded audio is not silent";
}

INSTANTIATE_TEST_SUITE_P(
    AllContainers, DecodeFormats,
    ::testing::Values(SF_FORMAT_WAV | SF_FORMAT_PCM_16, SF_FORMAT_WAV | SF_FORMAT_FLOAT,
                      SF_FORMAT_FLAC | SF_FORMAT_PCM_16, SF_FORMAT_OGG | SF_FORMAT_VORBIS,
                      SF_FORMAT_OGG | SF_FORMAT_OPUS, SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III));

TEST(Decode, ResamplesPreservingPitch) {
  // A 1 kHz tone at 8 kHz must still be 1 kHz at 16 kHz: count zero crossings.
  audio::Pcm16 tone;
  tone.sample_rate = 8000;
  for (int i = 0; i < 8000; ++i) {
    tone.samples.push_back(static_cast<int16_t>(10000 * std::sin(2 * M_PI * 1000 * i / 8000.0)));
  }
  auto pcm = audio::DecodeToCanonical(EncodeAs(tone, SF_FORMAT_WAV | SF_FORMAT_PCM_16));
  ASSERT_TRUE(pcm.ok());
  EXPECT_EQ(pcm->samples.size(), 16000u);
  int crossings = 0;
  for (size_t i = 200; i + 200 < pcm->samples.size(); ++i) {
    crossings += (pcm->samples[i - 1] < 0) != (pcm->samples[i] < 0);
  }
  EXPECT_NEAR(crossings, 2 * 1000 * (15600.0 / 16000), 10);
}

TEST(Decode, RejectsGarbageEmptyAndTooLong) {
  EXPECT_EQ(audio::DecodeToCanonical("").status().reason(), "empty_audio");
  EXPECT_EQ(audio::DecodeToCanonical("this is not audio at all, just text").status().reason(),
            "undecodable_audio");
  std::string truncated = EncodeAs(Signal(1000, 1), SF_FORMAT_WAV | SF_FORMAT_PCM_16).substr(0, 30);
  EXPECT_FALSE(audio::DecodeToCanonical(truncated).ok());
  audio::Pcm16 none;
  none.sample_rate = 16000;
  EXPECT_EQ(
      audio::DecodeToCanonical(EncodeAs(none, SF_FORMAT_WAV | SF_FORMAT_PCM_16)).status().reason(),
      "empty_audio");
  const std::string long_wav = EncodeAs(Signal(31000, 2), SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  EXPECT_EQ(audio::DecodeToCanonical(long_wav).status().reason(), "audio_too_long");
  EXPECT_TRUE(audio::DecodeToCanonical(long_wav, {40'000}).ok());
  // Formats without a length in the header are cut off while decoding.
  const std::string long_ogg = EncodeAs(Signal(31000, 2), SF_FORMAT_OGG | SF_FORMAT_VORBIS);
  EXPECT_EQ(audio::DecodeToCanonical(long_ogg).status().reason(), "audio_too_long");
}

// Issue 11: a WAV cut short whose header claims more frames was stored
// silently, as if the recording were whole.
TEST(DecodeRegression11, AWavCutShortIsRefusedNotStored) {
  for (int fmt : {SF_FORMAT_WAV | SF_FORMAT_PCM_16, SF_FORMAT_WAV | SF_FORMAT_FLOAT}) {
    const std::string whole = EncodeAs(Signal(1000, 1), fmt);
    ASSERT_TRUE(audio::DecodeToCanonical(whole).ok());
    const size_t samples_start = whole.find("data") + 8;
    for (size_t keep : {whole.size() - 1, whole.size() / 2, samples_start + 10}) {
      EXPECT_EQ(audio::DecodeToCanonical(whole.substr(0, keep)).status().reason(),
                "truncated_audio")
          << keep;
    }
    // A stream writer's "unknown length" (0xFFFFFFFF) is not a truncation.
    std::string streamed = whole;
    const size_t data = streamed.find("data");
    ASSERT_NE(data, std::string::npos);
    streamed.replace(data + 4, 4, std::string(4, '\xff'));
    EXPECT_NE(audio::DecodeToCanonical(streamed).status().reason(), "truncated_audio");
  }
}

TEST(Decode, NanAndInfSamplesBecomeSilenceNotCrashes) {
  // A float WAV whose samples are NaN and Inf.
  audio::Pcm16 base = Signal(500, 3);
  std::string wav = EncodeAs(base, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  const size_t data = wav.find("data") + 8;
  ASSERT_GT(data, 8u);
  for (size_t i = data; i + 4 <= wav.size(); i += 4) {
    const float v = (i / 4) % 2 ? std::numeric_limits<float>::quiet_NaN()
                                : std::numeric_limits<float>::infinity();
    std::memcpy(&wav[i], &v, 4);
  }
  auto pcm = audio::DecodeToCanonical(wav);
  ASSERT_TRUE(pcm.ok()) << pcm.status().ToString();
  for (int16_t s : pcm->samples) ASSERT_EQ(s, 0);
}

TEST(Wav, EncodesCanonicalHeader) {
  audio::Pcm16 pcm;
  pcm.samples = {1, -1, 32767};
  const std::string wav = audio::EncodeWav(pcm);
  ASSERT_EQ(wav.size(), 44u + 6);
  EXPECT_EQ(wav.substr(0, 4), "RIFF");
  auto back = audio::DecodeToCanonical(wav);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->samples.size(), 3u);
}

}  // namespace
}  // namespace earshot
