#include "http/reply.h"

#include <algorithm>
#include <optional>

namespace earshot::http {

int HttpStatusFor(Code code) {
  switch (code) {
    case Code::kOk: return 200;
    case Code::kInvalidArgument: return 400;
    case Code::kUnauthenticated: return 401;
    case Code::kForbidden: return 403;
    case Code::kNotFound: return 404;
    case Code::kConflict: return 409;
    case Code::kTooLarge: return 413;
    case Code::kUnsupported: return 415;
    case Code::kUnavailable: return 503;
    case Code::kCorruption:
    case Code::kInternal: return 500;
  }
  return 500;
}

Reply ErrorReply(const Status& status) {
  const bool internal = status.code() == Code::kInternal || status.code() == Code::kCorruption;
  // Internal details (paths, SQL) stay in the server's log, not the response.
  nlohmann::json body = {
      {"error",
       {{"code", status.reason()},
        {"message", internal ? "internal error; the server log has details" : status.message()}}}};
  return JsonReply(HttpStatusFor(status.code()), body);
}

Reply JsonReply(int status, const nlohmann::json& body) {
  Reply r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

namespace {

// The [first, last] byte range of "bytes=..." for `size` bytes; nullopt when
// it is malformed or unsatisfiable.
std::optional<std::pair<size_t, size_t>> ParseRange(const std::string& header, size_t size) {
  const std::string prefix = "bytes=";
  if (header.compare(0, prefix.size(), prefix) != 0 || size == 0) return std::nullopt;
  const std::string spec = header.substr(prefix.size());
  const size_t dash = spec.find('-');
  if (dash == std::string::npos || spec.find(',') != std::string::npos) return std::nullopt;
  auto number = [](const std::string& s) -> std::optional<size_t> {
    if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    return static_cast<size_t>(std::stoull(s));
  };
  const auto a = number(spec.substr(0, dash)), b = number(spec.substr(dash + 1));
  if (!a && b) {  // the last N bytes
    if (*b == 0) return std::nullopt;
    return std::make_pair(size - std::min(*b, size), size - 1);
  }
  if (!a || *a >= size) return std::nullopt;
  const size_t last = b ? std::min(*b, size - 1) : size - 1;
  if (last < *a) return std::nullopt;
  return std::make_pair(*a, last);
}

}  // namespace

Reply AudioReply(std::string wav, const std::string& range_header) {
  Reply r;
  r.content_type = "audio/wav";
  r.headers["Cache-Control"] = "no-store";
  r.headers["Content-Disposition"] = "inline";
  r.headers["Accept-Ranges"] = "bytes";
  if (range_header.empty()) {
    r.body = std::move(wav);
    return r;
  }
  const auto range = ParseRange(range_header, wav.size());
  if (!range) {
    r = ErrorReply(InvalidArgument("bad_range", "the requested range lies outside the audio"));
    r.status = 416;
    r.headers["Content-Range"] = "bytes */" + std::to_string(wav.size());
    return r;
  }
  r.status = 206;
  r.headers["Content-Range"] = "bytes " + std::to_string(range->first) + "-" +
                               std::to_string(range->second) + "/" + std::to_string(wav.size());
  r.body = wav.substr(range->first, range->second - range->first + 1);
  return r;
}

}  // namespace earshot::http
