// Waveform peaks for drawing: the server computes them so that a page never
// decodes the audio a second time. Pure; thread-safe.
#pragma once

#include <vector>

#include "audio/pcm.h"

namespace earshot::audio {

constexpr int kMaxPeakBuckets = 2000;

// The largest absolute sample of each of `buckets` equal spans of `pcm`,
// scaled to [0, 1]. `buckets` is clamped to [1, kMaxPeakBuckets]; empty
// audio gives all zeros.
std::vector<float> Peaks(const Pcm16& pcm, int buckets);

}  // namespace earshot::audio
