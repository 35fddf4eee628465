// One HTTP byte range ("Range: bytes=A-B", "bytes=A-", "bytes=-N"; RFC 9110
// section 14.1.2) and the bytes of a body it selects. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace earshot {

// A parsed range before the body's size is known: `first` absent is a suffix
// range (the last `last` bytes); `last` absent runs to the end.
struct ByteRangeSpec {
  std::optional<uint64_t> first;
  std::optional<uint64_t> last;
};

// The spec of a "bytes=..." header value with exactly one range; nullopt when
// it is malformed, names another unit, or lists several ranges. Numbers have
// at most 18 digits, so they never overflow.
std::optional<ByteRangeSpec> ParseByteRange(std::string_view header);

// What a request gets of a body of `total` bytes.
struct ByteSlice {
  std::string bytes;     // the bytes served (empty when !satisfiable)
  uint64_t first = 0;    // offset of bytes[0] in the body
  uint64_t total = 0;    // the whole body's size
  bool partial = false;  // a range was asked for (206 rather than 200)
  bool satisfiable = true;
};

// [first, last] of `spec` within `total` bytes; nullopt when unsatisfiable
// (starts at or past the end, ends before it starts, an empty suffix).
std::optional<std::pair<uint64_t, uint64_t>> ResolveByteRange(const ByteRangeSpec& spec,
                                                              uint64_t total);

// The slice of `whole` that `spec` selects (all of it when `spec` is absent).
ByteSlice SliceBytes(std::string whole, const std::optional<ByteRangeSpec>& spec);

}  // namespace earshot
