#include "privacy/pii/pii.h"

#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <set>
#include <string_view>

#include "privacy/pii/gazetteer.h"
#include "privacy/pii/spoken_numbers.h"

namespace earshot::privacy::pii {
namespace {

using Words = std::vector<std::string>;

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
  void Add(PiiType type, size_t start, size_t end) {
    if (!Free(start, end)) return;
    for (size_t i = start; i < end; ++i) taken_[i] = true;
    spans_.push_back({type, start, end});
  }
  std::vector<Span> Take() {
    std::sort(spans_.begin(), spans_.end(),
              [](const Span& a, const Span& b) { return a.start < b.start; });
    return std::move(spans_);
  }

 private:
  std::vector<bool> taken_;
  std::vector<Span> spans_;
};

bool In(const std::string& w, std::initializer_list<std::string_view> list) {
  for (std::string_view s : list) {
    if (w.size() == s.size() && w == s) return true;
  }
  return false;
}

bool IsAlpha(const std::string& w) {
  return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '\'' || c == '-';
  });
}

// --- e-mail and URL ---------------------------------------------------------

bool IsDot(const std::string& w) {
  return w == "dot" || w == ".";
}

// Index just past a spoken domain starting at `i` ("gmail dot com",
// "mail dot example dot co dot uk"), or 0 if there is none.
size_t SpokenDomainEnd(const Words& w, size_t i) {
  size_t j = i;
  if (j >= w.size() || IsStopWord(w[j]) || IsDot(w[j])) return 0;
  ++j;
  size_t end = 0;
  while (j + 1 < w.size() && IsDot(w[j]) && !IsStopWord(w[j + 1])) {
    if (IsTopLevelDomain(w[j + 1])) end = j + 2;
    j += 2;
  }
  return end;
}

bool IsWrittenEmail(const std::string& w) {
  const size_t at = w.find('@');
  return at != std::string::npos && at > 0 && w.find('.', at) != std::string::npos;
}

bool IsWrittenUrl(const std::string& w) {
  if (w.rfind("http", 0) == 0 || w.rfind("www.", 0) == 0) return true;
  const size_t dot = w.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 >= w.size()) return false;
  return std::isalpha(static_cast<unsigned char>(w[0])) &&
         IsTopLevelDomain(std::string_view(w).substr(dot + 1));
}

void DetectEmailsAndUrls(const Words& w, Claims& claims) {
  for (size_t i = 0; i < w.size(); ++i) {
    if (IsWrittenEmail(w[i])) claims.Add(PiiType::kEmail, i, i + 1);
  }
  static const std::set<std::string> kEmailCues = {"email", "e-mail", "mail",    "address",
                                                   "send",  "write",  "contact", "is"};
  for (size_t k = 1; k + 1 < w.size(); ++k) {
    if (w[k] != "at") continue;
    const size_t end = SpokenDomainEnd(w, k + 1);
    if (end == 0) continue;
    size_t start = k;
    // Spelled-out letters ("a n n a") count even where the letter is a word.
    auto local_part = [&](const std::string& x) {
      return (x.size() == 1 && std::isalpha(static_cast<unsigned char>(x[0]))) ||
             (!IsStopWord(x) && !kEmailCues.count(x));
    };
    while (start > 0 && local_part(w[start - 1]) && k - start < 24) {
      --start;
    }
    if (start < k) claims.Add(PiiType::kEmail, start, end);
  }
  for (size_t i = 0; i < w.size(); ++i) {
    if (IsWrittenUrl(w[i]) && !IsWrittenEmail(w[i])) {
      claims.Add(PiiType::kUrl, i, i + 1);
      continue;
    }
    if (i > 0 && w[i - 1] == "at") continue;  // an e-mail domain, handled above
    size_t start = i;
    if (w[i] == "w" && i + 3 < w.size() && w[i + 1] == "w" && w[i + 2] == "w" && IsDot(w[i + 3])) {
      const size_t end = SpokenDomainEnd(w, i + 4);
      if (end) claims.Add(PiiType::kUrl, start, end);
      continue;
    }
    const size_t end = SpokenDomainEnd(w, i);
    if (end == 0) continue;
    size_t stop = end;
    while (stop + 1 < w.size() && w[stop] == "slash" && !IsStopWord(w[stop + 1])) stop += 2;
    claims.Add(PiiType::kUrl, start, stop);
  }
}

// --- dates of birth ---------------------------------------------------------

bool IsBirthCue(const Words& w, size_t i) {
  return In(w[i], {"born", "birthday", "birth", "dob", "birthdate"}) ||
         (w[i] == "d" && i + 2 < w.size() && w[i + 1] == "o" && w[i + 2] == "b");
}

