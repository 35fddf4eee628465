// The forms in which identifiers are written and said, over one token per
// whitespace-separated word. Internal to pii/ (see known_identifiers.h).
#pragma once

#include <string>
#include <vector>

#include "privacy/pii/known_identifiers.h"
#include "privacy/pii/pii.h"

namespace earshot::privacy::pii {

// The entries of a transcript split into tokens on whitespace (a product's
// word may hold several), each token in three forms.
struct Tokens {
  std::vector<std::string> raw;    // as written
  std::vector<std::string> norm;   // NormalizeWord, without surrounding ( ) +
  std::vector<std::string> alnum;  // lower-cased ASCII letters and digits only
  std::vector<size_t> entry;       // the entry each token came from
};
Tokens SplitEntries(const std::vector<std::string>& entries);

// Spans over tokens as spans over the entries they came from, merged.
std::vector<Span> OnEntries(const Tokens& tokens, const std::vector<Span>& spans);

// Lower-cased ASCII letters and digits of `s`, in order ("SN-1234-ab" →
// "sn1234ab").
std::string LettersAndDigits(const std::string& s);

// Token spans [start, end) that spell `code` (LettersAndDigits form, at
// least kMinCodeChars long) or hold it inside one token. Sorted, disjoint.
std::vector<Span> CodeSpans(const Tokens& tokens, const std::string& code, PiiType type);

// Token spans that say the capture time of `known` (see known_identifiers.h
// for the forms). May overlap; REQUIRES known.has_capture_time.
std::vector<Span> CaptureTimeSpans(const Tokens& tokens, const KnownIdentifiers& known);

// Token spans of the spelled-out letter-and-digit runs of DetectIdTokens.
std::vector<Span> SpelledCodeSpans(const Tokens& tokens);

// The number run that covers exactly tokens [start, start + len) of `norm`,
// as digits ("twelve thirty four" → "1234"); "" if those words are not one
// number.
std::string NumberCovering(const std::vector<std::string>& norm, size_t start, size_t len);

}  // namespace earshot::privacy::pii
