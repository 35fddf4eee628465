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
  // For a constrained listener (asr::DigitListener): the mean per-frame
  // log-likelihood ratio of the word's acoustic score against a free phone
  // loop's on the same frames, in pocketsphinx's acoustic score units. Near 0 where the frames sound as
  // much like this word as like any speech, well below 0 where the grammar
  // forced other speech into it. 0 where a backend does not score it.
  double phone_loop_llr = 0;
};

class Recognizer {
 public:
  virtual ~Recognizer() = default;
  // REQUIRES: pcm.sample_rate == 16000. Silence gives an empty list.
  virtual Result<std::vector<Word>> Recognize(const audio::Pcm16& pcm) = 0;
};

}  // namespace earshot::asr