// A year at run `r` (1900-2099, said as "nineteen eighty" or written).
bool IsYearRun(const NumberRun& r) {
  if (r.digits.size() != 4) return false;
  const int y = std::stoi(r.digits);
  return y >= 1900 && y <= 2099;
}

// End of a date expression starting at `i`, or 0.
size_t DateEnd(const Words& w, size_t i, const std::vector<NumberRun>& runs) {
  auto year_after = [&](size_t j) -> size_t {
    for (const auto& r : runs) {
      if (r.start == j && IsYearRun(r)) return r.end;
    }
    return j;
  };
  size_t consumed = 0;
  size_t j = i;
  if (j < w.size() && w[j] == "the") ++j;
  if (j < w.size() && MonthNumber(w[j])) {  // july fourth [nineteen eighty]
    size_t k = j + 1;
    if (k < w.size() && w[k] == "the") ++k;
    if (ParseDay(w, k, &consumed)) k += consumed;
    if (k < w.size() && w[k] == "of") ++k;
    const size_t end = year_after(k);
    return end > j + 1 || k > j + 1 ? std::max(end, k) : 0;
  }
  if (ParseDay(w, j, &consumed) && j + consumed + 1 < w.size() && w[j + consumed] == "of" &&
      MonthNumber(w[j + consumed + 1])) {  // the fourth of july [nineteen eighty]
    return year_after(j + consumed + 2);
  }
  for (const auto& r : runs) {  // nineteen eighty, 1980, 07/04/1980
    if (r.start == j && (IsYearRun(r) || (r.digits.size() == 8 && r.end == j + 1))) return r.end;
  }
  return 0;
}

void DetectDatesOfBirth(const Words& w, const std::vector<NumberRun>& runs, Claims& claims) {
  for (size_t c = 0; c < w.size(); ++c) {
    if (!IsBirthCue(w, c)) continue;
    // A date up to 8 words after the cue ("i was born on july fourth ...") or
    // up to 6 before it ("july fourth nineteen eighty is my birthday").
    for (size_t i = c + 1; i < std::min(w.size(), c + 9); ++i) {
      if (size_t end = DateEnd(w, i, runs)) {
        claims.Add(PiiType::kDateOfBirth, i, end);
        break;
      }
    }
    for (size_t i = c >= 6 ? c - 6 : 0; i < c; ++i) {
      if (size_t end = DateEnd(w, i, runs); end && end <= c + 1) {
        claims.Add(PiiType::kDateOfBirth, i, std::min(end, c));
        break;
      }
    }
  }
}

// --- street addresses -------------------------------------------------------

void DetectAddresses(const Words& w, const std::vector<NumberRun>& runs, Claims& claims) {
  for (const NumberRun& r : runs) {
    if (r.digits.empty() || r.digits.size() > 6) continue;
    // Up to three street-name words, then a suffix.
    size_t j = r.end;
    size_t names = 0;
    while (j < w.size() && names < 4 && !IsStreetSuffix(w[j]) && !IsStopWord(w[j]) &&
           IsAlpha(w[j])) {
      ++j;
      ++names;
    }
    if (names == 0 || j >= w.size() || !IsStreetSuffix(w[j])) continue;
    size_t end = j + 1;
    // Unit: "apartment three", "apt 4b", "suite two hundred".
    if (end + 1 < w.size() && IsUnitWord(w[end])) {
      size_t k = end + 1;
      for (const auto& u : runs) {
        if (u.start == k) k = u.end;
      }
      if (k == end + 1 && w[k].size() <= 3) ++k;  // "apt 4b", "unit c"
      end = k;
    }
    // A ZIP code within the next few words (city and state may come between).
    for (const auto& z : runs) {
      if (z.start >= end && z.start <= end + 4 && (z.digits.size() == 5 || z.digits.size() == 9)) {
        end = z.end;
        break;
      }
    }
    claims.Add(PiiType::kStreetAddress, r.start, end);
  }
}

// --- numbers ----------------------------------------------------------------

enum class Cue { kNone, kPhone, kCard, kId };

