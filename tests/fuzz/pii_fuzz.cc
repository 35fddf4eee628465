// Fuzzes the spoken-form PII detector, the spoken-number parser and the
// known-identifier matcher (privacy/pii) with arbitrary text, checking that
// every span lies inside the words, spans never overlap, number runs hold
// digits only, and a word that holds a known account or serial is masked.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "privacy/pii/known_identifiers.h"
#include "privacy/pii/pii.h"
#include "privacy/pii/spoken_numbers.h"

namespace pii = earshot::privacy::pii;

namespace {

// Sorted by start, each non-empty, inside [0, n), disjoint.
void CheckSpans(const std::vector<pii::Span>& spans, size_t n) {
  size_t previous_end = 0;
  for (const pii::Span& s : spans) {
    FUZZ_CHECK(s.start < s.end);
    FUZZ_CHECK(s.end <= n);
    FUZZ_CHECK(s.start >= previous_end);
    previous_end = s.end;
  }
}

void CheckNumberRuns(const std::vector<pii::NumberRun>& runs, size_t n) {
  size_t previous_end = 0;
  for (const pii::NumberRun& r : runs) {
    FUZZ_CHECK(r.start < r.end && r.end <= n && r.start >= previous_end);
    FUZZ_CHECK(!r.digits.empty());
    FUZZ_CHECK(std::all_of(r.digits.begin(), r.digits.end(),
                           [](char c) { return c >= '0' && c <= '9'; }));
    FUZZ_CHECK(r.single_digit_words >= 0 &&
               static_cast<size_t>(r.single_digit_words) <= r.end - r.start);
    previous_end = r.end;
  }
}

bool Covered(const std::vector<pii::Span>& spans, size_t i) {
  return std::any_of(spans.begin(), spans.end(),
                     [i](const pii::Span& s) { return s.start <= i && i < s.end; });
}

std::string LettersAndDigits(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) && c < 0x80) out.push_back(static_cast<char>(std::tolower(c)));
  }
  return out;
}

// known_identifiers.h: a token holding the code's letters and digits (at
// least kMinCodeChars of them) is masked, whatever else it holds.
void CheckCodeMasked(const std::vector<std::string>& words, const std::vector<pii::Span>& spans,
                     const std::string& id) {
  const std::string code = LettersAndDigits(id);
  if (code.size() < pii::kMinCodeChars) return;
  for (size_t i = 0; i < words.size(); ++i) {
    if (LettersAndDigits(words[i]).find(code) != std::string::npos) FUZZ_CHECK(Covered(spans, i));
  }
}

void FuzzNumbers(const std::vector<std::string>& words) {
  std::vector<std::string> norm;
  for (const auto& w : words) norm.push_back(pii::NormalizeWord(w));
  CheckNumberRuns(pii::FindNumberRuns(norm), norm.size());
  for (size_t i = 0; i < norm.size(); ++i) {
    size_t consumed = 0;
    if (auto day = pii::ParseDay(norm, i, &consumed)) {
      FUZZ_CHECK(consumed >= 1 && i + consumed <= norm.size());
    }
    if (auto month = pii::MonthNumber(norm[i])) FUZZ_CHECK(*month >= 1 && *month <= 12);
    if (auto digit = pii::DigitWord(norm[i])) FUZZ_CHECK(*digit >= 0 && *digit <= 9);
  }
}

void FuzzKnownIdentifiers(FuzzedDataProvider& in, const std::vector<std::string>& words,
                          const std::vector<pii::Span>& detected, const std::string& text) {
  pii::KnownIdentifiers known;
  known.account = in.ConsumeRandomLengthString(64);
  known.device_serial = in.ConsumeRandomLengthString(64);
  known.has_capture_time = in.ConsumeBool();
  // What ParseRfc3339 can return (1970 to 9999) and its offsets (+-23:59).
  known.captured_at_ms = in.ConsumeIntegralInRange<int64_t>(0, 253402300799999);
  known.utc_offset_min = in.ConsumeIntegralInRange<int>(-1439, 1439);

  CheckSpans(pii::DetectKnownIdentifiers(words, known), words.size());
  CheckSpans(pii::DetectIdTokens(words), words.size());
  const std::vector<pii::Span> all = pii::DetectIdentifiers(words, known, detected);
  CheckSpans(all, words.size());
  FUZZ_CHECK(std::all_of(detected.begin(), detected.end(), [&](const pii::Span& s) {
    return Covered(all, s.start) && Covered(all, s.end - 1);
  }));
  CheckCodeMasked(words, all, known.account);
  CheckCodeMasked(words, all, known.device_serial);
  const std::string masked = pii::MaskIdentifiers(text, known);
  if (all.empty()) FUZZ_CHECK(masked == text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  // The text first, so that plain sentences in the seed corpus are text.
  const std::string text = in.ConsumeRandomLengthString(4096);
  const std::vector<std::string> words = pii::SplitWords(text);

  const std::vector<pii::Span> detected = pii::DetectPii(words);
  CheckSpans(detected, words.size());
  const std::string masked = pii::MaskText(words, detected);
  FUZZ_CHECK(pii::SplitWords(masked).size() <= words.size());
  CheckSpans(pii::MergeSpans({detected, detected}), words.size());

  FuzzNumbers(words);
  FuzzKnownIdentifiers(in, words, detected, text);
  return 0;
}
