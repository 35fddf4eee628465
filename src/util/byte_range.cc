#include "util/byte_range.h"

#include <algorithm>

namespace earshot {
namespace {

std::optional<uint64_t> Number(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

}  // namespace

std::optional<ByteRangeSpec> ParseByteRange(std::string_view header) {
  constexpr std::string_view kPrefix = "bytes=";
  if (header.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  const std::string_view spec = header.substr(kPrefix.size());
  const size_t dash = spec.find('-');
  if (dash == std::string_view::npos || spec.find(',') != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
  ByteRangeSpec out;
  if (!a.empty() && !(out.first = Number(a))) return std::nullopt;
  if (!b.empty() && !(out.last = Number(b))) return std::nullopt;
  if (!out.first && !out.last) return std::nullopt;  // "bytes=-"
  return out;
}

std::optional<std::pair<uint64_t, uint64_t>> ResolveByteRange(const ByteRangeSpec& spec,
                                                              uint64_t total) {
  if (total == 0) return std::nullopt;
  if (!spec.first) {  // the last N bytes
    if (*spec.last == 0) return std::nullopt;
    return std::make_pair(total - std::min(*spec.last, total), total - 1);
  }
  if (*spec.first >= total) return std::nullopt;
  const uint64_t last = spec.last ? std::min(*spec.last, total - 1) : total - 1;
  if (last < *spec.first) return std::nullopt;
  return std::make_pair(*spec.first, last);
}

ByteSlice SliceBytes(std::string whole, const std::optional<ByteRangeSpec>& spec) {
  ByteSlice out;
  out.total = whole.size();
  if (!spec) {
    out.bytes = std::move(whole);
    return out;
  }
  out.partial = true;
  const auto range = ResolveByteRange(*spec, whole.size());
  if (!range) {
    out.satisfiable = false;
    return out;
  }
  out.first = range->first;
  out.bytes = whole.substr(range->first, range->second - range->first + 1);
  return out;
}

}  // namespace earshot
