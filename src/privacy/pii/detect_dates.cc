// Dates of birth near a birth cue, and a card's expiry date and security
// code near a card cue.
#include <algorithm>
#include <cctype>

#include <string_view>

#include "privacy/pii/detect.h"

namespace earshot::privacy::pii {
namespace {

bool IsBirthCue(const Context& c, size_t i) {
  return c.Has(i, kCueBirth) || (c.Is(i, "d") && c.Is(i + 1, "o") && c.Is(i + 2, "b"));
}

// Index past a year at i (see ParseYear), 0 if none.
size_t YearEnd(const Context& c, size_t i, bool allow_short) {
  int year = 0;
  return ParseYear(c.w, i, allow_short, &year);
}

// Index past a day-month or month-day number pair joined by "slash", with a
// year after a second "slash" ("three slash fourteen slash eighty two").
size_t SlashDateEnd(const Context& c, size_t i) {
  size_t consumed = 0;
  if (!ParseDay(c.w, i, &consumed)) return 0;
  size_t j = i + consumed;
  if (!c.Is(j, "slash")) return 0;
  if (!ParseDay(c.w, j + 1, &consumed)) return 0;
  j += 1 + consumed;
  if (!c.Is(j, "slash")) return j;
  const size_t y = YearEnd(c, j + 1, true);
  return y ? y : j;
}

// A digit string that reads as MMDDYY, DDMMYY, MMDDYYYY, DDMMYYYY or YYYYMMDD.
bool DigitsLookLikeDate(const std::string& d) {
  if (d.size() != 6 && d.size() != 8) return false;
  auto num = [&d](size_t at, size_t n) { return std::stoi(d.substr(at, n)); };
  if (d.size() == 8 && (num(0, 2) == 19 || num(0, 2) == 20)) {
    return num(4, 2) >= 1 && num(4, 2) <= 12 && num(6, 2) >= 1 && num(6, 2) <= 31;
  }
  const int a = num(0, 2), b = num(2, 2);
  const bool md = a >= 1 && a <= 12 && b >= 1 && b <= 31;
  const bool dm = b >= 1 && b <= 12 && a >= 1 && a <= 31;
  if (d.size() == 8 && !(num(4, 2) == 19 || num(4, 2) == 20)) return false;
  return md || dm;
}

// End of a date expression starting at `i`, or 0.
size_t DateEnd(const Context& c, size_t i) {
  // Every date starts with "the", a month, a day or number word, or a digit.
  if (i >= c.size() || c.w[i].empty() ||
      !(c.Has(i, kNumberWord | kDateWord) || c.Is(i, "the") ||
        std::isdigit(static_cast<unsigned char>(c.w[i][0])) || c.w[i][0] == '\'')) {
    return 0;
  }
  size_t consumed = 0;
  size_t j = i;
  if (c.Is(j, "the")) ++j;
  if (j < c.size() && MonthNumber(c.w[j])) {  // july (the) fourth (of) (nineteen eighty)
    size_t k = j + 1;
    if (c.Is(k, "the")) ++k;
    const size_t after_month = k;
    const size_t year_only = YearEnd(c, k, false);  // march nineteen eighty two
    if (ParseDay(c.w, k, &consumed)) k += consumed;
    const bool day = k > after_month;
    if (day && c.Is(k, "of") && YearEnd(c, k + 1, false)) ++k;
    // The longer reading wins: "may nineteen nineteen eighty three" is a day.
    if (size_t y = YearEnd(c, k, day)) return std::max(y, year_only);
    return std::max(day ? k : 0, year_only);
  }
  if (ParseDay(c.w, j, &consumed)) {
    size_t k = j + consumed;
    if (c.Is(k, "of")) ++k;
    if (k < c.size() && MonthNumber(c.w[k])) {  // (the) fourth (of) july (nineteen eighty)
      if (size_t y = YearEnd(c, k + 1, true)) return y;
      return k + 1;
    }
  }
  if (size_t s = SlashDateEnd(c, j)) return s;
  if (const NumberRun* r = c.RunAt(j)) {  // 07/04/1980, oh seven oh four eighty
    if (DigitsLookLikeDate(r->digits)) return r->end;
  }
  return YearEnd(c, j, false);  // nineteen eighty, 1980
}

}  // namespace

void DetectDatesOfBirth(const Context& c, Claims& claims) {
  for (size_t cue = 0; cue < c.size(); ++cue) {
    if (!IsBirthCue(c, cue)) continue;
    // A date up to 8 words after the cue ("i was born on july fourth ...") or
    // ending up to 5 words before it ("july fourth nineteen eighty is my birthday").
    bool after = false;
    for (size_t i = cue + 1; i < std::min(c.size(), cue + 9); ++i) {
      if (claims.Taken(i)) continue;
      if (size_t end = DateEnd(c, i)) {
        after = claims.Add(PiiType::kDateOfBirth, i, end);
        break;
      }
    }
    if (after) continue;
    // Before the cue, the date ends at most five words before it ("... is
    // my date of birth").
    for (size_t i = cue >= 16 ? cue - 16 : 0; i < cue; ++i) {
      if (size_t end = DateEnd(c, i); end && end <= cue + 1 && end + 5 >= cue) {
        if (claims.Add(PiiType::kDateOfBirth, i, std::min(end, cue))) break;
      }
    }
  }
}

namespace {

// Index past an expiry date at i: "oh four twenty seven", "four slash twenty
// seven", "april twenty twenty seven", "04/27", "zero four two seven".
size_t ExpiryEnd(const Context& c, size_t i) {
  if (i >= c.size()) return 0;
  if (MonthNumber(c.w[i])) {
    if (size_t y = YearEnd(c, i + 1, true)) return y;
    return 0;
  }
  const NumberRun* r = c.RunAt(i);
  if (!r) return 0;
  size_t end = r->end;
  if (c.Is(end, "slash")) {
    if (size_t y = YearEnd(c, end + 1, true)) return y;
    if (const NumberRun* y = c.RunAt(end + 1)) return y->end;
  }
  // A month then a year as one run: 3 to 6 digits.
  return r->digits.size() >= 3 && r->digits.size() <= 6 ? end : 0;
}

// A card cue in the `span` words before `at`.
bool CardNear(const Context& c, size_t at, size_t span) {
  for (size_t k = at >= span ? at - span : 0; k < at; ++k) {
    if (c.Has(k, kCueCard)) return true;
  }
  return false;
}

// Whether a security code's cue ends at `i`: "cvv", "cvc", "c v v", "security
// code", "verification code", "code on the back", "digits on the back".
bool CvcCueAt(const Context& c, size_t i) {
  if (!c.Has(i, kCueCvc) && !c.IsLetter(i)) return false;
  const std::string_view x = c.w[i];
  if (x == "cvv" || x == "cvc" || x == "cvv2" || x == "cvc2" || x == "cid" || x == "csc") {
    return true;
  }
  if (i >= 2 && c.Is(i - 2, "c") && (c.Is(i - 1, "v") || c.Is(i - 1, "s"))) {
    return x == "v" || x == "c";
  }
  if (x != "code" && x != "digits" && x != "back") return false;
  for (size_t k = i >= 4 ? i - 4 : 0; k < std::min(c.size(), i + 4); ++k) {
    const std::string_view y = c.w[k];
    if (k != i && (y == "security" || y == "verification" || y == "back" || y == "card")) {
      return true;
    }
  }
  return false;
}

}  // namespace

void DetectCardParts(const Context& c, Claims& claims) {
  for (size_t cue = 0; cue < c.size(); ++cue) {
    if (!c.Has(cue, kCueExpiry)) continue;
    // "valid", "good", "through" count only with "until/thru" or a card near.
    const std::string_view x = c.w[cue];
    const bool strong = x == "expires" || x == "expiry" || x == "expiration" || x == "exp" ||
                        x == "expiring" || x == "expire" ||
                        ((x == "thru" || x == "through" || x == "until") && cue > 0 &&
                         (c.Is(cue - 1, "valid") || c.Is(cue - 1, "good")));
    if (!strong && !CardNear(c, cue, 12)) continue;
    for (size_t i = cue + 1; i < std::min(c.size(), cue + 5); ++i) {
      if (claims.Taken(i)) break;
      if (size_t end = ExpiryEnd(c, i)) {
        claims.Add(PiiType::kCardNumber, i, end);
        cue = end - 1;
        break;
      }
    }
  }
  // The first number after a security code cue, within six words.
  for (size_t cue = 0; cue < c.size(); ++cue) {
    if (!CvcCueAt(c, cue)) continue;
    for (size_t i = cue + 1; i < std::min(c.size(), cue + 7); ++i) {
      const NumberRun* r = c.RunAt(i);
      if (!r) continue;
      const size_t n = r->digits.size();
      if (n >= 3 && n <= 4 && claims.Free(r->start, r->end)) {
        claims.Add(PiiType::kCardNumber, r->start, r->end);
      }
      cue = r->end - 1;
      break;
    }
  }
}

}  // namespace earshot::privacy::pii
