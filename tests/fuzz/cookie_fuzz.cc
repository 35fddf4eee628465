// Fuzzes the Cookie header parser (http/cookies.h) against a plain
// reference reading of RFC 6265's cookie-string, through both entry points.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <string>

#include "fuzz_check.h"
#include "http/cookies.h"
#include "http/request.h"

namespace {

// Splits on ';', drops leading spaces, and takes the first "name=" pair.
std::string Reference(const std::string& header, const std::string& name) {
  size_t start = 0;
  while (start <= header.size()) {
    size_t end = header.find(';', start);
    if (end == std::string::npos) end = header.size();
    std::string pair = header.substr(start, end - start);
    pair.erase(0, pair.find_first_not_of(' ') == std::string::npos ? pair.size()
                                                                     : pair.find_first_not_of(' '));
    if (pair.size() > name.size() && pair.compare(0, name.size(), name) == 0 &&
        pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
    start = end + 1;
  }
  return "";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  std::string name = in.ConsumeRandomLengthString(32);
  std::erase(name, '=');  // REQUIRES of CookieValue
  if (name.empty()) name = "earshot_session";
  const std::string header = in.ConsumeRemainingBytesAsString();

  const std::string value = earshot::http::CookieValue(header, name);
  FUZZ_CHECK(value.find(';') == std::string::npos);
  FUZZ_CHECK(value == Reference(header, name));
  if (!value.empty()) FUZZ_CHECK(header.find(name + "=" + value) != std::string::npos);

  // libmicrohttpd hands header values on as C strings: they end at a NUL.
  earshot::http::Request req;
  req.headers.emplace_back("cookie", std::string(header.c_str()));
  FUZZ_CHECK(earshot::http::CookieValue(req, name) ==
             earshot::http::CookieValue(header.substr(0, header.find('\0')), name));
  return 0;
}
