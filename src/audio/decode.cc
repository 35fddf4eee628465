#include "audio/decode.h"

#include <sndfile.h>
#include <soxr.h>

#include <algorithm>
#include <bit>
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

sf_count_t VioLength(void* user) {
  return static_cast<MemoryReader*>(user)->bytes.size();
}

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

sf_count_t VioWrite(const void*, sf_count_t, void*) {
  return 0;
}
sf_count_t VioTell(void* user) {
  return static_cast<MemoryReader*>(user)->pos;
}

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
  const float scaled = std::clamp(v * 32768.0f, -32768.0f, 32767.0f);
  return static_cast<int16_t>(std::lrintf(scaled));
}

Status TooLong(int64_t max_duration_ms) {
  return TooLarge("audio_too_long", "audio is longer than the limit of " +
                                        std::to_string(max_duration_ms / 1000) + " s");
}

// Reads every frame as float and mixes down to mono (NaN/Inf count as 0),
// stopping with audio_too_long once past `max_frames`.
Result<std::vector<float>> ReadMono(SNDFILE* file, const SF_INFO& info, int64_t max_frames,
                                    int64_t max_duration_ms) {
  const size_t channels = static_cast<size_t>(info.channels);
  constexpr sf_count_t kBlock = 8192;
  std::vector<float> mono;
  if (info.frames > 0 && info.frames <= max_frames) mono.reserve(static_cast<size_t>(info.frames));
  std::vector<float> block(static_cast<size_t>(kBlock) * channels);
  for (;;) {
    const sf_count_t got = sf_readf_float(file, block.data(), kBlock);
    if (got <= 0) break;
    const size_t base = mono.size();
    mono.resize(base + static_cast<size_t>(got));
    for (size_t i = 0; i < static_cast<size_t>(got); ++i) {
      float sum = 0;
      for (size_t c = 0; c < channels; ++c) {
        const float v = block[i * channels + c];
        sum += std::isfinite(v) ? v : 0.0f;
      }
      mono[base + i] = channels == 1 ? sum : sum / static_cast<float>(channels);
    }
    if (static_cast<int64_t>(mono.size()) > max_frames) return TooLong(max_duration_ms);
  }
  return mono;
}

// Input already in the canonical form (16-bit mono at 16 kHz): copied as is.
Result<Pcm16> ReadCanonical(SNDFILE* file, const SF_INFO& info, int64_t max_frames,
                            int64_t max_duration_ms) {
  Pcm16 pcm;
  if (info.frames > 0 && info.frames <= max_frames) {
    pcm.samples.reserve(static_cast<size_t>(info.frames));
  }
  constexpr sf_count_t kBlock = 16384;
  for (;;) {
    const size_t base = pcm.samples.size();
    pcm.samples.resize(base + kBlock);
    const sf_count_t got = sf_readf_short(file, pcm.samples.data() + base, kBlock);
    pcm.samples.resize(base + static_cast<size_t>(std::max<sf_count_t>(got, 0)));
    if (got <= 0) break;
    if (static_cast<int64_t>(pcm.samples.size()) > max_frames) return TooLong(max_duration_ms);
  }
  if (pcm.samples.empty()) return InvalidArgument("empty_audio", "the audio holds no samples");
  return pcm;
}

uint32_t Le32(std::string_view b, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}

// A RIFF/WAVE file whose data chunk declares more bytes than the file holds
// was cut short (an upload interrupted, a copy truncated): libsndfile reads
// what is there and says nothing, so the chunks are walked here. A declared
// size of 0 or 0xFFFFFFFF is a stream writer's "unknown" and passes.
Status CheckWavComplete(std::string_view b) {
  if (b.size() < 12 || b.substr(0, 4) != "RIFF" || b.substr(8, 4) != "WAVE") return Status::Ok();
  size_t at = 12;
  while (at + 8 <= b.size()) {
    const std::string_view id = b.substr(at, 4);
    const uint64_t size = Le32(b, at + 4);
    const uint64_t available = b.size() - (at + 8);
    if (id == "data") {
      if (size != 0 && size != 0xFFFFFFFFu && size > available) {
        return InvalidArgument("truncated_audio",
                               "the WAV file is cut short: its header declares " +
                                   std::to_string(size) + " bytes of audio, the file holds " +
                                   std::to_string(available));
      }
      return Status::Ok();
    }
    at += 8 + size + (size & 1);  // chunks are padded to an even size
  }
  return Status::Ok();
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
  RETURN_IF_ERROR(CheckWavComplete(bytes));
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
    return TooLong(limits.max_duration_ms);
  }
  if ((info.format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_16 && info.channels == 1 &&
      info.samplerate == kCanonicalRate) {
    return ReadCanonical(file.get(), info, max_frames, limits.max_duration_ms);
  }
  auto mono = ReadMono(file.get(), info, max_frames, limits.max_duration_ms);
  if (!mono.ok()) return mono.status();
  if (sf_error(file.get()) != SF_ERR_NO_ERROR && mono->empty()) {
    return Unsupported("undecodable_audio",
                       std::string("audio stream is corrupt: ") + sf_strerror(file.get()));
  }
  if (mono->empty()) return InvalidArgument("empty_audio", "the audio holds no samples");
  ASSIGN_OR_RETURN(std::vector<float> resampled, Resample(*mono, info.samplerate, kCanonicalRate));
  Pcm16 pcm;
  pcm.sample_rate = kCanonicalRate;
  pcm.samples.resize(resampled.size());
  std::transform(resampled.begin(), resampled.end(), pcm.samples.begin(), ToInt16);
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
  static_assert(std::endian::native == std::endian::little, "WAV samples are little-endian");
  out.append(reinterpret_cast<const char*>(pcm.samples.data()), data_bytes);
  return out;
}

}  // namespace earshot::audio
