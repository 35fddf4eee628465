// What a handler returns, and how domain Statuses become HTTP errors.
// This is the only place that knows HTTP status codes.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "util/byte_range.h"
#include "util/status.h"

namespace earshot::http {

struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;
};

int HttpStatusFor(Code code);

// {"error": {"code": "<reason>", "message": "<message>"}} with the mapped status.
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
