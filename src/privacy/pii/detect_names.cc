// Person names: after a cue ("my name is", "this is", "call me", a title, a
// kinship word, "call", "text", "meeting with") whether or not the gazetteer
// knows the name, and given names from the gazetteer anywhere.
#include <string_view>

#include "privacy/pii/detect.h"

namespace earshot::privacy::pii {
namespace {

bool EndsWith(std::string_view w, std::string_view tail) {
  return w.size() >= tail.size() && w.compare(w.size() - tail.size(), tail.size(), tail) == 0;
}

// The shape of a verb form, adverb or adjective rather than a name.
// `ly`: count "-ly" as an adverb's ending (not for a later word of a name:
// "donnelly", "reilly").
bool WordShaped(std::string_view w, bool ly = true) {
  return (w.size() >= 5 && EndsWith(w, "ing")) || (ly && w.size() >= 5 && EndsWith(w, "ly")) ||
         (w.size() >= 7 && EndsWith(w, "ed")) || EndsWith(w, "ous") || EndsWith(w, "ful") ||
         EndsWith(w, "able") || EndsWith(w, "ible") || EndsWith(w, "n't") ||
         EndsWith(w, "'ll") || EndsWith(w, "'re") || EndsWith(w, "'ve") || EndsWith(w, "'d");
}

constexpr uint32_t kNotAName = kStop | kCommon | kTitle | kKin | kNumberWord | kCueCard |
                               kCueId | kCuePhone | kCueBirth | kCueExpiry | kNameVerb |
                               kStreetSuffix | kUnitWord | kJoiner | kNameCue;

// A word that may be a name: in the gazetteer, or a word of two or more
// letters that is none of the everyday, function, number or cue words and
// not shaped like a verb or adjective.
bool Candidate(const Context& c, size_t i) {
  if (i >= c.size() || c.Has(i, kStop)) return false;
  if (c.Has(i, kGivenName | kSurname)) return true;
  const std::string& w = c.w[i];
  return c.IsAlpha(i) && w.size() >= 2 && !c.Has(i, kNotAName) && !MonthNumber(w) &&
         !WordShaped(w);
}

// A later word of a name: as Candidate, but surnames may have any shape
// ("donnelly", "okafor").
bool LaterCandidate(const Context& c, size_t i) {
  if (Candidate(c, i)) return true;
  return i < c.size() && !c.Has(i, kStop) && c.IsAlpha(i) && c.w[i].size() >= 2 &&
         !c.Has(i, kNotAName) && !MonthNumber(c.w[i]) && !WordShaped(c.w[i], false);
}

bool GazetteerName(const Context& c, size_t i) {
  return c.Has(i, kGivenName | kSurname | kAmbiguousName) && !c.Has(i, kStop);
}

// End of a name whose first word is at `i`: up to two more words that are
// names in the gazetteer, or (`cued`) words that may be names, with
// particles between ("maria de la cruz").
size_t NameEnd(const Context& c, size_t i, bool cued) {
  size_t end = i + 1;
  for (int more = 0; more < 2 && end < c.size(); ++more) {
    size_t k = end;
    while (c.Has(k, kNameParticle) && k < end + 2) ++k;
    if (c.Has(k, kGivenName | kSurname) || (cued && LaterCandidate(c, k))) {
      end = k + 1;
    } else {
      break;
    }
  }
  return end;
}

// Claims a name at `at` and, where it is then spelled ("nair spelled n a i
// r"), the letters too.
bool ClaimName(const Context& c, Claims& claims, size_t at, size_t end) {
  if (!claims.Add(PiiType::kPersonName, at, end)) return false;
  size_t k = end;
  if (c.Is(k, "spelled") || c.Is(k, "that's")) {
    ++k;
    if (c.Is(k, "as")) ++k;
    size_t j = k;
    while (j < c.size() && c.IsLetter(j)) ++j;
    if (j >= k + 2) claims.Add(PiiType::kPersonName, k, j);
  }
  return true;
}

bool Determiner(const Context& c, size_t i) { return c.Has(i, kDeterminer); }

// Where a strong cue puts a name ("my name is", "named", "call me"), or 0.
size_t StrongCue(const Context& c, size_t i, bool* any_word) {
  *any_word = false;
  if ((c.Is(i, "name") || c.Is(i, "surname")) && c.Is(i + 1, "is")) {
    *any_word = true;
    return i + 2;
  }
  if (c.Is(i, "named") || c.Is(i, "name's")) {
    *any_word = true;
    return i + 1;
  }
  if (c.Is(i, "called")) return i + 1;
  if (c.Is(i, "call") && c.Is(i + 1, "me")) return i + 2;
  return 0;
}

// "this is X", "i am X", "i'm X", "it's X": a name if the gazetteer knows it,
// or if it may be a name and what follows fits one ("speaking", "calling",
// "here", the end, or a second name word).
bool IntroducedName(const Context& c, size_t j) {
  if (GazetteerName(c, j)) return true;
  if (!Candidate(c, j)) return false;
  const size_t k = j + 1;
  return k >= c.size() || c.Is(k, "speaking") || c.Is(k, "calling") || c.Has(k, kStop) ||
         c.Is(k, "from") || LaterCandidate(c, k) || c.Has(k, kNameParticle);
}

// The word after which a contact's name comes: "message to", "meeting
// with", "reservation under", "me and".
bool ContactPreposition(const Context& c, size_t i) {
  if (i == 0 || i + 1 >= c.size()) return false;
  const std::string_view p = c.w[i];
  const std::string_view before = c.w[i - 1];
  if (p == "to") {
    return before == "message" || before == "text" || before == "email" || before == "note" ||
           before == "flowers" || before == "reply" || before == "speak" || before == "talk" ||
           before == "letter" || before == "gift" || before == "invitation";
  }
  if (p == "with") {
    return before == "meeting" || before == "appointment" || before == "lunch" ||
           before == "dinner" || before == "call" || before == "chat" || before == "session" ||
           before == "coffee" || before == "speak" || before == "talk" || before == "here" ||
           before == "interview" || before == "me";
  }
  if (p == "under") return before == "is" || before == "booked" || before == "reservation";
  if (p == "and") return before == "me";
  return false;
}

void DetectCuedNames(const Context& c, Claims& claims) {
  for (size_t i = 0; i < c.size(); ++i) {
    if (c.f[i] == 0) continue;  // every cue below is on some list
    bool any_word = false;
    if (size_t at = StrongCue(c, i, &any_word); at && at < c.size()) {
      const bool ok = any_word ? c.IsAlpha(at) && !c.Has(at, kStop | kNumberWord)
                               : Candidate(c, at) || GazetteerName(c, at);
      if (ok && ClaimName(c, claims, at, NameEnd(c, at, true))) continue;
    }
    const bool intro = (c.Is(i, "this") && c.Is(i + 1, "is")) || (c.Is(i, "i") && c.Is(i + 1, "am"));
    if (intro || c.Is(i, "i'm") || c.Is(i, "it's")) {
      const size_t j = intro ? i + 2 : i + 1;
      if (j < c.size() && IntroducedName(c, j) && ClaimName(c, claims, j, NameEnd(c, j, true))) {
        continue;
      }
    }
    // Titles: "doctor okafor", "mrs garcia", "aunt ngozi"; not "the doctor".
    if (c.Has(i, kTitle) && !(i > 0 && Determiner(c, i - 1)) &&
        (Candidate(c, i + 1) || GazetteerName(c, i + 1))) {
      if (ClaimName(c, claims, i + 1, NameEnd(c, i + 1, true))) continue;
    }
    // Kinship: "my son tunde", "her husband kenji".
    if (Determiner(c, i) && c.Has(i + 1, kKin) && Candidate(c, i + 2)) {
      if (ClaimName(c, claims, i + 2, NameEnd(c, i + 2, true))) continue;
    }
    // Contacts: "call tunde", "text amaka okafor", "meeting with kenji".
    if ((c.Has(i, kNameVerb) || ContactPreposition(c, i)) && Candidate(c, i + 1)) {
      if (ClaimName(c, claims, i + 1, NameEnd(c, i + 1, true))) continue;
    }
    // "add tunde okafor to my contacts".
    if (c.Is(i, "add") && Candidate(c, i + 1)) {
      const size_t end = NameEnd(c, i + 1, true);
      for (size_t k = end; k < std::min(c.size(), end + 4); ++k) {
        if (c.Is(k, "contacts") || c.Is(k, "contact")) {
          ClaimName(c, claims, i + 1, end);
          break;
        }
      }
    }
  }
  // "tunde here", "tunde okafor from accounting" at the start of a request.
  size_t s = 0;
  while (s < c.size() && s < 2 && c.Has(s, kStop)) ++s;
  if (Candidate(c, s) && !claims.Taken(s)) {
    const size_t end = NameEnd(c, s, true);
    if ((c.Is(end, "here") && end + 1 == c.size()) || c.Is(end, "from") ||
        c.Is(end, "speaking") || c.Is(end, "calling")) {
      ClaimName(c, claims, s, end);
    }
  }
}

}  // namespace

void DetectNames(const Context& c, Claims& claims) {
  DetectCuedNames(c, claims);
  // Any unambiguous given name, with a surname after it if one follows
  // ("call anna", "message to john smith", "remind sarah").
  for (size_t i = 0; i < c.size(); ++i) {
    if (claims.Taken(i)) continue;
    if (c.Has(i, kGivenName) && !c.Has(i, kStop)) {
      const size_t end = NameEnd(c, i, false);
      claims.Add(PiiType::kPersonName, i, end);
      i = end - 1;
    } else if (c.Has(i, kAmbiguousName) && !c.Has(i, kStop) && c.Has(i + 1, kSurname)) {
      claims.Add(PiiType::kPersonName, i, NameEnd(c, i, false));
    }
  }
}

}  // namespace earshot::privacy::pii
