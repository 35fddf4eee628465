// How loud each request's log line is. A workstation polls every few
// seconds and renews its lease every 15 s; at info level those lines would
// bury what an operator needs (errors, refusals, slow requests, the demo's
// printed credentials) within minutes. So a quick success of a read or of a
// poll is logged at debug; everything else at info, and a server error at
// error. `--log-level debug` (or EARSHOT_LOG_LEVEL=debug) shows them all.
#pragma once

#include <string_view>

#include "util/log.h"

namespace earshot::http {

// A request that took at least this long is logged at info whatever it was.
inline constexpr double kSlowRequestMs = 1000;

// `routine`: the handler marked its reply as a poll's answer (Reply::routine),
// for a POST that found nothing to do or renewed a lease.
LogLevel RequestLogLevel(int status, std::string_view method, bool routine, double ms);

}  // namespace earshot::http
