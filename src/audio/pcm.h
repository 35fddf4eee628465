// PCM buffers. The vault's canonical form is 16 kHz, mono, signed 16-bit.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace earshot::audio {

constexpr int kCanonicalRate = 16000;

struct Pcm16 {
  int sample_rate = kCanonicalRate;
  std::vector<int16_t> samples;  // mono

  int64_t DurationMs() const {
    return sample_rate > 0 ? static_cast<int64_t>(samples.size()) * 1000 / sample_rate : 0;
  }
};

// Raw little-endian sample bytes (the vault's sealed payload) and back.
inline std::string_view PcmView(const Pcm16& pcm) {
  return std::string_view(reinterpret_cast<const char*>(pcm.samples.data()),
                          pcm.samples.size() * 2);
}
inline std::string PcmBytes(const Pcm16& pcm) {
  return std::string(PcmView(pcm));
}
inline Pcm16 PcmFromBytes(std::string_view bytes, int sample_rate = kCanonicalRate) {
  Pcm16 pcm;
  pcm.sample_rate = sample_rate;
  pcm.samples.resize(bytes.size() / 2);
  std::memcpy(pcm.samples.data(), bytes.data(), pcm.samples.size() * 2);
  return pcm;
}

}  // namespace earshot::audio
