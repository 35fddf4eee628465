// Street addresses, spelled ids after an id cue, and number runs typed by
// their cue and shape (phone, card, id, long number).
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <cctype>

#include <string_view>

#include "privacy/pii/detect.h"

namespace earshot::privacy::pii {
namespace {

// Words that make "a five minute walk" a duration, not a street.
bool IsMeasure(std::string_view x) {
  return x == "minute" || x == "minutes" || x == "hour" || x == "mile" || x == "miles" ||
         x == "block" || x == "blocks" || x == "second" || x == "day" || x == "week" ||
         x == "km" || x == "kilometer" || x == "meter" || x == "foot" || x == "feet";
}

// A word of a spelled code: one letter, a number word, or a written token
// of letters and digits.
bool CodeWord(const Context& c, size_t i) {
  if (i >= c.size()) return false;
  if (c.IsLetter(i) || c.Has(i, kNumberWord)) return true;
  const std::string_view x = c.w[i];
  if (x.empty() || x.size() > 12) return false;
  return std::all_of(x.begin(), x.end(),
                     [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)); }) &&
         std::any_of(x.begin(), x.end(),
                     [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
}

// Index past a postcode said or written at i: "s w one a two b b", "m five
// v three l nine", a 5, 6 or 9 digit run (ZIP, PIN).
size_t PostcodeEnd(const Context& c, size_t i) {
  if (const NumberRun* r = c.RunAt(i)) {
    const size_t n = r->digits.size();
    return n == 5 || n == 6 || n == 9 ? r->end : 0;
  }
  if (!c.IsLetter(i) || c.Has(i, kNumberWord)) return 0;
  size_t j = i, letters = 0, digits = 0;
  while (j < c.size() && j < i + 8 && (c.IsLetter(j) || DigitWord(c.w[j]))) {
    (DigitWord(c.w[j]) ? digits : letters) += 1;
    ++j;
  }
  return j - i >= 5 && letters >= 2 && digits >= 2 ? j : 0;
}

}  // namespace

// Where a street's kind comes before its name ("rue de la paix", "via
// roma", "calle mayor"): the index past the name, or 0.
size_t StreetFirstEnd(const Context& c, size_t i) {
  static constexpr std::string_view kKinds[] = {"rue",   "via",    "calle",  "avenida", "rua",
                                                "viale", "piazza", "strada", "carrer",  "avenue"};
  if (i >= c.size()) return 0;
  bool kind = false;
  for (std::string_view k : kKinds) kind = kind || c.Is(i, k);
  if (!kind) return 0;
  size_t j = i + 1;
  while (j < c.size() && j < i + 5 && (c.Has(j, kNameParticle) || (c.IsAlpha(j) && !c.Has(j, kStop)))) {
    ++j;
  }
  return j > i + 1 && !c.Has(j - 1, kNameParticle) ? j : 0;
}

void DetectAddresses(const Context& c, Claims& claims) {
  for (const NumberRun& r : c.runs) {
    if (r.digits.empty() || r.digits.size() > 6 || !claims.Free(r.start, r.end)) continue;
    // A unit said first ("flat three, forty two acacia avenue").
    const size_t start = r.start > 0 && c.Has(r.start - 1, kUnitWord) &&
                                 !c.Is(r.start - 1, "number") && !c.Is(r.start - 1, "room")
                             ? r.start - 1
                             : r.start;
    if (size_t e = StreetFirstEnd(c, r.end)) {
      claims.Add(PiiType::kStreetAddress, start, e);
      continue;
    }
    // Up to four street-name words, then a suffix.
    size_t j = r.end;
    size_t names = 0;
    // A street kind followed by another is a name ("park avenue", "mill road").
    while (j < c.size() && names < 4 &&
           (!c.Has(j, kStreetSuffix) || c.Has(j + 1, kStreetSuffix)) && !c.Has(j, kStop) &&
           c.IsAlpha(j) && !IsMeasure(c.w[j])) {
      ++j;
      ++names;
    }
    if (names == 0 || !c.Has(j, kStreetSuffix)) continue;
    size_t end = j + 1;
    // Unit: "apartment three", "apt 4b", "suite two hundred", "flat four b".
    if (end + 1 < c.size() && c.Has(end, kUnitWord)) {
      size_t k = end + 1;
      if (const NumberRun* u = c.RunAt(k)) k = u->end;
      if (k == end + 1 && c.w[k].size() <= 3) {
        ++k;  // "apt 4b", "unit c"
      } else if (c.IsLetter(k) && ((!c.Is(k, "a") && !c.Is(k, "i")) || k + 1 == c.size() ||
                                   c.Is(k + 1, "zip") || c.IsLetter(k + 1) ||
                                   (c.Has(k + 1, kStop) && !c.Is(k + 1, "day")) ||
                                   c.Has(k + 1, kNumberWord))) {
        ++k;  // "four b", "sixteen a" (not "a" before a word: "unit a day")
      }
      end = k;
    }
    // A postcode within the next few words (city and state may come between).
    for (size_t z = end; z < std::min(c.size(), end + 5); ++z) {
      if (claims.Taken(z) || (z > end && c.Has(z - 1, kStop) && !c.Is(z - 1, "in"))) break;
      if (size_t pe = PostcodeEnd(c, z)) {
        end = pe;
        break;
      }
    }
    claims.Add(PiiType::kStreetAddress, start, end);
  }
}

void DetectSpelledIds(const Context& c, Claims& claims) {
  for (size_t cue = 0; cue < c.size(); ++cue) {
    if (!c.Has(cue, kCueId)) continue;
    size_t i = cue + 1;
    // "policy number is", "passport no", "reference of", "id's".
    while (i < c.size() && i < cue + 4 &&
           (c.Has(i, kCueId | kUnitWord) || c.Is(i, "is") || c.Is(i, "no") || c.Is(i, "my") ||
            c.Is(i, "it's") || c.Is(i, "of") || c.Is(i, "the") || c.Is(i, "reads"))) {
      ++i;
    }
    size_t j = i, letters = 0, digits = 0;
    while (j < c.size() && j < i + 24 && !claims.Taken(j)) {
      if (CodeWord(c, j)) {
        (c.IsLetter(j) && !DigitWord(c.w[j]) ? letters : digits) += 1;
        ++j;
      } else if ((c.Is(j, "dash") || c.Is(j, "hyphen") || c.Is(j, "slash")) &&
                 CodeWord(c, j + 1) && j > i) {
        ++j;
      } else {
        break;
      }
    }
    if (j - i >= 3 && letters >= 1 && digits >= 1) {
      claims.Add(PiiType::kIdNumber, i, j);
      cue = j - 1;
    }
  }
}

namespace {

enum class Cue { kNone, kPhone, kCard, kId };

// The nearest cue in the six words before `start`; "number" alone counts as
// a phone cue only if nothing more specific is near ("social security number").
Cue CueBefore(const Context& c, size_t start) {
  const size_t from = start >= 6 ? start - 6 : 0;
  bool said_number = false;
  for (size_t i = start; i-- > from;) {
    if (c.Has(i, kCueCard)) return Cue::kCard;
    if (c.Has(i, kCueId)) return Cue::kId;
    if (c.Has(i, kCuePhone)) return Cue::kPhone;
    said_number = said_number || c.Is(i, "number");
  }
  return said_number ? Cue::kPhone : Cue::kNone;
}

bool PhonePossible(const std::string& digits) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  if (digits.size() < 7 || digits.size() > 15) return false;
  const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  if (digits.size() <= 11) {
    // A North American number, with or without the leading 1: built directly,
    // which skips the parser's regular expressions (most of the cost).
    const std::string national =
        digits.size() == 11 && digits[0] == '1' ? digits.substr(1) : digits;
    if (national.size() > 10) return false;
    number.set_country_code(1);
    number.set_national_number(std::stoull(national));
  } else if (util->Parse("+" + digits, "US", &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
    return false;
  }
  const auto reason = util->IsPossibleNumberWithReason(number);
  return reason == PhoneNumberUtil::IS_POSSIBLE ||
         reason == PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY;
}

bool IsWrittenSsn(const Context& c, const NumberRun& r) {
  if (r.end != r.start + 1) return false;
  const std::string& x = c.w[r.start];
  return x.size() == 11 && x[3] == '-' && x[6] == '-' && r.digits.size() == 9;
}

// Start of an international prefix said before the run ("plus", "country
// code"), or r.start where there is none.
size_t InternationalStart(const Context& c, const NumberRun& r) {
  if (r.start >= 1 && c.Is(r.start - 1, "plus")) return r.start - 1;
  if (r.start >= 2 && c.Is(r.start - 2, "country") && c.Is(r.start - 1, "code")) {
    return r.start - 2;
  }
  if (!c.w[r.start].empty() && c.w[r.start][0] == '+') return r.start;
  return r.start;
}

}  // namespace

void DetectNumbers(const Context& c, Claims& claims) {
  for (const NumberRun& r : c.runs) {
    if (!claims.Free(r.start, r.end)) continue;
    const size_t n = r.digits.size();
    const Cue cue = CueBefore(c, r.start);
    const bool written = r.end == r.start + 1 && !DigitWord(c.w[r.start]);
    const size_t intl = InternationalStart(c, r);
    const bool plus = intl < r.start || c.w[r.start][0] == '+';
    const bool double_oh = n >= 10 && r.digits.compare(0, 2, "00") == 0;
    const bool trunk = n >= 10 && n <= 11 && r.digits[0] == '0';
    std::optional<PiiType> type;
    size_t start = r.start;
    if (IsWrittenSsn(c, r)) {
      type = PiiType::kIdNumber;
    } else if ((plus && n >= 8 && n <= 15) || (double_oh && n <= 17)) {
      type = PiiType::kPhone;  // "plus four four seven nine ...", "double oh four four ..."
      start = intl;
    } else if (n >= 13 && n <= 19 && (LuhnValid(r.digits) || cue == Cue::kCard)) {
      type = PiiType::kCardNumber;
    } else if (cue == Cue::kCard && n >= 4) {
      type = PiiType::kCardNumber;  // partial card numbers ("ending in four two four two")
    } else if (cue == Cue::kId && n >= 4) {
      type = PiiType::kIdNumber;
    } else if (n >= 7 && n <= 15 && cue == Cue::kPhone) {
      type = PiiType::kPhone;
    } else if (n >= 10 && n <= 15 && (trunk || PhonePossible(r.digits))) {
      type = PiiType::kPhone;  // a local 7-digit number needs a cue to be told from others
    } else if (n >= 9) {
      type = PiiType::kIdNumber;  // long identifiers said any way
    } else if (r.single_digit_words >= 4 || (written && n >= 5)) {
      type = PiiType::kLongNumber;
    }
    if (type) claims.Add(*type, start, r.end);
  }
}

}  // namespace earshot::privacy::pii
