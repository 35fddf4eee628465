#include "bench_audio.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "audio/decode.h"
#include "util/fs.h"

namespace earshot::bench {

// A 5 s clip: real speech (FSDD digits of one speaker, 8 kHz) when the data
// set is at hand, else a synthetic tone mix at 8 kHz.
std::string FiveSecondClip(const std::string& fsdd_dir, int input_rate) {
  audio::Pcm16 pcm;
  pcm.sample_rate = 8000;
  std::error_code ec;
  if (!fsdd_dir.empty() && std::filesystem::exists(fsdd_dir, ec)) {
    for (int take = 0; pcm.samples.size() < 40000 && take < 50; ++take) {
      for (int digit = 0; digit < 10 && pcm.samples.size() < 40000; ++digit) {
        auto bytes = ReadFile(fsdd_dir + "/" + std::to_string(digit) + "_jackson_" +
                              std::to_string(take) + ".wav");
        if (!bytes.ok()) continue;
        // Parse the PCM payload of these plain 16-bit WAVs.
        const size_t data = bytes->find("data");
        if (data == std::string::npos) continue;
        for (size_t i = data + 8; i + 1 < bytes->size(); i += 2) {
          pcm.samples.push_back(static_cast<int16_t>(static_cast<uint8_t>((*bytes)[i]) |
                                                     (static_cast<uint8_t>((*bytes)[i + 1]) << 8)));
        }
      }
    }
    std::printf("input: FSDD speaker jackson, joined takes\n");
  } else {
    for (int i = 0; i < 40000; ++i) {
      pcm.samples.push_back(
          static_cast<int16_t>(8000 * std::sin(i * 0.07) + 3000 * std::sin(i * 0.31)));
    }
    std::printf("input: synthetic 8 kHz signal (FSDD not found)\n");
  }
  pcm.samples.resize(40000);
  if (input_rate != pcm.sample_rate) {
    std::vector<float> f(pcm.samples.begin(), pcm.samples.end());
    for (float& v : f) v /= 32768.0f;
    auto up = audio::Resample(f, pcm.sample_rate, input_rate);
    pcm.sample_rate = input_rate;
    pcm.samples.clear();
    for (float v : *up)
      pcm.samples.push_back(static_cast<int16_t>(std::clamp(v * 32768.0f, -32768.0f, 32767.0f)));
  }
  return audio::EncodeWav(pcm);
}

}  // namespace earshot::bench
