// Fuzzes the Range header parser (util/byte_range.h): a parsed range names
// one "bytes=A-B" range of at most 18-digit numbers, and what it resolves to
// always lies inside the body, with exactly the bytes asked for.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <string>

#include "fuzz_check.h"
#include "util/byte_range.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  // Body sizes small enough to slice for real, or any size to resolve.
  const uint64_t small_total = in.ConsumeIntegralInRange<uint64_t>(0, 4096);
  const uint64_t any_total = in.ConsumeIntegral<uint64_t>();
  const std::string header = in.ConsumeRemainingBytesAsString();

  const auto spec = earshot::ParseByteRange(header);
  if (!spec) return 0;
  FUZZ_CHECK(header.rfind("bytes=", 0) == 0);
  FUZZ_CHECK(header.find(',') == std::string::npos);
  FUZZ_CHECK(spec->first || spec->last);
  // A well-formed range parses back to itself.
  const std::string again = "bytes=" + (spec->first ? std::to_string(*spec->first) : "") + "-" +
                            (spec->last ? std::to_string(*spec->last) : "");
  const auto reparsed = earshot::ParseByteRange(again);
  FUZZ_CHECK(reparsed && reparsed->first == spec->first && reparsed->last == spec->last);

  for (uint64_t total : {small_total, any_total}) {
    if (auto range = earshot::ResolveByteRange(*spec, total)) {
      FUZZ_CHECK(range->first <= range->second);
      FUZZ_CHECK(range->second < total);
      if (spec->first) FUZZ_CHECK(range->first == *spec->first);
    }
  }
  const std::string body(small_total, 'x');
  const earshot::ByteSlice slice = earshot::SliceBytes(body, spec);
  FUZZ_CHECK(slice.partial && slice.total == small_total);
  if (slice.satisfiable) {
    FUZZ_CHECK(!slice.bytes.empty());
    FUZZ_CHECK(slice.first + slice.bytes.size() <= small_total);
  } else {
    FUZZ_CHECK(slice.bytes.empty());
  }
  return 0;
}
