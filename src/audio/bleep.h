// Audio redaction: time ranges replaced by a tone or silence. Pure algorithm.
#pragma once

#include <cstdint>
#include <vector>

#include "audio/pcm.h"

namespace earshot::audio {

enum class BleepKind { kTone, kSilence };

struct TimeRange {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
};

constexpr double kBleepHz = 1000.0;
constexpr double kBleepDbfs = -20.0;
constexpr int64_t kBleepFadeMs = 5;

// Replaces each range, widened by `margin_ms` on both sides and clamped to the
// audio, by a 1 kHz tone at -20 dBFS (or silence). Over the first and last
// 5 ms of each replaced region the original fades out and the tone in (and
// back), so there are no clicks; inside that the original is gone. Overlapping
// ranges merge. The length of `pcm` never changes.
void Bleep(Pcm16& pcm, const std::vector<TimeRange>& ranges, BleepKind kind, int64_t margin_ms);

// The regions Bleep replaces in audio of `duration_ms`: each range widened by
// `margin_ms`, clamped to [0, duration_ms), overlaps merged; sorted.
std::vector<TimeRange> BleepedRanges(const std::vector<TimeRange>& ranges, int64_t margin_ms,
                                     int64_t duration_ms);

// The total length of sorted, disjoint `ranges` that lies inside [from, to).
int64_t CoveredMs(const std::vector<TimeRange>& ranges, int64_t from, int64_t to);

}  // namespace earshot::audio
