// Speech recognition seam: words with times and a confidence. Backends are
// not thread-safe; give each worker thread its own instance.
#pragma once

#include <string>
#include <vector>

#include "audio/pcm.h"
#include "util/status.h"

namespace earshot::asr {

struct Word {
  std::string text;  // lower case, as the model spells it ("five", "street")
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  double confidence = 0;  // posterior probability in [0, 1]
};

class Recognizer {
 public:
  virtual ~Recognizer() = default;
  // REQUIRES: pcm.sample_rate == 16000. Silence gives an empty list.
  virtual Result<std::vector<Word>> Recognize(const audio::Pcm16& pcm) = 0;
};

}  // namespace earshot::asr
