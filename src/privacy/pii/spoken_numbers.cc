#include "privacy/pii/spoken_numbers.h"

#include <cctype>
#include <map>
#include <unordered_map>

namespace earshot::privacy::pii {
namespace {

// A dozen words and their values, searched by length first: for tables this
// small that beats hashing the word (redact-text speed).
class SmallTable {
 public:
  SmallTable(std::initializer_list<std::pair<const std::string, int>> entries)
      : entries_(entries.begin(), entries.end()) {}
  const std::pair<const std::string, int>* Find(const std::string& w) const {
    for (const auto& e : entries_) {
      if (e.first.size() == w.size() && e.first == w) return &e;
    }
    return nullptr;
  }
  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }

 private:
  std::vector<std::pair<const std::string, int>> entries_;
};

const SmallTable& Units() {
  static const SmallTable k = {
      {"zero", 0}, {"oh", 0},   {"o", 0},   {"one", 1},   {"two", 2},   {"three", 3},
      {"four", 4}, {"five", 5}, {"six", 6}, {"seven", 7}, {"eight", 8}, {"nine", 9}};
  return k;
}

const SmallTable& Teens() {
  static const SmallTable k = {
      {"ten", 10},     {"eleven", 11},  {"twelve", 12},    {"thirteen", 13}, {"fourteen", 14},
      {"fifteen", 15}, {"sixteen", 16}, {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19}};
  return k;
}

const SmallTable& Tens() {
  static const SmallTable k = {
      {"twenty", 20}, {"thirty", 30},  {"forty", 40},  {"fifty", 50},
      {"sixty", 60},  {"seventy", 70}, {"eighty", 80}, {"ninety", 90}};
  return k;
}

std::optional<int> Lookup(const SmallTable& m, const std::string& w) {
  const auto* e = m.Find(w);
  return e ? std::optional<int>(e->second) : std::nullopt;
}

template <typename Map>
std::optional<int> Lookup(const Map& m, const std::string& w) {
  auto it = m.find(w);
  return it == m.end() ? std::nullopt : std::optional<int>(it->second);
}

bool IsZeroWord(const std::string& w) {
  return w == "oh" || w == "o";
}

// Written digits, possibly with separators: "555-1234", "(555)", "4111 ...".
std::optional<std::string> WrittenDigits(const std::string& w) {
  std::string digits;
  for (char c : w) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    } else if (c != '-' && c != '(' && c != ')' && c != '.' && c != '+' && c != '/') {
      return std::nullopt;
    }
  }
  if (digits.empty()) return std::nullopt;
  return digits;
}

// One group at words[i]: its digits and how many words it used.
struct Group {
  std::string digits;
  size_t used = 0;
  bool single = false;  // one word, one digit
  bool composite = false;
};

// Cheap test before the lookups: could `w` start a number group at all?
bool MaybeNumeric(const std::string& w) {
  static const std::unordered_map<std::string, int> kStarters = [] {
    std::unordered_map<std::string, int> m;
    for (const auto* table : {&Units(), &Teens(), &Tens()}) m.insert(table->begin(), table->end());
    m.emplace("double", 0);
    m.emplace("triple", 0);
    return m;
  }();
  if (w.empty()) return false;
  const unsigned char c = static_cast<unsigned char>(w[0]);
  return std::isdigit(c) || c == '(' || c == '+' || kStarters.count(w) > 0;
}

