#include "pii_gen/verbalize.h"

#include <cctype>

namespace earshot::bench::piigen {
namespace {

const char* const kOnes[20] = {"zero",    "one",     "two",       "three",    "four",
                               "five",    "six",     "seven",     "eight",    "nine",
                               "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                               "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
const char* const kTens[10] = {"",      "",      "twenty",  "thirty", "forty",
                               "fifty", "sixty", "seventy", "eighty", "ninety"};
const char* const kOrdinalOnes[20] = {
    "",        "first",      "second",     "third",      "fourth",     "fifth",      "sixth",
    "seventh", "eighth",     "ninth",      "tenth",      "eleventh",   "twelfth",    "thirteenth",
    "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"};

// 0..99 as words ("oh five" is the caller's choice; here 5 is "five").
Words UpTo99(int n) {
  if (n < 20) return {kOnes[n]};
  Words w = {kTens[n / 10]};
  if (n % 10) w.push_back(kOnes[n % 10]);
  return w;
}

}  // namespace

const char* const kMonths[12] = {"january", "february", "march",     "april",
                                 "may",     "june",     "july",      "august",
                                 "september", "october", "november", "december"};

Words Speaker::DigitByDigit(const std::string& digits, bool repeats) {
  Words out;
  const bool oh = Chance(0.5);  // a speaker keeps to "oh" or "zero"
  for (size_t i = 0; i < digits.size();) {
    size_t run = 1;
    while (i + run < digits.size() && digits[i + run] == digits[i]) ++run;
    const int d = digits[i] - '0';
    const std::string word = d == 0 ? (oh ? "oh" : "zero") : kOnes[d];
    if (repeats && run >= 3 && Chance(0.4)) {
      out.push_back("triple");
      out.push_back(word);
      i += 3;
    } else if (repeats && run >= 2 && Chance(0.4)) {
      out.push_back("double");
      out.push_back(word);
      i += 2;
    } else {
      out.push_back(word);
      i += 1;
    }
  }
  return out;
}

Words Speaker::Pairs(const std::string& digits) {
  Words out;
  size_t i = 0;
  if (digits.size() % 2) {
    Append(out, DigitByDigit(digits.substr(0, 1), false));
    i = 1;
  }
  for (; i + 1 < digits.size(); i += 2) {
    const int a = digits[i] - '0', b = digits[i + 1] - '0';
    if (a == 0 && b == 0) {
      Append(out, Chance(0.5) ? Words{"double", "oh"} : Words{"oh", "oh"});
    } else if (a == 0) {
      out.push_back(Chance(0.8) ? "oh" : "zero");
      out.push_back(kOnes[b]);
    } else {
      Append(out, UpTo99(a * 10 + b));
    }
  }
  return out;
}

Words Speaker::Group(const std::string& digits) {
  if (digits.size() == 3 && digits[0] != '0' && Chance(0.25)) {
    return Cardinal(std::stoi(digits));
  }
  if (digits.size() >= 2 && digits.size() <= 4 && Chance(0.3)) return Pairs(digits);
  return DigitByDigit(digits);
}

Words Speaker::Cardinal(int n) {
  Words out;
  if (n >= 1000) {
    Append(out, UpTo99(n / 1000));
    out.push_back("thousand");
    n %= 1000;
    if (n == 0) return out;
    if (n < 100 && Chance(0.5)) out.push_back("and");
  }
  if (n >= 100) {
    out.push_back(kOnes[n / 100]);
    out.push_back("hundred");
    n %= 100;
    if (n == 0) return out;
    if (Chance(0.3)) out.push_back("and");
  }
  if (n > 0 || out.empty()) Append(out, UpTo99(n));
  return out;
}

Words Speaker::Ordinal(int n) {
  if (n < 20) return {kOrdinalOnes[n]};
  if (n % 10 == 0) return {n == 20 ? "twentieth" : "thirtieth"};
  return {kTens[n / 10], kOrdinalOnes[n % 10]};
}

Words Speaker::Year(int year, bool short_form) {
  const int hi = year / 100, lo = year % 100;
  if (short_form) {
    if (lo < 10) return {Chance(0.8) ? "oh" : "zero", kOnes[lo]};
    return UpTo99(lo);
  }
  Words out;
  if (hi == 20 && (lo < 10 || Chance(0.4))) {  // two thousand (and) three
    out = {"two", "thousand"};
    if (lo == 0) return out;
    if (Chance(0.4)) out.push_back("and");
    Append(out, UpTo99(lo));
    return out;
  }
  Append(out, UpTo99(hi));
  if (lo == 0) {
    out.push_back("hundred");
  } else if (lo < 10) {
    out.push_back("oh");
    out.push_back(kOnes[lo]);
  } else {
    Append(out, UpTo99(lo));
  }
  return out;
}

Words Speaker::Spell(const std::string& text) {
  Words out;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      Append(out, DigitByDigit(std::string(1, c), false));
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      out.push_back(std::string(1, c));
    } else {
      Append(out, Separator(c));
    }
  }
  return out;
}

Words Speaker::Separator(char c) {
  switch (c) {
    case '.': return {"dot"};
    case '_': return {"underscore"};
    case '-': return {Chance(0.5) ? "dash" : "hyphen"};
    case '/': return {"slash"};
    case '+': return {"plus"};
    case ':': return {"colon"};
    default: return {};
  }
}

std::string RandomDigits(std::mt19937& rng, int n, bool nonzero_first) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    const int lo = i == 0 && nonzero_first ? 1 : 0;
    out.push_back(static_cast<char>('0' + std::uniform_int_distribution<int>(lo, 9)(rng)));
  }
  return out;
}

std::string LuhnComplete(std::mt19937& rng, const std::string& prefix, int length) {
  std::string d = prefix + RandomDigits(rng, length - 1 - static_cast<int>(prefix.size()));
  int sum = 0;
  for (int i = static_cast<int>(d.size()) - 1, k = 0; i >= 0; --i, ++k) {
    int x = d[static_cast<size_t>(i)] - '0';
    if (k % 2 == 0) x = x * 2 > 9 ? x * 2 - 9 : x * 2;  // doubled: next to the check digit
    sum += x;
  }
  d.push_back(static_cast<char>('0' + (10 - sum % 10) % 10));
  return d;
}

void Append(Words& out, const Words& more) { out.insert(out.end(), more.begin(), more.end()); }

Words SplitSpaces(const std::string& s) {
  Words out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace earshot::bench::piigen