// The nearest cue in the six words before `start`; "number" alone counts as
// a phone cue only if nothing more specific is near ("social security number").
Cue CueBefore(const Words& w, size_t start) {
  const size_t from = start >= 6 ? start - 6 : 0;
  bool said_number = false;
  for (size_t i = start; i-- > from;) {
    const std::string& x = w[i];
    if (In(x, {"card", "credit", "debit", "visa", "mastercard", "amex"})) return Cue::kCard;
    if (In(x, {"social",    "security",     "ssn",         "account",  "member",   "membership",
               "policy",    "passport",     "license",     "licence",  "id",       "identification",
               "pin",       "routing",      "customer",    "patient",  "employee", "student",
               "tax",       "confirmation", "reservation", "tracking", "serial",   "iban",
               "insurance", "voucher",      "password",    "passcode", "code"})) {
      return Cue::kId;
    }
    if (In(x, {"phone", "call", "dial", "text", "cell", "mobile", "telephone", "fax", "reach",
               "contact", "ring"})) {
      return Cue::kPhone;
    }
    said_number = said_number || x == "number";
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

bool IsWrittenSsn(const Words& w, const NumberRun& r) {
  if (r.end != r.start + 1) return false;
  const std::string& x = w[r.start];
  return x.size() == 11 && x[3] == '-' && x[6] == '-' && r.digits.size() == 9;
}

void DetectNumbers(const Words& w, const std::vector<NumberRun>& runs, Claims& claims) {
  for (const NumberRun& r : runs) {
    const size_t n = r.digits.size();
    const Cue cue = CueBefore(w, r.start);
    const bool written = r.end == r.start + 1 && !DigitWord(w[r.start]);
    std::optional<PiiType> type;
    if (IsWrittenSsn(w, r)) {
      type = PiiType::kIdNumber;
    } else if (n >= 13 && n <= 19 && (LuhnValid(r.digits) || cue == Cue::kCard)) {
      type = PiiType::kCardNumber;
    } else if (cue == Cue::kCard && n >= 4) {
      type = PiiType::kCardNumber;  // partial card numbers ("ending in four two four two")
    } else if (cue == Cue::kId && n >= 4) {
      type = PiiType::kIdNumber;
    } else if (n >= 7 && n <= 15 && (cue == Cue::kPhone || n >= 10) && PhonePossible(r.digits)) {
      type = PiiType::kPhone;  // a local 7-digit number needs a cue to be told from others
    } else if (n >= 9) {
      type = PiiType::kIdNumber;  // long identifiers said any way
    } else if (r.single_digit_words >= 4 || (written && n >= 5)) {
      type = PiiType::kLongNumber;
    }
    if (type) claims.Add(*type, r.start, r.end);
  }
}

// --- person names -----------------------------------------------------------

bool IsNameWord(const std::string& x) {
  return IsGivenName(x) || IsSurname(x);
}

// Extends a name starting at `i` over a following surname or given name.
size_t NameEnd(const Words& w, size_t i) {
  size_t end = i + 1;
  while (end < w.size() && end < i + 3 && (IsSurname(w[end]) || IsGivenName(w[end]))) ++end;
  return end;
}

void DetectNames(const Words& w, Claims& claims) {
  for (size_t i = 0; i < w.size(); ++i) {
    // Strong cues: whatever follows is a name ("my name is ayodele").
    size_t at = 0;
    if (i + 2 < w.size() && w[i] == "name" && w[i + 1] == "is") at = i + 2;
    if (i + 1 < w.size() && In(w[i], {"named", "name's", "called"})) at = i + 1;
    if (i + 2 < w.size() && w[i] == "call" && w[i + 1] == "me") at = i + 2;
    if (at && !IsStopWord(w[at]) && IsAlpha(w[at])) {
      size_t end = at + 1;
      if (end < w.size() && !IsStopWord(w[end]) && IsAlpha(w[end]) &&
          (IsNameWord(w[end]) || IsAmbiguousName(w[end]))) {
        ++end;
      }
      claims.Add(PiiType::kPersonName, at, end);
      continue;
    }
    // "this is anna", "i am john smith", "i'm maria": names from the gazetteer
    // (also the ambiguous ones), so that "this is great" is not a name.
    if ((i + 2 < w.size() &&
         ((w[i] == "this" && w[i + 1] == "is") || (w[i] == "i" && w[i + 1] == "am"))) ||
        (i + 1 < w.size() && In(w[i], {"i'm", "it's"}))) {
      const size_t j = w[i] == "i'm" || w[i] == "it's" ? i + 1 : i + 2;
      if (IsNameWord(w[j]) || IsAmbiguousName(w[j])) {
        claims.Add(PiiType::kPersonName, j, NameEnd(w, j));
        continue;
      }
    }
    // Titles: "doctor patel", "mrs garcia".
    if (i + 1 < w.size() && In(w[i], {"mister", "mr", "mrs", "ms", "miss", "doctor", "dr",
                                      "professor", "aunt", "uncle", "grandma", "grandpa"})) {
      if (IsAlpha(w[i + 1]) && !IsStopWord(w[i + 1])) {
        claims.Add(PiiType::kPersonName, i + 1, NameEnd(w, i + 1));
        continue;
      }
    }
  }
  // Any unambiguous given name, with a surname after it if one follows
  // ("call anna", "message to john smith", "remind sarah").
  for (size_t i = 0; i < w.size(); ++i) {
    if (IsGivenName(w[i])) {
      const size_t end = NameEnd(w, i);
      claims.Add(PiiType::kPersonName, i, end);
      i = end - 1;
    } else if (IsAmbiguousName(w[i]) && i + 1 < w.size() && IsSurname(w[i + 1])) {
      claims.Add(PiiType::kPersonName, i, NameEnd(w, i));
    }
  }
}

}  // namespace

const char* TypeName(PiiType type) {
  switch (type) {
    case PiiType::kPhone: return "PHONE";
    case PiiType::kCardNumber: return "CARD_NUMBER";
    case PiiType::kIdNumber: return "ID_NUMBER";
    case PiiType::kStreetAddress: return "STREET_ADDRESS";
    case PiiType::kEmail: return "EMAIL";
    case PiiType::kUrl: return "URL";
    case PiiType::kPersonName: return "PERSON_NAME";
    case PiiType::kDateOfBirth: return "DATE_OF_BIRTH";
    case PiiType::kLongNumber: return "LONG_NUMBER";
    case PiiType::kAccountId: return "ACCOUNT_ID";
    case PiiType::kDeviceSerial: return "DEVICE_SERIAL";
    case PiiType::kCaptureTime: return "CAPTURE_TIME";
    case PiiType::kIdToken: return "ID_TOKEN";
  }
  return "PII";
}

std::vector<std::string> SplitWords(const std::string& text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    size_t j = i;
    while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j]))) ++j;
    if (j > i) out.push_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

