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

}  // namespace earshot::http