// REQUIRES nothing of `i`: a group can never start past the last word (issue
// 11: "the year two thousand" ended the transcript and read past it).
std::optional<Group> ParseGroup(const std::vector<std::string>& w, size_t i) {
  if (i >= w.size()) return std::nullopt;
  const std::string& a = w[i];
  if (!MaybeNumeric(a)) return std::nullopt;
  auto next = [&](size_t k) -> const std::string& {
    static const std::string kEmpty;
    return i + k < w.size() ? w[i + k] : kEmpty;
  };
  if (a == "double" || a == "triple") {
    auto d = Lookup(Units(), next(1));
    if (!d) return std::nullopt;
    const int times = a == "double" ? 2 : 3;
    return Group{std::string(times, static_cast<char>('0' + *d)), 2, false, false};
  }
  if (auto d = Lookup(Units(), a)) {
    if (next(1) == "hundred") {
      int value = *d * 100;
      size_t used = 2;
      // "three hundred and twelve": "and" joins only before the tens or units.
      if (next(2) == "and" && (Lookup(Tens(), next(3)) || Lookup(Teens(), next(3)) ||
                               (Lookup(Units(), next(3)) && !IsZeroWord(next(3))))) {
        ++used;
        ++i;  // read what follows "and" as if "and" were not said
      }
      // "eight hundred fifty" is 850; "eight hundred five five five" (a toll-free
      // prefix) is 800 then 5 5 5, so single digits after "hundred" stay apart.
      if (auto t = Lookup(Tens(), next(2))) {
        value += *t;
        ++used;
        if (auto u = Lookup(Units(), next(3)); u && !IsZeroWord(next(3)) && *u > 0) {
          value += *u;
          ++used;
        }
      } else if (auto teen = Lookup(Teens(), next(2))) {
        value += *teen;
        ++used;
      }
      return Group{std::to_string(value), used, false, true};
    }
    if (next(1) == "thousand") {
      int value = *d * 1000;
      size_t used = 2;
      size_t consumed = 0;
      // "two thousand and three": "and" joins only before the rest of the number.
      if (next(2) == "and" && i + 3 < w.size() && MaybeNumeric(next(3)) && !IsZeroWord(next(3))) {
        ++used;
        ++i;
      }
      if (auto rest = ParseGroup(w, i + 2); rest && rest->composite && rest->digits.size() <= 3) {
        value += std::stoi(rest->digits);
        consumed = rest->used;
      } else if (auto u = Lookup(Units(), next(2)); u && !IsZeroWord(next(2))) {
        value += *u;
        consumed = 1;
      }
      return Group{std::to_string(value), used + consumed, false, true};
    }
    return Group{std::string(1, static_cast<char>('0' + *d)), 1, true, false};
  }
  if (auto teen = Lookup(Teens(), a)) {
    if (next(1) == "hundred") {  // "nineteen hundred", "twelve hundred fifty"
      int value = *teen * 100;
      size_t used = 2;
      if (auto t = Lookup(Tens(), next(2))) {
        value += *t;
        ++used;
      } else if (auto t2 = Lookup(Teens(), next(2))) {
        value += *t2;
        ++used;
      }
      return Group{std::to_string(value), used, false, true};
    }
    return Group{std::to_string(*teen), 1, false, true};
  }
  if (auto t = Lookup(Tens(), a)) {
    if (auto u = Lookup(Units(), next(1)); u && !IsZeroWord(next(1)) && *u > 0) {
      return Group{std::to_string(*t + *u), 2, false, true};
    }
    return Group{std::to_string(*t), 1, false, true};
  }
  if (auto digits = WrittenDigits(a)) {
    return Group{*digits, 1, digits->size() == 1, false};
  }
  return std::nullopt;
}

}  // namespace

std::string NormalizeWord(const std::string& word) {
  auto keep = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '@' || c == '\'' ||
           static_cast<unsigned char>(c) >= 0x80;
  };
  size_t b = 0, e = word.size();
  while (b < e && !keep(word[b]) && word[b] != '(' && word[b] != '+') ++b;
  while (e > b && !keep(word[e - 1]) && word[e - 1] != ')') --e;
  std::string w(word, b, e - b);  // one copy, lower-cased in place (ASCII only)
  for (char& c : w) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return w;
}

std::optional<int> DigitWord(const std::string& w) {
  return Lookup(Units(), w);
}

std::vector<NumberRun> FindNumberRuns(const std::vector<std::string>& words) {
  return FindNumberRuns(words, {});
}

std::vector<NumberRun> FindNumberRuns(const std::vector<std::string>& words,
                                      const std::vector<bool>& may_start) {
  std::vector<NumberRun> runs;
  size_t i = 0;
  while (i < words.size()) {
    if (!may_start.empty() && !may_start[i]) {
      ++i;
      continue;
    }
    // "oh"/"o" start a run only if a digit follows.
    if (IsZeroWord(words[i]) &&
        !(i + 1 < words.size() && ParseGroup(words, i + 1) && !IsZeroWord(words[i + 1]))) {
      ++i;
      continue;
    }
    auto first = ParseGroup(words, i);
    if (!first) {
      ++i;
      continue;
    }
    NumberRun run;
    run.start = i;
    size_t j = i;
    for (auto g = first; g; g = j < words.size() ? ParseGroup(words, j) : std::nullopt) {
      run.digits += g->digits;
      run.single_digit_words += g->single ? 1 : 0;
      run.composite = run.composite || g->composite;
      j += g->used;
    }
    run.end = j;
    runs.push_back(run);
    i = j;
  }
  return runs;
}

std::optional<int> ParseUpTo99(const std::vector<std::string>& w, size_t i, bool allow_oh,
                               size_t* end) {
  if (i >= w.size()) return std::nullopt;
  if (allow_oh && IsZeroWord(w[i]) && i + 1 < w.size()) {
    if (auto u = Lookup(Units(), w[i + 1]); u && !IsZeroWord(w[i + 1])) {
      *end = i + 2;
      return u;
    }
    return std::nullopt;
  }
  if (auto t = Lookup(Tens(), w[i])) {
    *end = i + 1;
    if (i + 1 < w.size()) {
      if (auto u = Lookup(Units(), w[i + 1]); u && *u > 0 && !IsZeroWord(w[i + 1])) {
        *end = i + 2;
        return *t + *u;
      }
    }
    return t;
  }
  if (auto teen = Lookup(Teens(), w[i])) {
    *end = i + 1;
    return teen;
  }
  if (auto u = Lookup(Units(), w[i]); u && !IsZeroWord(w[i])) {
    *end = i + 1;
    return u;
  }
  return std::nullopt;
}

