// Limits on untrusted JSON before it reaches nlohmann::json, whose dump() and
// some operations recurse once per nesting level (a deeply nested document
// would exhaust the stack).
#pragma once

#include <string_view>

namespace earshot {

constexpr int kMaxJsonDepth = 32;

// True if no array/object nests deeper than `max_depth` (brackets inside
// strings are ignored). Linear, no allocation; malformed text is left to the
// parser to reject.
bool JsonNestingWithin(std::string_view text, int max_depth = kMaxJsonDepth);

}  // namespace earshot
