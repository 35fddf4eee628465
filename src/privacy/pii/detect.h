// The pieces of DetectPii (pii.cc), one file per family of PII, over one
// shared view of the words. Internal to pii/. Not thread-safe per object
// (one Context and Claims per call of DetectPii).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "privacy/pii/gazetteer.h"
#include "privacy/pii/pii.h"
#include "privacy/pii/spoken_numbers.h"

namespace earshot::privacy::pii {

using Words = std::vector<std::string>;

// The normalized words, their WordFlags, and the number runs, computed once.
struct Context {
  Words w;
  std::vector<uint32_t> f;
  std::vector<NumberRun> runs;
  std::vector<int> run_at;  // index into runs of the run starting at word i, or -1
  bool has_dot = false;     // some word is "dot" or ".": spoken e-mails and URLs need one

  size_t size() const { return w.size(); }
  bool Has(size_t i, uint32_t flags) const { return i < w.size() && (f[i] & flags) != 0; }
  // Sizes first: most words differ in length, so this rarely reaches memcmp.
  bool Is(size_t i, std::string_view word) const {
    return i < w.size() && std::string_view(w[i]) == word;
  }
  const NumberRun* RunAt(size_t i) const {
    return i < run_at.size() && run_at[i] >= 0 ? &runs[static_cast<size_t>(run_at[i])] : nullptr;
  }
  // One letter a-z ("j", "o" is also a digit word).
  bool IsLetter(size_t i) const;
  // Letters, apostrophes and hyphens only.
  bool IsAlpha(size_t i) const;
};

// Which words a detector has already claimed; later detectors skip them.
class Claims {
 public:
  explicit Claims(size_t n) : taken_(n, false) {}
  bool Free(size_t start, size_t end) const {
    for (size_t i = start; i < end; ++i) {
      if (taken_[i]) return false;
    }
    return start < end;
  }
  bool Taken(size_t i) const { return i < taken_.size() && taken_[i]; }
  // Claims [start, end) where all of it is free; returns whether it did.
  bool Add(PiiType type, size_t start, size_t end) {
    if (end > taken_.size() || !Free(start, end)) return false;
    for (size_t i = start; i < end; ++i) taken_[i] = true;
    spans_.push_back({type, start, end});
    return true;
  }
  std::vector<Span> Take();

 private:
  std::vector<bool> taken_;
  std::vector<Span> spans_;
};

// In the order DetectPii runs them: most specific first.
void DetectEmailsAndUrls(const Context& c, Claims& claims);
void DetectDatesOfBirth(const Context& c, Claims& claims);
void DetectCardParts(const Context& c, Claims& claims);  // expiry dates and security codes
void DetectAddresses(const Context& c, Claims& claims);
void DetectSpelledIds(const Context& c, Claims& claims);  // letters and digits after an id cue
void DetectNumbers(const Context& c, Claims& claims);
void DetectNames(const Context& c, Claims& claims);

}  // namespace earshot::privacy::pii
