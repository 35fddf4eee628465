// What a handler returns, and how domain Statuses become HTTP errors.
// This is the only place that knows HTTP status codes.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "util/byte_range.h"
#include "util/status.h"

namespace earshot::http {

// A body produced in pieces after the status and headers were sent, for
// replies too large to hold (a subject's export). Each call sets `chunk` to
// the next bytes and returns true while more follow, false with the last.
// An error ends the stream where it stands: no status can change after the
// first byte, so the client sees a body cut short, and the server logs the
// reason. Called on the connection's thread, one call at a time, until it
// returns false or fails or the client goes away; it (and what it captures)
// is released when the connection is done with the reply.
using BodyStream = std::function<Result<bool>(std::string& chunk)>;

struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;
  // When set, replaces `body`: sent with chunked transfer coding, without
  // Content-Length.
  BodyStream stream;
  // A poll's answer (nothing to lease, a lease renewed): its request line is
  // logged at debug when it succeeds quickly (http/request_log.h).
  bool routine = false;
};

int HttpStatusFor(Code code);

// {"error": {"code": "<reason>", "message": "<message>"}} with the mapped
// status, and Retry-After when the status carries one. Handlers return their
// errors as a Status (Result<Reply>, routes.h); server.cc calls this once for
// each of them, and for its own refusals. Every 5xx is logged here.
Reply ErrorReply(const Status& status);

Reply JsonReply(int status, const nlohmann::json& body);

// WAV bytes for a player: `Cache-Control: no-store`, `Content-Disposition:
// inline` (no download prompt); 200 with the whole clip, 206 with
// Content-Range for one byte range, 416 when the range lies outside it.
Reply AudioReply(ByteSlice slice);

// The Range header of a request for audio: nullopt when there is none,
// else the spec, or 416 (malformed, several ranges, another unit) in
// `*error`. Nothing is served for a malformed range, so nothing is counted.
std::optional<ByteRangeSpec> AudioRange(const std::string& header, Reply* error);

}  // namespace earshot::http
