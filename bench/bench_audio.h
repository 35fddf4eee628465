// Test audio the benchmarks share.
#pragma once

#include <string>

namespace earshot::bench {

// A 5 s clip as WAV at `input_rate`: real speech (FSDD digits of one
// speaker, 8 kHz, joined) when `fsdd_dir` holds the data set, else a
// synthetic tone mix. Prints which to stdout.
std::string FiveSecondClip(const std::string& fsdd_dir, int input_rate);

}  // namespace earshot::bench
