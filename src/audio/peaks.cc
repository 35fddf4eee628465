#include "audio/peaks.h"

#include <algorithm>
#include <cstdlib>

namespace earshot::audio {

std::vector<float> Peaks(const Pcm16& pcm, int buckets) {
  buckets = std::clamp(buckets, 1, kMaxPeakBuckets);
  std::vector<float> out(static_cast<size_t>(buckets), 0.0f);
  const size_t n = pcm.samples.size();
  if (n == 0) return out;
  for (int b = 0; b < buckets; ++b) {
    const size_t from = n * static_cast<size_t>(b) / static_cast<size_t>(buckets);
    const size_t to =
        std::max(from + 1, n * static_cast<size_t>(b + 1) / static_cast<size_t>(buckets));
    int peak = 0;
    for (size_t i = from; i < std::min(to, n); ++i)
      peak = std::max(peak, std::abs(int{pcm.samples[i]}));
    out[static_cast<size_t>(b)] = std::min(1.0f, static_cast<float>(peak) / 32767.0f);
  }
  return out;
}

}  // namespace earshot::audio
