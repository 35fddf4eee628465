#include "http/server.h"

#include <httplib.h>
#include <malloc.h>
#include <cerrno>
#include <cstring>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>

#include "crypto/seal.h"
#include "http/cookies.h"
#include "http/routes.h"
#include "ingest/intake.h"
#include "rights/subject_tokens.h"
#include "staff/accounts.h"
#include "util/log.h"

namespace earshot::http {
namespace {

std::string BearerToken(const httplib::Request& req) {
  const std::string header = req.get_header_value("Authorization");
  const std::string prefix = "Bearer ";
  if (header.size() <= prefix.size() || header.compare(0, prefix.size(), prefix) != 0) return "";
  return header.substr(prefix.size());
}

// Fills `caller` per the route's Auth, or returns the error to send.
Status Authenticate(Context& ctx, const Route& route, const httplib::Request& req, Caller& caller) {
  const std::string token = BearerToken(req);
  switch (route.auth) {
    case Auth::kNone: return Status::Ok();
    case Auth::kStreamKey: {
      if (token.empty()) {
        return Unauthenticated("missing_api_key", "send the stream's API key as a Bearer token");
      }
      return ctx.db().Read([&](store::Tx& tx) -> Status {
        ASSIGN_OR_RETURN(caller.stream, ingest::AuthenticateStream(tx, token));
        return Status::Ok();
      });
    }
    case Auth::kStaff: {
      const std::string cookie = CookieValue(req, SessionCookieName(ctx.config()));
      if (cookie.empty()) return Unauthenticated("missing_session", "sign in first");
      ASSIGN_OR_RETURN(staff::Session session, staff::AuthenticateSession(ctx, cookie));
      // A cookie comes along with any request the browser makes: changes
      // need the token only the page that signed in knows.
      if (req.method != "GET" && req.method != "HEAD" &&
          !crypto::ConstantTimeEquals(req.get_header_value("X-CSRF-Token"), session.csrf)) {
        return Forbidden("csrf", "send the session's CSRF token in X-CSRF-Token");
      }
      caller.staff = session.member;
      caller.session_id = cookie;
      caller.csrf = session.csrf;
      for (const auto& role : route.roles) {
        if (caller.staff->role == role) return Status::Ok();
      }
      return Forbidden("wrong_role", "your role may not call this endpoint");
    }
    case Auth::kSubject: {
      if (token.empty())
        return Unauthenticated("missing_subject_token", "a subject token is required");
      ASSIGN_OR_RETURN(caller.subject_id, rights::VerifySubjectToken(ctx, token));
      return Status::Ok();
    }
  }
  return Internal("auth", "unknown auth kind");
}

// Framing that RFC 9112 forbids or that httplib would read without a bound,
// refused before any byte of the body is read (issue 11): several
// Content-Length headers (section 6.3: request smuggling behind a proxy),
// both Content-Length and Transfer-Encoding, and chunked bodies, whose size
// httplib does not count against the limit (411: the product's backends
// send recordings with a length). Ok when the request may go on.
Status CheckFraming(const httplib::Request& req) {
  const size_t lengths = req.get_header_value_count("Content-Length");
  const bool has_te = req.has_header("Transfer-Encoding");
  if (lengths > 1) {
    return InvalidArgument("duplicate_content_length", "send one Content-Length header");
  }
  if (lengths == 1 && has_te) {
    return InvalidArgument("ambiguous_length", "send Content-Length or Transfer-Encoding, not both");
  }
  if (has_te) {
    return InvalidArgument("length_required",
                           "send the body with a Content-Length; chunked uploads are not accepted");
  }
  if (lengths == 1) {
    const std::string v = req.get_header_value("Content-Length");
    if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos) {
      return InvalidArgument("bad_content_length", "Content-Length must be a decimal number");
    }
  }
  return Status::Ok();
}

// The listening socket: SO_REUSEADDR (restart without waiting out
// TIME_WAIT), but never SO_REUSEPORT, which httplib sets by default and
// which let a second server share a port silently.
void ListeningSocketOptions(socket_t sock) {
  int yes = 1;
  setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
}

// httplib's chunked provider over a BodyStream: a failure, or a client that
// went away, ends the stream without its last chunk (a truncated body).
httplib::ContentProviderWithoutLength ChunkedBody(BodyStream next) {
  return [next = std::move(next)](size_t, httplib::DataSink& sink) {
    std::string chunk;
    Result<bool> more = next(chunk);
    if (!more.ok()) {
      LogError("http_stream_aborted",
               {{"reason", more.status().reason()}, {"message", more.status().message()}});
      return false;
    }
    if (!chunk.empty() && !sink.write(chunk.data(), chunk.size())) return false;
    if (!*more) sink.done();
    return true;
  };
}

void Send(const Reply& reply, httplib::Response& res) {
  res.status = reply.status;
  for (const auto& [k, v] : reply.headers) res.set_header(k, v);
  res.set_header("X-Content-Type-Options", "nosniff");
  // Subject tokens travel in page fragments, never in a Referer.
  res.set_header("Referrer-Policy", "no-referrer");
  if (reply.stream) {
    res.set_chunked_content_provider(reply.content_type, ChunkedBody(reply.stream));
    return;
  }
  res.set_content(reply.body, reply.content_type);
}

}  // namespace

