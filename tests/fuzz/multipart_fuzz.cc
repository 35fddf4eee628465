// Fuzzes the multipart/form-data parser (http/multipart.h) with an arbitrary
// Content-Type and body: every part's bytes lie inside the body and are the
// bytes between its headers and the next delimiter, parts are within the
// limits and named, and a body we frame ourselves from parsed parts parses
// back to the same parts.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <string>

#include "fuzz_check.h"
#include "http/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const std::string content_type = in.ConsumeRandomLengthString(200);
  const std::string body = in.ConsumeRemainingBytesAsString();

  auto parts = earshot::http::ParseMultipart(content_type, body);
  if (!parts.ok()) {
    FUZZ_CHECK(parts.status().reason() == "not_multipart" ||
               parts.status().reason() == "malformed_multipart");
    return 0;
  }
  auto boundary = earshot::http::MultipartBoundary(content_type);
  FUZZ_CHECK(boundary.ok());
  FUZZ_CHECK(parts->size() <= earshot::http::kMaxFormParts);
  const std::string delimiter = "\r\n--" + *boundary;
  std::string framed;
  for (const auto& p : *parts) {
    FUZZ_CHECK(!p.name.empty());
    FUZZ_CHECK(p.data.data() >= body.data() &&
               p.data.data() + p.data.size() <= body.data() + body.size());
    // The part ends where a delimiter starts, and holds none.
    FUZZ_CHECK(body.compare(p.data.data() - body.data() + p.data.size(), delimiter.size(),
                            delimiter) == 0);
    FUZZ_CHECK(std::string(p.data).find(delimiter) == std::string::npos);
    // Framed again (names without quotes or CR/LF only: ours never need more).
    if (p.name.find_first_of("\"\\\r\n") != std::string::npos) return 0;
    framed += "--" + *boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name +
              "\"\r\n\r\n" + std::string(p.data) + "\r\n";
  }
  framed += "--" + *boundary + "--\r\n";
  auto again = earshot::http::ParseMultipart(content_type, framed);
  FUZZ_CHECK(again.ok() && again->size() == parts->size());
  for (size_t i = 0; i < parts->size(); ++i) {
    FUZZ_CHECK((*again)[i].name == (*parts)[i].name && (*again)[i].data == (*parts)[i].data);
  }
  return 0;
}
