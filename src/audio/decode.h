// Decoding of uploaded audio, entirely in memory (nothing touches disk).
// Pure algorithm: no storage, no HTTP. Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "audio/pcm.h"
#include "util/status.h"

namespace earshot::audio {

struct DecodeLimits {
  int64_t max_duration_ms = 30'000;  // longer input is rejected, not truncated
};

// Decodes WAV, FLAC, Ogg Vorbis, Opus or MP3 bytes with libsndfile (virtual I/O
// over `bytes`), mixes down to mono, resamples to 16 kHz with soxr and converts
// to 16-bit with clipping; NaN/Inf samples become 0.
// Errors: Unsupported("undecodable_audio") if libsndfile cannot read it;
// InvalidArgument("empty_audio") if it holds no samples;
// TooLarge("audio_too_long") if longer than limits.max_duration_ms
// (checked before full decoding when the header states the length).
Result<Pcm16> DecodeToCanonical(std::string_view bytes, const DecodeLimits& limits = {});

// Resamples mono float samples from `in_rate` to `out_rate` with soxr (high quality).
Result<std::vector<float>> Resample(const std::vector<float>& in, int in_rate, int out_rate);

// A RIFF/WAVE file (PCM 16-bit mono) holding `pcm`.
std::string EncodeWav(const Pcm16& pcm);

}  // namespace earshot::audio
