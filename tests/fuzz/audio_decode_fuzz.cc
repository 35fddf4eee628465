// Fuzzes the decoding of uploaded audio (audio/decode.h: libsndfile over
// memory for WAV, FLAC, Ogg Vorbis, Opus and MP3, our WAV truncation check,
// mix-down and soxr resampling): whatever decodes is 16 kHz mono, not empty,
// and no longer than the limit; whatever does not names a known reason.
#include <cstdint>
#include <string>
#include <string_view>

#include "audio/decode.h"
#include "fuzz_check.h"

namespace audio = earshot::audio;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  audio::DecodeLimits limits;
  limits.max_duration_ms = 10'000;  // shorter than the default: faster runs, same code
  auto pcm = audio::DecodeToCanonical(bytes, limits);
  if (!pcm.ok()) {
    const std::string& reason = pcm.status().reason();
    FUZZ_CHECK(reason == "undecodable_audio" || reason == "empty_audio" ||
               reason == "audio_too_long" || reason == "truncated_audio");
    return 0;
  }
  FUZZ_CHECK(pcm->sample_rate == audio::kCanonicalRate);
  FUZZ_CHECK(!pcm->samples.empty());
  // The limit is checked at the input rate; resampling may round up a sample.
  FUZZ_CHECK(pcm->samples.size() <=
             static_cast<size_t>(limits.max_duration_ms * audio::kCanonicalRate / 1000) + 1);
  // The canonical form decodes again to itself (what the vault relies on).
  auto again = audio::DecodeToCanonical(audio::EncodeWav(*pcm), limits);
  FUZZ_CHECK(again.ok() && again->samples == pcm->samples);
  return 0;
}
