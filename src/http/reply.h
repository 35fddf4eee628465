// What a handler returns, and how domain Statuses become HTTP errors.
// This is the only place that knows HTTP status codes.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

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
// inline` (no download prompt), and one byte range when `range_header`
// asks for it ("bytes=A-B", "bytes=A-", "bytes=-N"): 206 with
// Content-Range, or 416 when it lies outside the audio.
Reply AudioReply(std::string wav, const std::string& range_header);

}  // namespace earshot::http
