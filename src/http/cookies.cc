#include "http/cookies.h"

#include <algorithm>

namespace earshot::http {

std::string CookieValue(std::string_view header, std::string_view name) {
  size_t pos = 0;
  while (pos < header.size()) {
    while (pos < header.size() && (header[pos] == ' ' || header[pos] == ';')) ++pos;
    const size_t end = std::min(header.find(';', pos), header.size());
    const std::string_view pair = header.substr(pos, end - pos);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && eq == name.size() && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
    pos = end + 1;
  }
  return "";
}

std::string CookieValue(const Request& req, const std::string& name) {
  return CookieValue(req.Header("Cookie"), name);
}

}  // namespace earshot::http
