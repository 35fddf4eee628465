#include "http/reply.h"

#include <algorithm>
#include <optional>

#include "util/log.h"

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
    case Code::kRateLimited: return 429;
    case Code::kUnsupported: return 415;
    case Code::kUnavailable: return 503;
    case Code::kCorruption:
    case Code::kInternal: return 500;
  }
  return 500;
}

Reply ErrorReply(const Status& status) {
  // The storage layer's messages (db_*) carry the database's own words: its
  // host and port, SQL, constraint names. They are for the log only.
  const bool from_store = status.reason().rfind("db_", 0) == 0;
  const bool internal =
      status.code() == Code::kInternal || status.code() == Code::kCorruption || from_store;
  // Every 5xx says why in the server's log (the client is told to look
  // there). Domain messages carry no identifiers (STYLE.md), so they may.
  if (HttpStatusFor(status.code()) >= 500) {
    LogError("server_error", {{"code", CodeName(status.code())},
                              {"reason", status.reason()},
                              {"message", status.message()}});
  }
  // Internal details (paths, SQL) stay in the server's log, not the response.
  nlohmann::json body = {
      {"error",
       {{"code", status.reason()},
        {"message", !internal ? status.message()
                    : status.reason() == "db_full"
                        ? "the database has no space left; nothing of this request was stored. "
                          "Retry once an operator has made room (the server log has details)"
                    : from_store ? "the database could not complete the request; retry shortly "
                                   "(the server log has details)"
                                 : "internal error; the server log has details"}}}};
  Reply r = JsonReply(HttpStatusFor(status.code()), body);
  if (status.retry_after_s()) {
    r.headers["Retry-After"] = std::to_string(*status.retry_after_s());
  } else if (from_store && status.code() == Code::kUnavailable) {
    r.headers["Retry-After"] = "1";
  }
  return r;
}

Reply JsonReply(int status, const nlohmann::json& body) {
  Reply r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Reply AudioReply(ByteSlice slice) {
  Reply r;
  if (!slice.satisfiable) {
    r = ErrorReply(InvalidArgument("bad_range", "the requested range lies outside the audio"));
    r.status = 416;
    r.headers["Content-Range"] = "bytes */" + std::to_string(slice.total);
  } else if (slice.partial) {
    r.status = 206;
    r.headers["Content-Range"] = "bytes " + std::to_string(slice.first) + "-" +
                                 std::to_string(slice.first + slice.bytes.size() - 1) + "/" +
                                 std::to_string(slice.total);
  }
  if (slice.satisfiable) {
    r.content_type = "audio/wav";
    r.body = std::move(slice.bytes);
  }
  r.headers["Cache-Control"] = "no-store";
  r.headers["Content-Disposition"] = "inline";
  r.headers["Accept-Ranges"] = "bytes";
  return r;
}

std::optional<ByteRangeSpec> AudioRange(const std::string& header, Reply* error) {
  if (header.empty()) return std::nullopt;
  auto spec = ParseByteRange(header);
  if (!spec) {
    *error = ErrorReply(
        InvalidArgument("bad_range", "send one byte range: bytes=A-B, bytes=A- or bytes=-N"));
    error->status = 416;
  }
  return spec;
}

}  // namespace earshot::http
