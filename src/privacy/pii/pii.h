// Spoken-form PII detection on recognizer output ("five five five one two
// three four", "j o h n dot smith at gmail dot com", "my name is anna") and on
// written forms in product hypotheses ("555-1234", "john@example.com").
// Pure algorithm: no storage. Thread-safe (read-only tables).
#pragma once

#include <string>
#include <vector>

namespace earshot::privacy::pii {

enum class PiiType {
  kPhone,
  kCardNumber,
  kIdNumber,
  kStreetAddress,
  kEmail,
  kUrl,
  kPersonName,
  kDateOfBirth,
  kLongNumber,
  // Identifiers the server knows for the recording (known_identifiers.h).
  kAccountId,
  kDeviceSerial,
  kCaptureTime,
  // A token that looks like an identifier ("ab12cd", "ord-99812", "98765").
  kIdToken,
};

// "PHONE", "CARD_NUMBER", ... as used in masked text and reports.
const char* TypeName(PiiType type);

// A typed span over word indices [start, end). Spans never overlap.
struct Span {
  PiiType type;
  size_t start;
  size_t end;
};

// Detects PII in `words` (as split on whitespace; any case, punctuation
// allowed). Spans are sorted by start.
std::vector<Span> DetectPii(const std::vector<std::string>& words);

// The union of `lists` (each sorted, non-overlapping, over the same words) as
// one sorted list of non-overlapping spans: overlapping spans become one span
// covering all of them, typed by the span from the earliest list (then the
// earliest start). No word covered by an input span is left uncovered.
std::vector<Span> MergeSpans(const std::vector<std::vector<Span>>& lists);

// `words` joined by single spaces with each span replaced by "[TYPE]".
std::string MaskText(const std::vector<std::string>& words, const std::vector<Span>& spans);

// Splits on ASCII whitespace.
std::vector<std::string> SplitWords(const std::string& text);

}  // namespace earshot::privacy::pii
