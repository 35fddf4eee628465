// How people say digits, numbers, years and letters, as lower-case words the
// way a speech recognizer writes them. The generator's own code: it shares
// nothing with the detector's number parser. Not thread-safe (holds a
// reference to the caller's random engine).
#pragma once

#include <random>
#include <string>
#include <vector>

namespace earshot::bench::piigen {

using Words = std::vector<std::string>;

// `more` appended to `out`.
void Append(Words& out, const Words& more);

// `s` split on single spaces ("de luca" -> {"de", "luca"}); empty pieces dropped.
Words SplitSpaces(const std::string& s);

class Speaker {
 public:
  explicit Speaker(std::mt19937& rng) : rng_(rng) {}

  // True with probability p.
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Int(0, static_cast<int>(v.size()) - 1))];
  }

  // "0".."9" as "zero"/"oh", "one", ...; repeats sometimes as "double"/"triple"
  // when `repeats` is set.
  Words DigitByDigit(const std::string& digits, bool repeats = true);
  // Digits in groups of two ("forty one", "oh five", "ten"); an odd leading
  // digit alone; "00" as "double oh".
  Words Pairs(const std::string& digits);
  // A group of digits said the way people say groups of that length: one by
  // one, in pairs, or as a number ("three hundred twelve") for 3 digits.
  Words Group(const std::string& digits);
  // 0..9999 as a cardinal ("three hundred and twelve" sometimes).
  Words Cardinal(int n);
  // 1..31 as an ordinal ("fourth", "twenty first").
  Words Ordinal(int n);
  // A four-digit year in one of the ways it is said ("nineteen oh five",
  // "two thousand and three", "twenty twelve"), or two digits ("eighty two",
  // "oh three") where `short_form`.
  Words Year(int year, bool short_form);
  // Letters one by one ("j o h n"); digits in the text are said one by one.
  Words Spell(const std::string& text);
  // Words for one separator character ('.', '_', '-', '/', '+', ':').
  Words Separator(char c);

 private:
  std::mt19937& rng_;
};

extern const char* const kMonths[12];

// Random digits (the first not zero where `nonzero_first`).
std::string RandomDigits(std::mt19937& rng, int n, bool nonzero_first = false);
// `prefix` completed with random digits to `length` with a Luhn check digit.
std::string LuhnComplete(std::mt19937& rng, const std::string& prefix, int length);

}  // namespace earshot::bench::piigen
