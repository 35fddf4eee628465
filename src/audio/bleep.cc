#include "audio/bleep.h"

#include <algorithm>
#include <cmath>

namespace earshot::audio {

void Bleep(Pcm16& pcm, const std::vector<TimeRange>& ranges, BleepKind kind, int64_t margin_ms) {
  if (pcm.samples.empty() || pcm.sample_rate <= 0) return;
  const int64_t n = static_cast<int64_t>(pcm.samples.size());
  auto to_sample = [&](int64_t ms) {
    return std::clamp<int64_t>(ms * pcm.sample_rate / 1000, 0, n);
  };
  // BleepedRanges in ms over the audio rounded up to a whole ms, then
  // clamped to the samples: the regions it reports are the ones replaced.
  const int64_t duration_ms = (n * 1000 + pcm.sample_rate - 1) / pcm.sample_rate;
  std::vector<std::pair<int64_t, int64_t>> merged;
  for (const TimeRange& r : BleepedRanges(ranges, margin_ms, duration_ms)) {
    const int64_t a = to_sample(r.start_ms), b = to_sample(r.end_ms);
    if (b > a) merged.emplace_back(a, b);
  }
  const double amplitude = 32767.0 * std::pow(10.0, kBleepDbfs / 20.0);
  const int64_t fade = std::max<int64_t>(1, kBleepFadeMs * pcm.sample_rate / 1000);
  for (const auto& [a, b] : merged) {
    const int64_t len = b - a;
    const int64_t f = std::min(fade, len / 2);
    for (int64_t i = a; i < b; ++i) {
      const int64_t k = i - a;
      // 0 at the region's edges, 1 inside: weight of the replacement.
      double w = 1.0;
      if (f > 0 && k < f) w = static_cast<double>(k) / f;
      if (f > 0 && len - 1 - k < f) w = std::min(w, static_cast<double>(len - 1 - k) / f);
      const double tone = kind == BleepKind::kTone
                              ? amplitude * std::sin(2.0 * M_PI * kBleepHz *
                                                     static_cast<double>(k) / pcm.sample_rate)
                              : 0.0;
      const double mixed = (1.0 - w) * pcm.samples[i] + w * tone;
      pcm.samples[i] = static_cast<int16_t>(std::lrint(std::clamp(mixed, -32768.0, 32767.0)));
    }
  }
}

std::vector<TimeRange> BleepedRanges(const std::vector<TimeRange>& ranges, int64_t margin_ms,
                                     int64_t duration_ms) {
  std::vector<TimeRange> widened;
  for (const TimeRange& r : ranges) {
    const int64_t a = std::clamp<int64_t>(r.start_ms - margin_ms, 0, duration_ms);
    const int64_t b = std::clamp<int64_t>(r.end_ms + margin_ms, 0, duration_ms);
    if (b > a) widened.push_back({a, b});
  }
  std::sort(widened.begin(), widened.end(),
            [](const TimeRange& x, const TimeRange& y) { return x.start_ms < y.start_ms; });
  std::vector<TimeRange> merged;
  for (const TimeRange& r : widened) {
    if (!merged.empty() && r.start_ms <= merged.back().end_ms) {
      merged.back().end_ms = std::max(merged.back().end_ms, r.end_ms);
    } else {
      merged.push_back(r);
    }
  }
  return merged;
}

int64_t CoveredMs(const std::vector<TimeRange>& ranges, int64_t from, int64_t to) {
  int64_t total = 0;
  for (const TimeRange& r : ranges) {
    total += std::max<int64_t>(0, std::min(to, r.end_ms) - std::max(from, r.start_ms));
  }
  return total;
}

}  // namespace earshot::audio
