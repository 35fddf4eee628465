// Tokens that look like identifiers whoever they belong to (see IsIdToken in
// known_identifiers.h), and spelled-out letter-and-digit runs.
#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>

#include "privacy/pii/identifier_forms.h"
#include "privacy/pii/spoken_numbers.h"

namespace earshot::privacy::pii {
namespace {

bool IsLetter(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x80 && std::isalpha(u);
}

bool IsDigitChar(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

bool IsCodeSeparator(char c) {
  return c == '-' || c == '_' || c == '/' || c == '.' || c == ':';
}

// Everyday words that mix letters and digits.
bool IsCommonAlnumWord(std::string_view w) {
  static const std::set<std::string_view> k = {
      "mp3", "mp4", "mp3s",    "h2o",  "co2",  "covid19", "y2k",  "ps2", "ps3",
      "ps4", "ps5", "xbox360", "b12",  "d3",   "f1",      "a4",   "i5",  "i7",
      "i9",  "4x4", "wd40",    "r2d2", "c3po", "ipv4",    "ipv6", "7up", "3m"};
  return k.count(w) > 0;
}

// A number followed by its unit or suffix: "4th", "21st", "5pm", "10km",
// "80s", "80's", "1080p", "2x", "3d", "5g", "1,500mah".
bool IsNumberWithUnit(std::string_view piece) {
  static const std::set<std::string_view> kSuffixes = {
      "st",  "nd",  "rd",  "th",  "s",    "'s",  "am",   "pm",  "k",  "m",  "km",  "mi",
      "kg",  "g",   "mg",  "lb",  "lbs",  "oz",  "ml",   "l",   "cm", "mm", "ft",  "in",
      "h",   "hr",  "hrs", "min", "mins", "sec", "secs", "ms",  "x",  "d",  "p",   "fps",
      "hz",  "khz", "mhz", "ghz", "kb",   "mb",  "gb",   "tb",  "w",  "kw", "kwh", "v",
      "mah", "mph", "kph", "kmh", "f",    "c",   "yr",   "yrs", "yo", "mo", "wk",  "wks"};
  size_t k = 0;
  while (k < piece.size() && (IsDigitChar(piece[k]) || (k > 0 && piece[k] == ','))) ++k;
  if (k == 0 || k == piece.size() || !IsDigitChar(piece[k - 1])) return false;
  return kSuffixes.count(piece.substr(k)) > 0;
}

// "2:05", "14:05:30", "2:05pm", "2:05a.m".
bool IsClockToken(std::string_view w) {
  size_t p = 0;
  while (p < w.size() && p < 2 && IsDigitChar(w[p])) ++p;
  if (p == 0 || p + 3 > w.size() || w[p] != ':' || !IsDigitChar(w[p + 1]) ||
      !IsDigitChar(w[p + 2])) {
    return false;
  }
  p += 3;
  if (p + 3 <= w.size() && w[p] == ':' && IsDigitChar(w[p + 1]) && IsDigitChar(w[p + 2])) p += 3;
  const std::string_view rest = w.substr(p);
  return rest.empty() || rest == "am" || rest == "pm" || rest == "a.m" || rest == "p.m";
}

// Short words that come before a number without making a code ("top-100").
bool IsShortWord(std::string_view w) {
  static const std::set<std::string_view> k = {"top", "no",  "vs",  "the", "for", "and", "to",
                                               "by",  "of",  "in",  "on",  "at",  "up",  "day",
                                               "age", "all", "one", "two", "six", "ten"};
  return k.count(w) > 0;
}

size_t LongestDigitRun(std::string_view w) {
  size_t best = 0, run = 0;
  for (char c : w) {
    run = IsDigitChar(c) ? run + 1 : 0;
    best = std::max(best, run);
  }
  return best;
}

struct Piece {
  std::string_view text;
  size_t letters = 0;
  size_t digits = 0;
};

std::vector<Piece> PiecesOf(std::string_view w) {
  std::vector<Piece> pieces(1);
  size_t from = 0;
  for (size_t i = 0; i <= w.size(); ++i) {
    if (i < w.size() && !IsCodeSeparator(w[i])) {
      pieces.back().letters += IsLetter(w[i]);
      pieces.back().digits += IsDigitChar(w[i]);
      continue;
    }
    pieces.back().text = w.substr(from, i - from);
    from = i + 1;
    if (i < w.size()) pieces.emplace_back();
  }
  return pieces;
}

// A digits-only token: a run of five digits ("98765"; "10,000" is grouped),
// or a code of digit groups with five in all ("555-1234", "192.168.1.1"),
// but not a decimal ("1250.00").
bool IsDigitCode(std::string_view w, size_t digits) {
  if (LongestDigitRun(w) >= 5) return true;
  const auto seps = static_cast<size_t>(std::count_if(w.begin(), w.end(), IsCodeSeparator));
  const bool decimal = seps == 1 && w.find('.') != std::string_view::npos;
  return seps > 0 && !decimal && digits >= 5;
}

}  // namespace

bool IsIdToken(const std::string& token) {
  std::string w = NormalizeWord(token);
  while (!w.empty() && (w.front() == '(' || w.front() == '+')) w.erase(0, 1);
  while (!w.empty() && w.back() == ')') w.pop_back();
  const auto letters = static_cast<size_t>(std::count_if(w.begin(), w.end(), IsLetter));
  const auto digits = static_cast<size_t>(std::count_if(w.begin(), w.end(), IsDigitChar));
  if (digits == 0 || IsClockToken(w) || IsCommonAlnumWord(w)) return false;
  if (letters == 0) return IsDigitCode(w, digits);
  const std::vector<Piece> pieces = PiecesOf(w);
  for (size_t k = 0; k < pieces.size(); ++k) {
    const Piece& p = pieces[k];
    if (p.letters > 0 && p.digits > 0 && !IsNumberWithUnit(p.text) && !IsCommonAlnumWord(p.text)) {
      return true;  // "ab12cd", "x9", "a1-b2-c3"
    }
    if (p.letters == 0 && LongestDigitRun(p.text) >= 5) return true;  // "ord-99812"
    if (k + 1 < pieces.size() && p.digits == 0 && p.letters >= 1 && p.letters <= 3 &&
        p.letters == p.text.size() && !IsShortWord(p.text) && pieces[k + 1].letters == 0 &&
        pieces[k + 1].digits >= 3) {
      return true;  // "sn-1234", "ord-998"
    }
  }
  return pieces.size() > 1 && digits >= 5;  // "ab-12-345"
}

std::vector<Span> SpelledCodeSpans(const Tokens& t) {
  const std::vector<std::string>& w = t.norm;
  // "o" counts as a digit (zero), "a" and "i" as letters that are also words.
  // Teens and tens count as digits too ("n four one oh g p twenty").
  static const std::set<std::string_view> kTensAndTeens = {
      "ten",     "eleven",  "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
      "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty",
      "sixty",   "seventy", "eighty", "ninety"};
  auto is_digit = [&w](size_t k) {
    return DigitWord(w[k]).has_value() || (w[k].size() == 1 && IsDigitChar(w[k][0])) ||
           kTensAndTeens.count(w[k]) > 0;
  };
  auto is_letter = [&w, &is_digit](size_t k) {
    return w[k].size() == 1 && IsLetter(w[k][0]) && !is_digit(k);
  };
  std::vector<Span> spans;
  auto is_dash = [&w](size_t k) { return w[k] == "dash" || w[k] == "hyphen"; };
  for (size_t i = 0; i < w.size();) {
    // "d o b": the spelled cue of a date of birth, not a code.
    if (i + 2 < w.size() && w[i] == "d" && w[i + 1] == "o" && w[i + 2] == "b") {
      i += 3;
      continue;
    }
    size_t j = i, letters = 0, digits = 0;
    bool telling_letter = false;  // a letter that is not also a word
    while (j < w.size() && (is_letter(j) || is_digit(j) ||
                            (j > i && is_dash(j) && j + 1 < w.size() &&
                             (is_letter(j + 1) || is_digit(j + 1))))) {
      if (is_dash(j)) {
        ++j;
        continue;
      }
      // "two oh five p m": the time's "a m"/"p m" ends the run.
      if ((w[j] == "a" || w[j] == "p") && j + 1 < w.size() && w[j + 1] == "m" && j > i &&
          is_digit(j - 1)) {
        break;
      }
      if (is_digit(j)) {
        ++digits;
      } else {
        ++letters;
        telling_letter = telling_letter || (w[j] != "a" && w[j] != "i");
      }
      ++j;
    }
    if (j - i >= 4 && digits >= 2 && letters >= 2 && telling_letter) {
      spans.push_back({PiiType::kIdToken, i, j});
    }
    i = std::max(j, i + 1);
  }
  return spans;
}

}  // namespace earshot::privacy::pii
