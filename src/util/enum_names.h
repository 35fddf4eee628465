// One table per enum of the text that stands for each value (in SQL rows, in
// JSON): written once, read both ways. A table is a constexpr array of
// EnumName<E>; NameIn gives a value's text, ParseIn a text's value.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace earshot {

template <typename E>
struct EnumName {
  E value;
  const char* name;
};

// The text of `value`; "" for a value the table does not list (a table lists
// every value: tests/unit/row_states_test.cc holds that for the domain's).
template <typename E, size_t N>
constexpr const char* NameIn(const EnumName<E> (&names)[N], E value) {
  for (const EnumName<E>& n : names) {
    if (n.value == value) return n.name;
  }
  return "";
}

// The value whose text is `name`; nullopt for any other text.
template <typename E, size_t N>
constexpr std::optional<E> ParseIn(const EnumName<E> (&names)[N], std::string_view name) {
  for (const EnumName<E>& n : names) {
    if (name == n.name) return n.value;
  }
  return std::nullopt;
}

// A text read back from storage: its value, or Corruption(`reason`) naming
// `what` (the row it came from) when no value has that text, so a stored
// text nobody checks for never passes as some default.
template <typename E, size_t N>
Result<E> ParseStored(const EnumName<E> (&names)[N], std::string_view text, std::string reason,
                      const std::string& what) {
  const std::optional<E> value = ParseIn(names, text);
  if (!value) return Corruption(std::move(reason), what + " has a stored value no version knows");
  return *value;
}

}  // namespace earshot