size_t ParseYear(const std::vector<std::string>& w, size_t i, bool allow_short, int* year) {
  if (i >= w.size()) return 0;
  const std::string& a = w[i];
  if (!a.empty() && (std::isdigit(static_cast<unsigned char>(a[0])) || a[0] == '\'')) {
    const std::string digits = a[0] == '\'' ? a.substr(1) : a;
    if (digits.empty() || digits.size() > 4) return 0;
    for (char c : digits) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return 0;
    }
    const int y = std::stoi(digits);
    if (digits.size() == 4 && y >= 1900 && y <= 2099) {
      *year = y;
      return i + 1;
    }
    if (digits.size() == 2 && allow_short) {
      *year = y;
      return i + 1;
    }
    return 0;
  }
  if (a == "two" && i + 1 < w.size() && w[i + 1] == "thousand") {  // two thousand (and) three
    size_t j = i + 2, end = 0;
    if (j < w.size() && w[j] == "and") ++j;
    if (auto n = ParseUpTo99(w, j, false, &end)) {
      *year = 2000 + *n;
      return end;
    }
    *year = 2000;
    return i + 2;
  }
  const auto hi = Lookup(Teens(), a) ? Lookup(Teens(), a) : Lookup(Tens(), a);
  if (hi && (*hi == 18 || *hi == 19 || *hi == 20) && i + 1 < w.size()) {
    size_t end = 0;
    if (w[i + 1] == "hundred") {
      *year = *hi * 100;
      return i + 2;
    }
    if (auto lo = ParseUpTo99(w, i + 1, true, &end); lo && (*lo >= 10 || IsZeroWord(w[i + 1]))) {
      *year = *hi * 100 + *lo;
      return end;
    }
  }
  if (allow_short) {
    size_t end = 0;
    if (auto lo = ParseUpTo99(w, i, true, &end); lo && (*lo >= 10 || IsZeroWord(a))) {
      *year = *lo;
      return end;
    }
  }
  return 0;
}

bool LuhnValid(const std::string& digits) {
  int sum = 0;
  bool dbl = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return !digits.empty() && sum % 10 == 0;
}

std::optional<int> MonthNumber(const std::string& w) {
  static const std::unordered_map<std::string, int> k = {
      {"january", 1},   {"february", 2},  {"march", 3},  {"april", 4},     {"may", 5},
      {"june", 6},      {"july", 7},      {"august", 8}, {"september", 9}, {"october", 10},
      {"november", 11}, {"december", 12}, {"jan", 1},    {"feb", 2},       {"mar", 3},
      {"apr", 4},       {"jun", 6},       {"jul", 7},    {"aug", 8},       {"sep", 9},
      {"sept", 9},      {"oct", 10},      {"nov", 11},   {"dec", 12}};
  return Lookup(k, w);
}

std::optional<int> ParseDay(const std::vector<std::string>& words, size_t i, size_t* consumed) {
  static const std::unordered_map<std::string, int> kOrdinals = {
      {"first", 1},        {"second", 2},      {"third", 3},       {"fourth", 4},
      {"fifth", 5},        {"sixth", 6},       {"seventh", 7},     {"eighth", 8},
      {"ninth", 9},        {"tenth", 10},      {"eleventh", 11},   {"twelfth", 12},
      {"thirteenth", 13},  {"fourteenth", 14}, {"fifteenth", 15},  {"sixteenth", 16},
      {"seventeenth", 17}, {"eighteenth", 18}, {"nineteenth", 19}, {"twentieth", 20},
      {"thirtieth", 30}};
  if (i >= words.size()) return std::nullopt;
  const std::string& w = words[i];
  *consumed = 1;
  if (auto o = Lookup(kOrdinals, w)) return o;
  if (auto t = Lookup(Tens(), w); t && (*t == 20 || *t == 30)) {
    if (i + 1 < words.size()) {
      if (auto o = Lookup(kOrdinals, words[i + 1]); o && *o < 10) {
        *consumed = 2;
        return *t + *o;
      }
      if (auto u = Lookup(Units(), words[i + 1]); u && *u > 0 && !IsZeroWord(words[i + 1])) {
        *consumed = 2;
        return *t + *u;
      }
    }
    return *t;
  }
  if (auto teen = Lookup(Teens(), w)) return teen;
  if (auto u = Lookup(Units(), w); u && *u > 0 && !IsZeroWord(w)) return u;
  // "4th", "4", "21st"
  std::string digits;
  size_t k = 0;
  while (k < w.size() && std::isdigit(static_cast<unsigned char>(w[k]))) digits.push_back(w[k++]);
  const std::string suffix = w.substr(k);
  if (!digits.empty() && digits.size() <= 2 &&
      (suffix.empty() || suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th")) {
    const int d = std::stoi(digits);
    if (d >= 1 && d <= 31) return d;
  }
  return std::nullopt;
}

}  // namespace earshot::privacy::pii
