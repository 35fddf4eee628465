// The evaluation corpus shared by the harnesses in bench/ (deid_eval,
// anon_eval): seeded assistant requests with spoken PII and distractors, real
// spoken digits from FSDD, pocketsphinx-testdata's LibriVox clips, and the
// word-level measures. Generated in memory from a seed; nothing is committed.
// Not thread-safe (Corpus holds its generator).
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "asr/recognizer.h"
#include "audio/pcm.h"
#include "privacy/pii/pii.h"
#include "util/word_errors.h"

namespace earshot::eval {

using Tokens = std::vector<std::string>;
using privacy::pii::PiiType;

extern const char* const kDigitWords[10];  // "zero".."nine"

// One request: the words before the PII, the PII, the words after.
struct Utterance {
  Tokens prefix, pii, suffix;
  std::optional<PiiType> type;  // none: a distractor
  Tokens All() const {
    Tokens t = prefix;
    t.insert(t.end(), pii.begin(), pii.end());
    t.insert(t.end(), suffix.begin(), suffix.end());
    return t;
  }
};

Tokens Split(const std::string& s);

class Corpus {
 public:
  explicit Corpus(uint32_t seed) : rng_(seed) {}

  // n utterances: every sixth a distractor, the others one PII item each,
  // the types in turn.
  std::vector<Utterance> Make(int n);
  // n random digits; luhn: a Luhn-valid card number.
  std::string Digits(int n, bool luhn = false);

  // Digit by digit, sometimes "oh" for zero and "double" for a repeat.
  Tokens SayDigits(const std::string& d);

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  template <typename T>
  const T& Of(const std::vector<T>& v) {
    return v[static_cast<size_t>(Pick(static_cast<int>(v.size())))];
  }

 private:
  static bool Luhn(const std::string& d);
  Utterance Distractor();
  Utterance WithPii(PiiType type);

  std::mt19937 rng_;
};

// The parts joined end to end.
audio::Pcm16 Concat(const std::vector<audio::Pcm16>& parts);

// "oh" and "zero" are the same digit.
std::string Canon(const std::string& w);

// Words of `heard` inside [from, to) ms whose text is one of `targets`
// (each target matched at most once).
int Matches(const std::vector<asr::Word>& heard, int64_t from, int64_t to, Tokens targets);

Tokens Texts(const std::vector<asr::Word>& words);

// The q-quantile (0..1) of `v` by rank; NaN for an empty set.
double Percentile(std::vector<double> v, double q);

// Real spoken digits: random takes (numbers in [take_from, take_to)) of one
// FSDD speaker joined, at 16 kHz.
std::optional<audio::Pcm16> FsddDigits(const std::string& dir, const std::string& speaker,
                                       const std::string& digits, Corpus& c, int take_from = 0,
                                       int take_to = 50);

// Runs a program (argv[0] looked up on PATH) and waits; true if it exited 0.
bool RunProcess(const std::vector<std::string>& args);

// pocketsphinx-testdata's LibriVox clips with their reference words.
struct LibriClip {
  audio::Pcm16 audio;
  Tokens reference;
};
std::vector<LibriClip> LibriVoxClips(
    const std::string& dir = "/usr/share/pocketsphinx/test/data/librivox");

}  // namespace earshot::eval
