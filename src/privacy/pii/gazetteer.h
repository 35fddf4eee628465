// Name gazetteers and the small word lists the detectors use, behind one
// lookup: WordFlags gives every list a word is on as one bit mask, so each
// word of a transcript is looked up once (redact-text speed). Internal to
// pii/. Thread-safe (read-only tables, built on first use).
//
// Names: gazetteer_names.cc (US census lists and common names of many
// countries). Names that are also everyday words ("will", "may", "grace",
// "austin") are kept apart (kAmbiguousName) and count as names only after a
// strong cue ("my name is ...").
#pragma once

#include <cstdint>
#include <string_view>

namespace earshot::privacy::pii {

enum WordFlag : uint32_t {
  kStop = 1u << 0,           // function words that end a name or address
  kGivenName = 1u << 1,      // unambiguous given names
  kAmbiguousName = 1u << 2,  // given names that are also common words
  kSurname = 1u << 3,
  kStreetSuffix = 1u << 4,  // "street", "st", "avenue", "grove", "mews", ...
  kUnitWord = 1u << 5,      // "apartment", "apt", "unit", "suite", "flat", ...
  kTld = 1u << 6,           // "com", "org", "uk", "io", ...
  kCommon = 1u << 7,        // everyday words that are never taken for a name
  kTitle = 1u << 8,         // "doctor", "mrs", "professor", "aunt", ...
  kKin = 1u << 9,           // "son", "wife", "grandma", "boss", ...
  kNameParticle = 1u << 10,  // "de", "al", "van", "bin": inside a family name
  kCueCard = 1u << 11,       // "card", "visa", ...
  kCueId = 1u << 12,         // "passport", "policy", "ssn", ...
  kCuePhone = 1u << 13,      // "phone", "call", "mobile", ...
  kCueBirth = 1u << 14,      // "born", "birthday", "dob", ...
  kCueExpiry = 1u << 15,     // "expires", "expiry", "valid", ...
  kCueCvc = 1u << 16,        // "cvv", "cvc", "security", ...
  kNameVerb = 1u << 17,      // "call", "text", "tell", "remind": a contact may follow
  kNumberWord = 1u << 18,    // "one", "twenty", "hundred", "double", "oh", ...
  kEmailCue = 1u << 19,      // words that end an e-mail's local part going back
  kJoiner = 1u << 20,        // "dot", "dash", "hyphen", "underscore"
  kNameCue = 1u << 21,       // "name", "named", "called", "add": a name may follow
  kDeterminer = 1u << 22,    // "the", "a", "my", "her", ...
  kDateWord = 1u << 23,      // months and ordinals
};

// Every list `w` (normalized, lower case) is on; 0 for none.
uint32_t WordFlags(std::string_view w);

inline bool IsGivenName(std::string_view w) { return WordFlags(w) & kGivenName; }
inline bool IsAmbiguousName(std::string_view w) { return WordFlags(w) & kAmbiguousName; }
inline bool IsSurname(std::string_view w) { return WordFlags(w) & kSurname; }
inline bool IsStreetSuffix(std::string_view w) { return WordFlags(w) & kStreetSuffix; }
inline bool IsUnitWord(std::string_view w) { return WordFlags(w) & kUnitWord; }
inline bool IsTopLevelDomain(std::string_view w) { return WordFlags(w) & kTld; }
inline bool IsStopWord(std::string_view w) { return WordFlags(w) & kStop; }

}  // namespace earshot::privacy::pii
