// The template corpus of issue 3, as a regression check of the text
// detector: word-level recall per PII type and precision, DetectPii on the
// true words of a seeded corpus of assistant requests and distractors. The
// templates were written by the detector's authors, so this is an upper
// bound; bench/pii_text_eval measures on an independent generator, and
// bench/deid_audio_eval measures the audio chain (issue 12).
//
//   build/bin/deid_eval [--seed 7] [--utterances 320]
#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "eval_corpus.h"
#include "privacy/pii/pii.h"

namespace {

using namespace earshot;
using namespace earshot::eval;
using privacy::pii::PiiType;

// --- text evaluation --------------------------------------------------------

struct TypeCounts {
  int truth_words = 0;
  int covered = 0;      // true words under any predicted span
  int typed_right = 0;  // ... under a span of the right type
};

void EvaluateText(const std::vector<Utterance>& corpus) {
  std::map<PiiType, TypeCounts> per_type;
  int predicted_words = 0, predicted_true = 0;
  for (const Utterance& u : corpus) {
    const Tokens words = u.All();
    const auto spans = privacy::pii::DetectPii(words);
    std::vector<std::optional<PiiType>> pred(words.size());
    for (const auto& s : spans) {
      for (size_t i = s.start; i < s.end; ++i) pred[i] = s.type;
    }
    const size_t a = u.prefix.size(), b = a + u.pii.size();
    for (size_t i = 0; i < words.size(); ++i) {
      const bool truth = u.type && i >= a && i < b;
      if (pred[i]) {
        ++predicted_words;
        predicted_true += truth;
      }
      if (!truth) continue;
      auto& c = per_type[*u.type];
      ++c.truth_words;
      c.covered += pred[i].has_value();
      c.typed_right += pred[i] == u.type;
    }
  }
  std::printf("\n### Text: spans on the true words (%zu utterances)\n\n", corpus.size());
  std::printf("| type | PII words | recall (masked) | recall (right type) |\n|---|---|---|---|\n");
  int all_truth = 0, all_cov = 0;
  for (const auto& [type, c] : per_type) {
    std::printf("| %s | %d | %.3f | %.3f |\n", privacy::pii::TypeName(type), c.truth_words,
                static_cast<double>(c.covered) / c.truth_words,
                static_cast<double>(c.typed_right) / c.truth_words);
    all_truth += c.truth_words;
    all_cov += c.covered;
  }
  std::printf("| **all** | %d | **%.3f** | |\n", all_truth,
              static_cast<double>(all_cov) / all_truth);
  std::printf("\nPrecision (masked words that are PII): **%.3f** (%d of %d)\n",
              static_cast<double>(predicted_true) / std::max(1, predicted_words), predicted_true,
              predicted_words);
}

}  // namespace

int main(int argc, char** argv) {
  uint32_t seed = 7;
  int n = 320;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--seed") seed = static_cast<uint32_t>(std::stoul(argv[i + 1]));
    if (flag == "--utterances") n = std::stoi(argv[i + 1]);
  }
  Corpus corpus(seed);
  std::printf("## De-identification, text on the template corpus (seed %u)\n", seed);
  EvaluateText(corpus.Make(n));
  return 0;
}
