// Reading one cookie out of a request's Cookie header (RFC 6265 section
// 5.4: "name=value" pairs separated by ";" and optional spaces). The header
// is untrusted input (tests/fuzz/cookie_fuzz.cc). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "http/request.h"

namespace earshot::http {

// The value of the first pair in `cookie_header` whose name is exactly
// `name` (case-sensitive, no spaces around '='), returned verbatim: not
// unquoted, not decoded, and never holding a ';'. "" when there is no such
// pair, or its value is empty. REQUIRES: `name` is not empty and holds no '='.
std::string CookieValue(std::string_view cookie_header, std::string_view name);

// The same over `req`'s Cookie header (the first one, if several were sent).
std::string CookieValue(const Request& req, const std::string& name);

}  // namespace earshot::http
