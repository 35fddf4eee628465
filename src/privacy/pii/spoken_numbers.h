// Parsing of numbers as people say them ("five five five", "oh", "double
// seven", "twelve forty five", "eight hundred", "two thousand five") and as
// products write them ("555-1234"), over normalized words. Internal to pii/.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace earshot::privacy::pii {

// Lower-cases and strips surrounding punctuation, keeping what matters inside
// tokens ("555-1234", "john.smith@gmail.com", "apt.").
std::string NormalizeWord(const std::string& word);

// The digit (0-9) a single-digit word stands for ("oh" and "o" count as 0).
std::optional<int> DigitWord(const std::string& w);

// A maximal run of number words, parsed into the digits a listener would write.
struct NumberRun {
  size_t start = 0;  // word indices, end exclusive
  size_t end = 0;
  std::string digits;
  int single_digit_words = 0;  // words that stood for exactly one digit
  bool composite = false;      // used teens, tens, hundreds or thousands
};

// All number runs in `words` (already normalized), left to right.
// "oh"/"o" join a run only next to other digits (else they are words).
std::vector<NumberRun> FindNumberRuns(const std::vector<std::string>& words);
// The same, skipping the words where `may_start` is false as run starts (a
// caller that knows which words are number words saves the lookups); empty
// means every word may start one. REQUIRES: may_start empty or one per word,
// true for every number word, digit-led, '(' or '+' word.
std::vector<NumberRun> FindNumberRuns(const std::vector<std::string>& words,
                                      const std::vector<bool>& may_start);

// A year at words[i], said or written: "nineteen eighty two", "nineteen oh
// five", "nineteen hundred", "two thousand (and) three", "twenty twelve",
// "twenty oh three", "1982"; with `allow_short` also two digits ("eighty
// two", "oh three", "82", "'82"). Returns the index just past it (0 where
// there is none) and sets *year (0-99 for a short year).
size_t ParseYear(const std::vector<std::string>& words, size_t i, bool allow_short, int* year);

// 0-99 said at words[i] ("seven", "twelve", "forty two", "oh five" where
// `allow_oh`): the value, and *end past it.
std::optional<int> ParseUpTo99(const std::vector<std::string>& words, size_t i, bool allow_oh,
                               size_t* end);

// Luhn checksum over a digit string.
bool LuhnValid(const std::string& digits);

// Month number (1-12) for a month name, or nullopt.
std::optional<int> MonthNumber(const std::string& w);

// Day of month for an ordinal or cardinal word ("fourth", "4th", "twenty",
// "twenty first" uses two words: see ParseDay).
std::optional<int> ParseDay(const std::vector<std::string>& words, size_t i, size_t* consumed);

}  // namespace earshot::privacy::pii
