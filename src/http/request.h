// One HTTP request as the handlers see it: the server (server.cc) fills it
// from libmicrohttpd once the whole body has arrived. Plain data; the lookups
// are pure and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace earshot::http {

struct Request {
  std::string method;       // as sent, e.g. "GET"
  std::string path;         // percent-decoded, without the query
  std::string remote_addr;  // the peer's address, e.g. "127.0.0.1"
  std::string body;
  // In the order sent; names as sent (lookups ignore case).
  std::vector<std::pair<std::string, std::string>> headers;
  // Query arguments, percent-decoded, in the order sent.
  std::vector<std::pair<std::string, std::string>> query;
  // matches[0] is the whole path, matches[n] the route pattern's n-th capture.
  std::vector<std::string> matches;

  // The first header named `name` (any case); "" when there is none.
  std::string Header(std::string_view name) const;
  size_t HeaderCount(std::string_view name) const;
  bool HasHeader(std::string_view name) const { return HeaderCount(name) > 0; }
  // The first query argument named `name` (exact case); "" when there is none.
  std::string QueryValue(std::string_view name) const;
  bool HasQuery(std::string_view name) const;
};

// ASCII case-insensitive equality, for header names.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace earshot::http
