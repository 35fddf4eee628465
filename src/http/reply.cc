#include "http/reply.h"

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

}  // namespace earshot::http
