#include "privacy/pii/pii.h"

#include <algorithm>
#include <cctype>

#include "privacy/pii/detect.h"

namespace earshot::privacy::pii {

std::vector<Span> Claims::Take() {
  std::sort(spans_.begin(), spans_.end(),
            [](const Span& a, const Span& b) { return a.start < b.start; });
  return std::move(spans_);
}

bool Context::IsLetter(size_t i) const {
  return i < w.size() && w[i].size() == 1 && std::isalpha(static_cast<unsigned char>(w[i][0]));
}

bool Context::IsAlpha(size_t i) const {
  if (i >= w.size() || w[i].empty()) return false;
  for (char ch : w[i]) {
    if (!std::isalpha(static_cast<unsigned char>(ch)) && ch != '\'' && ch != '-') return false;
  }
  return true;
}

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
  // ASCII whitespace, as isspace in the C locale, without the locale call.
  auto space = [](char ch) { return ch == ' ' || (ch >= '\t' && ch <= '\r'); };
  std::vector<std::string> out;
  out.reserve(text.size() / 5 + 1);  // about one word in five characters
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && space(text[i])) ++i;
    size_t j = i;
    while (j < text.size() && !space(text[j])) ++j;
    if (j > i) out.push_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

namespace {

// Joins digit-by-digit runs separated by one other word: a recognizer often
// mishears one digit of a long number ("two one two five five five THE one
// nine nine"), which would otherwise leave the tail of the number unmasked.
// Runs joined by a spoken "dash" or "hyphen" ("one two three dash four five")
// are one number too.
std::vector<NumberRun> JoinBrokenDigitRuns(const Words& w, std::vector<NumberRun> runs) {
  std::vector<NumberRun> out;
  for (NumberRun& r : runs) {
    if (!out.empty() && r.start == out.back().end + 1 &&
        (w[r.start - 1] == "dash" || w[r.start - 1] == "hyphen") &&
        out.back().digits.size() + r.digits.size() <= 19) {
      NumberRun& prev = out.back();
      prev.digits += r.digits;
      prev.single_digit_words += r.single_digit_words;
      prev.composite = prev.composite || r.composite;
      prev.end = r.end;
      continue;
    }
    const bool digit_by_digit = r.single_digit_words > 0 && !r.composite;
    if (!out.empty() && digit_by_digit && !out.back().composite &&
        out.back().single_digit_words > 0 && r.start == out.back().end + 1 &&
        out.back().digits.size() + r.digits.size() < 19 && IsStopWord(w[r.start - 1]) &&
        w[r.start - 1].find('\'') == std::string::npos) {
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

}  // namespace

std::vector<Span> DetectPii(const std::vector<std::string>& words) {
  Context c;
  c.w.reserve(words.size());
  c.f.reserve(words.size());
  std::vector<bool> may_start(words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    c.w.push_back(NormalizeWord(words[i]));
    const std::string& x = c.w.back();
    uint32_t f = WordFlags(x);
    // A possessive keeps its word's cue ("birthday's", "email's", "wife's"),
    // not its name lists.
    if (f == 0 && x.size() > 3 && x.compare(x.size() - 2, 2, "'s") == 0) {
      f = WordFlags(std::string_view(x).substr(0, x.size() - 2)) &
          ~(kGivenName | kSurname | kAmbiguousName | kNameCue);
    }
    c.f.push_back(f);
    c.has_dot = c.has_dot || x == "dot" || x == ".";
    const unsigned char first = x.empty() ? 0 : static_cast<unsigned char>(x[0]);
    may_start[i] = (c.f.back() & kNumberWord) || std::isdigit(first) || first == '(' || first == '+';
  }
  c.runs = JoinBrokenDigitRuns(c.w, FindNumberRuns(c.w, may_start));
  c.run_at.assign(c.w.size(), -1);
  for (size_t k = 0; k < c.runs.size(); ++k) c.run_at[c.runs[k].start] = static_cast<int>(k);
  Claims claims(c.w.size());
  // Most specific first: each later detector skips words already claimed.
  DetectEmailsAndUrls(c, claims);
  DetectDatesOfBirth(c, claims);
  DetectCardParts(c, claims);
  DetectAddresses(c, claims);
  DetectSpelledIds(c, claims);
  DetectNumbers(c, claims);
  DetectNames(c, claims);
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
