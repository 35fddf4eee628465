#include "audio/decode.h"

#include <sndfile.h>
#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

namespace earshot::audio {
namespace {

// libsndfile virtual I/O over a read-only memory buffer.
struct MemoryReader {
  std::string_view bytes;
  sf_count_t pos = 0;
};

sf_count_t VioLength(void* user) { return static_cast<MemoryReader*>(user)->bytes.size(); }

sf_count_t VioSeek(sf_count_t offset, int whence, void* user) {
  auto* r = static_cast<MemoryReader*>(user);
  sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? r->pos : r->bytes.size();
  sf_count_t next = base + offset;
  if (next < 0 || next > static_cast<sf_count_t>(r->bytes.size())) return -1;
  r->pos = next;
  return r->pos;
}

sf_count_t VioRead(void* ptr, sf_count_t count, void* user) {
  auto* r = static_cast<MemoryReader*>(user);
  sf_count_t left = static_cast<sf_count_t>(r->bytes.size()) - r->pos;
  sf_count_t n = std::max<sf_count_t>(0, std::min(count, left));
  std::memcpy(ptr, r->bytes.data() + r->pos, static_cast<size_t>(n));
  r->pos += n;
  return n;
}

sf_count_t VioWrite(const void*, sf_count_t, void*) { return 0; }
sf_count_t VioTell(void* user) { return static_cast<MemoryReader*>(user)->pos; }

struct SndfileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;

struct SoxrDeleter {
  void operator()(soxr_t s) const { soxr_delete(s); }
};
using SoxrPtr = std::unique_ptr<std::remove_pointer_t<soxr_t>, SoxrDeleter>;

int16_t ToInt16(float v) {
  if (!std::isfinite(v)) return 0;
  // libsndfile normalises 16-bit PCM by 32768, so this round-trips it exactly.
  float scaled = std::round(v * 32768.0f);
  return static_cast<int16_t>(std::clamp(scaled, -32768.0f, 32767.0f));
}

}  // namespace

Result<std::vector<float>> Resample(const std::vector<float>& in, int in_rate, int out_rate) {
  if (in_rate <= 0 || out_rate <= 0) return InvalidArgument("bad_rate", "sample rate must be > 0");
  if (in_rate == out_rate || in.empty()) return in;
  soxr_error_t err = nullptr;
  soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
  soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  SoxrPtr resampler(soxr_create(in_rate, out_rate, 1, &err, &io, &quality, nullptr));
  if (err != nullptr || !resampler) return Internal("resampler", "soxr_create failed");
  const double ratio = static_cast<double>(out_rate) / in_rate;
  std::vector<float> out(static_cast<size_t>(std::ceil(in.size() * ratio)) + 64);
  size_t idone = 0, odone = 0;
  err = soxr_process(resampler.get(), in.data(), in.size(), &idone, out.data(), out.size(), &odone);
  if (err != nullptr) return Internal("resampler", std::string("soxr: ") + err);
  size_t total = odone;
  // Flush the filter's tail.
  err = soxr_process(resampler.get(), nullptr, 0, nullptr, out.data() + total, out.size() - total,
                     &odone);
  if (err != nullptr) return Internal("resampler", std::string("soxr: ") + err);
  total += odone;
  out.resize(std::min(total, static_cast<size_t>(std::llround(in.size() * ratio))));
  return out;
}

Result<Pcm16> DecodeToCanonical(std::string_view bytes, const DecodeLimits& limits) {
  if (bytes.empty()) return InvalidArgument("empty_audio", "the audio file is empty");
  MemoryReader reader{bytes, 0};
  SF_VIRTUAL_IO vio{VioLength, VioSeek, VioRead, VioWrite, VioTell};
  SF_INFO info{};
  SndfilePtr file(sf_open_virtual(&vio, SFM_READ, &info, &reader));
  if (!file) {
    return Unsupported("undecodable_audio",
                       "audio could not be decoded; send WAV, FLAC, Ogg Vorbis, Opus or MP3");
  }
  if (info.channels <= 0 || info.channels > 64 || info.samplerate <= 0 ||
      info.samplerate > 768000) {
    return Unsupported("undecodable_audio", "audio header has an impossible channel count or rate");
  }
  const int64_t max_frames = limits.max_duration_ms * info.samplerate / 1000;
  if (info.frames > 0 && info.frames != SF_COUNT_MAX && info.frames > max_frames) {
    return TooLarge("audio_too_long", "audio is longer than the limit of " +
                                          std::to_string(limits.max_duration_ms / 1000) + " s");
  }
  std::vector<float> mono;
  std::vector<float> block(4096 * static_cast<size_t>(info.channels));
  for (;;) {
    sf_count_t got = sf_readf_float(file.get(), block.data(), 4096);
    if (got <= 0) break;
    for (sf_count_t i = 0; i < got; ++i) {
      double sum = 0;
      for (int c = 0; c < info.channels; ++c) {
        float v = block[static_cast<size_t>(i * info.channels + c)];
        sum += std::isfinite(v) ? v : 0.0f;
      }
      mono.push_back(static_cast<float>(sum / info.channels));
    }
    if (static_cast<int64_t>(mono.size()) > max_frames) {
      return TooLarge("audio_too_long", "audio is longer than the limit of " +
                                            std::to_string(limits.max_duration_ms / 1000) + " s");
    }
  }
  if (sf_error(file.get()) != SF_ERR_NO_ERROR && mono.empty()) {
    return Unsupported("undecodable_audio", std::string("audio stream is corrupt: ") +
                                                sf_strerror(file.get()));
  }
  if (mono.empty()) return InvalidArgument("empty_audio", "the audio holds no samples");
  ASSIGN_OR_RETURN(std::vector<float> resampled, Resample(mono, info.samplerate, kCanonicalRate));
  Pcm16 pcm;
  pcm.sample_rate = kCanonicalRate;
  pcm.samples.reserve(resampled.size());
  for (float v : resampled) pcm.samples.push_back(ToInt16(v));
  if (pcm.samples.empty()) return InvalidArgument("empty_audio", "the audio holds no samples");
  return pcm;
}

std::string EncodeWav(const Pcm16& pcm) {
  const uint32_t data_bytes = static_cast<uint32_t>(pcm.samples.size() * 2);
  std::string out;
  out.reserve(44 + data_bytes);
  auto put32 = [&out](uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  };
  auto put16 = [&out](uint16_t v) {
    out.push_back(static_cast<char>(v & 0xFF));
    out.push_back(static_cast<char>(v >> 8));
  };
  out += "RIFF";
  put32(36 + data_bytes);
  out += "WAVEfmt ";
  put32(16);
  put16(1);  // PCM
  put16(1);  // mono
  put32(static_cast<uint32_t>(pcm.sample_rate));
  put32(static_cast<uint32_t>(pcm.sample_rate * 2));
  put16(2);
  put16(16);
  out += "data";
  put32(data_bytes);
  for (int16_t s : pcm.samples) put16(static_cast<uint16_t>(s));
  return out;
}

}  // namespace earshot::audio
