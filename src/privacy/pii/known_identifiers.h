// Identifiers in a transcript (DESIGN.md invariant 3): the ones the server
// knows for the recording — account id, device serial, capture time — in the
// forms people say and products write them, and tokens that look like an
// identifier even when nobody knows whose. Runs on product hypotheses and
// recognizer words alike, before any text reaches a reviewer.
// Pure algorithm: no storage, no logging. Thread-safe (read-only tables).
//
// What is matched (docs/privacy-model.md lists it with what is not):
// - account and serial: case-insensitively, compared on their letters and
//   digits only, as one token ("SN-1234-AB", also inside a longer token),
//   split over several ("SN 1234 AB", "sn - 1234 - ab"), or spelled out
//   ("s n one two three four a b", "sierra november twelve thirty four alpha
//   bravo", "double five"); spoken separators ("dash", "dot", ...) may come
//   between the pieces. Codes under kMinCodeChars letters and digits are not
//   matched (they would mask ordinary words and identify nobody).
// - capture time, in the recording's local time and in UTC, within a minute
//   either side: dates written ("2026-11-03", "11/03/2026", "3/11/26",
//   "3 Nov 2026", "November 3rd, 2026") and said ("november third", "the
//   third of november twenty twenty six"); clock times written ("14:05",
//   "2:05 pm", "2:05pm", "1405 hours") and said ("two oh five p m",
//   "fourteen oh five"); "two pm" and "two o'clock" when the minute is :00.
// - id-like tokens (IsIdToken) and letter-and-digit runs spelled out ("x y z
//   one two three").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "privacy/pii/pii.h"

namespace earshot::privacy::pii {

// What the server holds about one recording. Any field may be empty.
struct KnownIdentifiers {
  std::string account;
  std::string device_serial;
  bool has_capture_time = false;
  int64_t captured_at_ms = 0;  // Unix ms
  // The recording's offset from UTC at capture (from its captured_at), in
  // minutes; 0 where it was given in UTC. Times are matched in this local
  // time and in UTC.
  int utc_offset_min = 0;
};

constexpr size_t kMinCodeChars = 4;

// Spans (ACCOUNT_ID, DEVICE_SERIAL, CAPTURE_TIME) where `words` mention an
// identifier in `known`. `words` as given to DetectPii (any case,
// punctuation allowed); an entry holding spaces is looked at word by word
// and masked whole. Spans are sorted and never overlap.
std::vector<Span> DetectKnownIdentifiers(const std::vector<std::string>& words,
                                         const KnownIdentifiers& known);

// Spans (ID_TOKEN) over the words that look like an identifier (IsIdToken)
// and over spelled-out runs that mix letters and digits ("a b c one two",
// at least four letters and digits, two of them letters, one of those not
// "a", "i" or "o"). Sorted, never overlapping.
std::vector<Span> DetectIdTokens(const std::vector<std::string>& words);

// Whether one written token looks like an identifier:
// - letters mixed with digits ("ab12cd", "x9", "4b"), except ordinals
//   ("4th"), a number with a unit ("5pm", "10km", "80s", "1080p"), a clock
//   time ("2:05pm") and a few common words ("mp3", "covid19", "5g", "h2o");
// - a run of 5 or more digits ("98765"; "10,000" is a quantity, not a run);
// - a code joined by '-', '_', '/', '.' or ':' that holds digits: with 5 or
//   more digits in all ("99-812-33", "192.168.1.1", "2026-11-03"), a piece
//   mixing letters and digits ("a1-b2-c3"), or a short letter prefix (1-3
//   letters, not a common word like "top") before 3 or more digits
//   ("ord-998", "sn-1234"). "5-minute", "24-hour" and "covid-19" are words.
bool IsIdToken(const std::string& token);

// Known identifiers first, then `others` (e.g. DetectPii's spans), then id
// tokens, merged (MergeSpans): everything a reviewer must not read in `words`.
std::vector<Span> DetectIdentifiers(const std::vector<std::string>& words,
                                    const KnownIdentifiers& known,
                                    const std::vector<Span>& others = {});

// `text` (split on whitespace) with every identifier above masked as
// "[TYPE]"; `text` itself, unchanged, where there is none. For text that has
// no word times (a last check before text is published).
std::string MaskIdentifiers(const std::string& text, const KnownIdentifiers& known);

}  // namespace earshot::privacy::pii
