// The review sampler: a deterministic, hash-based draw per recording, so the
// same recording always gets the same answer and no one can steer it.
#pragma once

#include <string>

namespace earshot::ingest {

// A uniform number in [0, 1) from keyed BLAKE2b over the stream and recording
// ids. REQUIRES: key.size() == 32.
double SampleDraw(const std::string& key, const std::string& stream_id,
                  const std::string& recording_id);

// True if the draw falls under `rate` (rate 0 never, rate 1 always).
inline bool IsSampled(double draw, double rate) {
  return draw < rate;
}

}  // namespace earshot::ingest