HttpServer::HttpServer(Context& ctx) : ctx_(ctx), server_(std::make_unique<httplib::Server>()) {
  // Request bodies and decoded audio are hundreds of KB: keep such buffers on
  // the heap for reuse instead of a fresh mmap (and page faults) per request.
  mallopt(M_MMAP_THRESHOLD, 8 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  server_->set_payload_max_length(static_cast<size_t>(ctx.config().max_body_bytes));
  server_->set_tcp_nodelay(true);  // no Nagle/delayed-ACK stalls on small replies
  const Config& config = ctx.config();
  server_->set_read_timeout(config.http_read_timeout_s, 0);
  server_->set_write_timeout(30, 0);
  server_->set_keep_alive_timeout(config.http_keep_alive_s);
  const size_t threads = static_cast<size_t>(std::max(1, config.http_threads));
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_->set_socket_options(ListeningSocketOptions);
  server_->set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    // Byte ranges are ours to serve (every byte of audio belongs to a play,
    // review/plays.h): httplib would slice every reply again by the Range
    // header, error replies and our own 206 slices included. The request is
    // httplib's own mutable object, handed to this hook as const.
    const_cast<httplib::Request&>(req).ranges.clear();
    Status framing = CheckFraming(req);
    if (framing.ok()) return httplib::Server::HandlerResponse::Unhandled;
    Reply reply = ErrorReply(framing);
    if (framing.reason() == "length_required") reply.status = 411;
    Send(reply, res);
    // The unread body must not be taken for the next request.
    res.set_header("Connection", "close");
    LogInfo("http_request_refused", {{"reason", framing.reason()}});
    return httplib::Server::HandlerResponse::Handled;
  });
  // Errors httplib produces itself (unknown path, body over the limit,
  // malformed request line) get the same JSON shape as ours.
  server_->set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    Status st = res.status == 404 ? NotFound("no_such_route", "no such endpoint")
                : res.status == 413
                    ? TooLarge("body_too_large", "request body is over the limit of " +
                                                     std::to_string(ctx_.config().max_body_bytes) +
                                                     " bytes")
                : res.status == 405 ? InvalidArgument("method_not_allowed", "method not allowed")
                                    : InvalidArgument("bad_request", "malformed HTTP request");
    if (res.status == 413 && req.path == "/api/v1/recordings") {
      ingest::CountRejection(ctx_, "body_too_large");
    }
    Reply reply = ErrorReply(st);
    reply.status = res.status;
    Send(reply, res);
  });
  RegisterRoutes();
}

HttpServer::~HttpServer() {
  Stop();
}

void HttpServer::RegisterRoutes() {
  for (const Route& route : Routes()) {
    auto handler = [this, &route](const httplib::Request& req, httplib::Response& res) {
      const auto start = std::chrono::steady_clock::now();
      Call call{ctx_, req, {}};
      Reply reply;
      Status auth = Authenticate(ctx_, route, req, call.caller);
      if (!auth.ok()) {
        if (route.auth == Auth::kStreamKey && std::string(route.name) == "recordings.create") {
          ingest::CountRejection(ctx_, auth.reason());
        }
        reply = ErrorReply(auth);
      } else {
        try {
          // The one place a handler's error Status becomes its HTTP reply.
          Result<Reply> result = route.handler(call);
          reply = result.ok() ? std::move(result).value() : ErrorReply(result.status());
        } catch (const std::exception& e) {
          LogError("handler_exception", {{"route", route.name}, {"what", e.what()}});
          reply = ErrorReply(Internal("exception", e.what()));
        }
      }
      Send(reply, res);
      const auto ms = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count() /
                      1000.0;
      Log(reply.status >= 500 ? LogLevel::kError : LogLevel::kInfo, "http_request",
          {{"route", route.name},
           {"method", route.method},
           {"status", std::to_string(reply.status)},
           {"ms", std::to_string(ms)}});
    };
    const std::string method = route.method;
    if (method == "GET")
      server_->Get(route.pattern, handler);
    else if (method == "POST")
      server_->Post(route.pattern, handler);
    else if (method == "PUT")
      server_->Put(route.pattern, handler);
    else if (method == "DELETE")
      server_->Delete(route.pattern, handler);
  }
}

Result<int> HttpServer::Bind(const std::string& host, int port) {
  int bound =
      port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (bound < 0) {
    const int err = errno;
    const std::string where = host + ":" + std::to_string(port);
    if (err == EADDRINUSE) {
      return Unavailable("address_in_use", "cannot listen on " + where +
                                               ": the address is in use (another earshot serve, "
                                               "or another program, holds it)");
    }
    return Unavailable("bind_failed",
                       "cannot listen on " + where + ": " + std::string(std::strerror(err)));
  }
  return bound;
}

void HttpServer::Serve() {
  server_->listen_after_bind();
}

void HttpServer::Stop() {
  if (server_ && server_->is_running()) server_->stop();
}

}  // namespace earshot::http