// Joins digit-by-digit runs separated by one other word: a recognizer often
// mishears one digit of a long number ("two one two five five five THE one
// nine nine"), which would otherwise leave the tail of the number unmasked.
std::vector<NumberRun> JoinBrokenDigitRuns(const Words& w, std::vector<NumberRun> runs) {
  std::vector<NumberRun> out;
  for (NumberRun& r : runs) {
    const bool digit_by_digit = r.single_digit_words > 0 && !r.composite;
    if (!out.empty() && digit_by_digit && !out.back().composite &&
        out.back().single_digit_words > 0 && r.start == out.back().end + 1 &&
        out.back().digits.size() + r.digits.size() < 19 && IsStopWord(w[r.start - 1])) {
      NumberRun& prev = out.back();
      prev.digits += "0" + r.digits;  // the misheard word stands for one digit
      prev.single_digit_words += r.single_digit_words + 1;  // the misheard word counts as one
      prev.end = r.end;
      continue;
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<Span> DetectPii(const std::vector<std::string>& words) {
  Words w;
  w.reserve(words.size());
  for (const auto& word : words) w.push_back(NormalizeWord(word));
  const std::vector<NumberRun> runs = JoinBrokenDigitRuns(w, FindNumberRuns(w));
  Claims claims(w.size());
  // Most specific first: each later detector skips words already claimed.
  DetectEmailsAndUrls(w, claims);
  DetectDatesOfBirth(w, runs, claims);
  DetectAddresses(w, runs, claims);
  DetectNumbers(w, runs, claims);
  DetectNames(w, claims);
  return claims.Take();
}

std::vector<Span> MergeSpans(const std::vector<std::vector<Span>>& lists) {
  struct Ranked {
    Span span;
    size_t rank;  // the list it came from: lower wins the type
  };
  std::vector<Ranked> all;
  for (size_t r = 0; r < lists.size(); ++r) {
    for (const Span& s : lists[r]) {
      if (s.start < s.end) all.push_back({s, r});
    }
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const Ranked& a, const Ranked& b) { return a.span.start < b.span.start; });
  std::vector<Span> out;
  size_t best_rank = 0;
  for (const Ranked& x : all) {
    if (!out.empty() && x.span.start < out.back().end) {
      out.back().end = std::max(out.back().end, x.span.end);
      if (x.rank < best_rank) {
        out.back().type = x.span.type;
        best_rank = x.rank;
      }
      continue;
    }
    out.push_back(x.span);
    best_rank = x.rank;
  }
  return out;
}

std::string MaskText(const std::vector<std::string>& words, const std::vector<Span>& spans) {
  std::string out;
  size_t s = 0;
  for (size_t i = 0; i < words.size();) {
    if (!out.empty()) out += ' ';
    if (s < spans.size() && spans[s].start == i) {
      out += std::string("[") + TypeName(spans[s].type) + "]";
      i = spans[s].end;
      ++s;
    } else {
      out += words[i];
      ++i;
    }
  }
  return out;
}

}  // namespace earshot::privacy::pii
