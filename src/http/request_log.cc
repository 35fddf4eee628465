#include "http/request_log.h"

namespace earshot::http {

LogLevel RequestLogLevel(int status, std::string_view method, bool routine, double ms) {
  if (status >= 500) return LogLevel::kError;
  if (status >= 400 || ms >= kSlowRequestMs) return LogLevel::kInfo;
  const bool read = method == "GET" || method == "HEAD";
  return read || routine ? LogLevel::kDebug : LogLevel::kInfo;
}

}  // namespace earshot::http
