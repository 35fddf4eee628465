#include "http/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netdb.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdarg>
#include <cstring>
#include <deque>
#include <functional>
#include <optional>
#include <regex>
#include <thread>
#include <vector>

#include "crypto/seal.h"
#include "http/cookies.h"
#include "http/request.h"
#include "http/request_log.h"
#include "http/routes.h"
#include "http/tls.h"
#include "ingest/intake.h"
#include "rights/subject_tokens.h"
#include "staff/accounts.h"
#include "util/log.h"
#include "util/thread_annotations.h"

namespace earshot::http {
namespace {

std::string BearerToken(const Request& req) {
  const std::string header = req.Header("Authorization");
  const std::string prefix = "Bearer ";
  if (header.size() <= prefix.size() || header.compare(0, prefix.size(), prefix) != 0) return "";
  return header.substr(prefix.size());
}

// Fills `caller` per the route's Auth, or returns the error to send.
Status Authenticate(Context& ctx, const Route& route, const Request& req, Caller& caller) {
  const std::string token = BearerToken(req);
  switch (route.auth) {
    case Auth::kNone: return Status::Ok();
    case Auth::kStreamKey: {
      if (token.empty()) {
        return Unauthenticated("missing_api_key", "send the stream's API key as a Bearer token");
      }
      ASSIGN_OR_RETURN(caller.stream, ingest::AuthenticateStream(ctx, token));
      return Status::Ok();
    }
    case Auth::kStaff: {
      const std::string cookie = CookieValue(req, SessionCookieName(ctx.config()));
      if (cookie.empty()) return Unauthenticated("missing_session", "sign in first");
      ASSIGN_OR_RETURN(staff::Session session, staff::AuthenticateSession(ctx, cookie));
      // A cookie comes along with any request the browser makes: changes
      // need the token only the page that signed in knows.
      if (req.method != "GET" && req.method != "HEAD" &&
          !crypto::ConstantTimeEquals(req.Header("X-CSRF-Token"), session.csrf)) {
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

// Framing that RFC 9112 forbids or that we do not read,
// refused before any byte of the body is read (issue 11): several
// Content-Length headers (section 6.3: request smuggling behind a proxy),
// both Content-Length and Transfer-Encoding, and chunked bodies, whose size is not
// known before they are read (411: the product's backends
// send recordings with a length). Ok when the request may go on.
Status CheckFraming(const Request& req) {
  const size_t lengths = req.HeaderCount("Content-Length");
  const bool has_te = req.HasHeader("Transfer-Encoding");
  if (lengths > 1) {
    return InvalidArgument("duplicate_content_length", "send one Content-Length header");
  }
  if (lengths == 1 && has_te) {
    return InvalidArgument("ambiguous_length",
                           "send Content-Length or Transfer-Encoding, not both");
  }
  if (has_te) {
    return InvalidArgument("length_required",
                           "send the body with a Content-Length; chunked uploads are not accepted");
  }
  if (lengths == 1) {
    const std::string v = req.Header("Content-Length");
    if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos) {
      return InvalidArgument("bad_content_length", "Content-Length must be a decimal number");
    }
  }
  return Status::Ok();
}

// Whether the request carries the kind of credential its route needs, with
// the same error Authenticate gives; checked before the body is read.
Status CredentialsPresent(Context& ctx, const Route& route, const Request& req) {
  switch (route.auth) {
    case Auth::kNone: return Status::Ok();
    case Auth::kStreamKey:
      if (BearerToken(req).empty()) {
        return Unauthenticated("missing_api_key", "send the stream's API key as a Bearer token");
      }
      return Status::Ok();
    case Auth::kStaff:
      if (CookieValue(req, SessionCookieName(ctx.config())).empty()) {
        return Unauthenticated("missing_session", "sign in first");
      }
      return Status::Ok();
    case Auth::kSubject:
      if (BearerToken(req).empty()) {
        return Unauthenticated("missing_subject_token", "a subject token is required");
      }
      return Status::Ok();
  }
  return Status::Ok();
}

// A fixed pool of threads that run handlers. Submit is called from the one
// libmicrohttpd thread only, so Queued() before Submit is exact enough.
class HandlerPool {
 public:
  explicit HandlerPool(size_t threads) {
    for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
  }
  ~HandlerPool() {
    {
      MutexLock lock(mu_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }
  size_t Queued() {
    MutexLock lock(mu_);
    return jobs_.size();
  }
  void Submit(std::function<void()> job) {
    {
      MutexLock lock(mu_);
      jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
  }
  // Waits until no job is queued or running.
  void Drain() {
    MutexLock lock(mu_);
    idle_.wait(lock, [this]() REQUIRES(mu_) { return jobs_.empty() && running_ == 0; });
  }

 private:
  void Loop() {
    MutexLock lock(mu_);
    while (true) {
      wake_.wait(lock, [this]() REQUIRES(mu_) { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, and nothing left
      std::function<void()> job = std::move(jobs_.front());
      jobs_.pop_front();
      ++running_;
      lock.unlock();
      job();
      lock.lock();
      --running_;
      if (jobs_.empty() && running_ == 0) idle_.notify_all();
    }
  }
  Mutex mu_;
  std::condition_variable_any wake_, idle_;
  std::deque<std::function<void()>> jobs_ GUARDED_BY(mu_);
  size_t running_ GUARDED_BY(mu_) = 0;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

struct CompiledRoute {
  const Route* route;
  std::regex pattern;
};

// One request on its connection, from its headers to its reply.
struct Pending {
  enum class Phase { kReceiving, kRunning, kReady };
  Request req;
  const CompiledRoute* route = nullptr;
  Phase phase = Phase::kReceiving;
  Reply reply;
  bool close = false;    // answer with Connection: close (the body was not read)
  int64_t budgeted = 0;  // body bytes counted against Impl::body_bytes
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
};

MHD_Result CollectPair(void* cls, MHD_ValueKind, const char* key, const char* value) {
  static_cast<std::vector<std::pair<std::string, std::string>>*>(cls)->emplace_back(
      key ? key : "", value ? value : "");
  return MHD_YES;
}

std::string PeerAddress(MHD_Connection* conn) {
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (info == nullptr || info->client_addr == nullptr) return "";
  char buf[INET6_ADDRSTRLEN] = {0};
  const sockaddr* sa = info->client_addr;
  if (sa->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  } else if (sa->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
  }
  return buf;
}

// libmicrohttpd's own messages (a connection it closed, a failed accept).
void LogMhd(void*, const char* fmt, va_list ap) {
  char buf[512];
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  std::string message(buf);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  // It quotes request paths `like this'; paths hold ids, which our log
  // never does (it names routes instead).
  for (size_t open = message.find('`'); open != std::string::npos;
       open = message.find('`', open + 1)) {
    const size_t close = message.find('\'', open + 1);
    if (close == std::string::npos) break;
    message.replace(open + 1, close - open - 1, "...");
  }
  LogInfo("http_library", {{"message", message}});
}

void LogRequest(const Pending& p, const char* route, const char* method) {
  const double ms = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - p.start)
                        .count() /
                    1000.0;
  Log(RequestLogLevel(p.reply.status, method, p.reply.routine, ms), "http_request",
      {{"route", route},
       {"method", method},
       {"status", std::to_string(p.reply.status)},
       {"ms", std::to_string(ms)}});
}

}  // namespace

// A streamed body (Reply::stream): each chunk is made on the stream pool
// (it reads the database and decrypts) while the connection waits
// suspended, and libmicrohttpd sends it as the socket drains.
struct StreamReader {
  HttpServer::Impl* impl;
  MHD_Connection* conn;
  BodyStream next;
  Mutex mu;
  std::string chunk GUARDED_BY(mu);
  size_t offset GUARDED_BY(mu) = 0;
  bool last GUARDED_BY(mu) = false;
  bool failed GUARDED_BY(mu) = false;
  bool producing GUARDED_BY(mu) = false;
};

ssize_t ReadStream(void* cls, uint64_t, char* out, size_t max);
void FreeStream(void* cls) {
  delete static_cast<StreamReader*>(cls);
}

struct HttpServer::Impl {
  Impl(Context& c, size_t threads) : ctx(c), pool(threads) {
    for (const Route& route : Routes()) routes.push_back({&route, std::regex(route.pattern)});
  }

  // Every suspension is counted, so that Serve can wait for all of them to
  // be resumed before stopping the daemon (stopping with one suspended is
  // undefined behaviour in libmicrohttpd). Once stopping, none begins.
  void Resume(MHD_Connection* conn) {
    MHD_resume_connection(conn);
    --suspended;
  }

  // The first call for a request, with its headers: refusals that need no
  // body are answered now, before a byte of it is read.
  MHD_Result Begin(MHD_Connection* conn, Pending& p) {
    const std::string length = p.req.Header("Content-Length");
    const bool has_body =
        p.req.HasHeader("Transfer-Encoding") || (!length.empty() && length != "0");
    // A refusal is answered at once when there is no body to read past, or
    // its length is unknown (chunked) or bad. Otherwise the body is read
    // and dropped first (up to twice the body limit; memory stays bounded), so
    // that a client still sending it can read the answer: closing on unread
    // bytes resets the connection, and the client sees no answer at all.
    const int64_t max = ctx.config().max_body_bytes;
    auto refuse = [&](Status st, int status = 0, bool discard = false) {
      p.reply = ErrorReply(st);
      if (status != 0) p.reply.status = status;
      p.close = has_body;
      p.phase = Pending::Phase::kReady;
      LogInfo("http_request_refused", {{"reason", st.reason()}});
      // Counted like the handler's own rejections (earshot_recordings_rejected_total).
      if (p.req.method == "POST" && p.req.path == "/api/v1/recordings") {
        ingest::CountRejection(ctx, st.reason());
      }
      // With Expect: 100-continue the client waits: answer at once.
      if (discard && has_body && !p.req.HasHeader("Expect") && std::stoll(length) <= 2 * max) {
        return MHD_YES;
      }
      return Queue(conn, p);
    };
    if (Status framing = CheckFraming(p.req); !framing.ok()) {
      return refuse(framing, framing.reason() == "length_required" ? 411 : 0);
    }
    if (!length.empty() && std::stoll(length) > max) {
      return refuse(TooLarge("body_too_large",
                             "request body is over the limit of " + std::to_string(max) + " bytes"),
                    0, true);
    }
    // HEAD is GET without the body (libmicrohttpd leaves the body out).
    const std::string method = p.req.method == "HEAD" ? "GET" : p.req.method;
    std::smatch m;
    bool path_known = false;
    for (const auto& r : routes) {
      if (!std::regex_match(p.req.path, m, r.pattern)) continue;
      path_known = true;
      if (method != r.route->method) continue;
      p.route = &r;
      for (const auto& sub : m) p.req.matches.push_back(sub.str());
      break;
    }
    if (p.route == nullptr) {
      return refuse(path_known ? InvalidArgument("method_not_allowed", "method not allowed")
                               : NotFound("no_such_route", "no such endpoint"),
                    path_known ? 405 : 0, true);
    }
    // Missing credentials are refused before the body is read.
    if (Status present = CredentialsPresent(ctx, *p.route->route, p.req); !present.ok()) {
      return refuse(present, 0, true);
    }
    // Bodies being received or handled are bounded in all, whatever the
    // number of connections (each is at most max_body_bytes).
    const int64_t bytes = length.empty() ? 0 : std::stoll(length);
    if (body_bytes.fetch_add(bytes) + bytes > kBodyBudgetBytes) {
      body_bytes.fetch_sub(bytes);
      return refuse(Unavailable("overloaded",
                                "the server is receiving too much at once; retry "
                                "shortly")
                        .WithRetryAfter(1));
    }
    p.budgeted = bytes;
    p.req.body.reserve(static_cast<size_t>(std::min<int64_t>(bytes, 1 << 20)));
    return MHD_YES;
  }

  // After the whole body: the handler runs on the pool while the connection
  // waits, suspended.
  MHD_Result Dispatch(MHD_Connection* conn, Pending& p) {
    if (pool.Queued() >= kMaxQueued) {
      p.reply = ErrorReply(
          Unavailable("overloaded", "the server is busy; retry shortly").WithRetryAfter(1));
      p.phase = Pending::Phase::kReady;
      LogRequest(p, p.route->route->name, p.route->route->method);
      return Queue(conn, p);
    }
    ++suspended;  // before the check: Serve waits for it, or we see stopping
    if (stopping.load()) {
      --suspended;
      p.reply = ErrorReply(
          Unavailable("shutting_down", "the server is stopping; retry shortly").WithRetryAfter(1));
      p.close = true;
      p.phase = Pending::Phase::kReady;
      return Queue(conn, p);
    }
    p.phase = Pending::Phase::kRunning;
    MHD_suspend_connection(conn);  // counted above; Resume uncounts it
    pool.Submit([this, conn, &p] {
      Run(p);
      p.phase = Pending::Phase::kReady;
      Resume(conn);
    });
    return MHD_YES;
  }

  void Run(Pending& p) {
    const Route& route = *p.route->route;
    Call call{ctx, p.req, {}};
    Status auth = Authenticate(ctx, route, p.req, call.caller);
    if (!auth.ok()) {
      if (route.auth == Auth::kStreamKey && std::string(route.name) == "recordings.create") {
        ingest::CountRejection(ctx, auth.reason());
      }
      p.reply = ErrorReply(auth);
    } else {
      try {
        // The one place a handler's error Status becomes its HTTP reply.
        Result<Reply> result = route.handler(call);
        p.reply = result.ok() ? std::move(result).value() : ErrorReply(result.status());
      } catch (const std::exception& e) {
        LogError("handler_exception", {{"route", route.name}, {"what", e.what()}});
        p.reply = ErrorReply(Internal("exception", e.what()));
      }
    }
    LogRequest(p, route.name, route.method);
  }

  MHD_Result Queue(MHD_Connection* conn, Pending& p) {
    Reply& reply = p.reply;
    MHD_Response* res;
    if (reply.stream) {
      auto* reader = new StreamReader{this, conn, std::move(reply.stream), {}, {}, 0};
      res = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, ReadStream, reader,
                                              FreeStream);
      if (res == nullptr) delete reader;
    } else {
      res = MHD_create_response_from_buffer(reply.body.size(), reply.body.data(),
                                            MHD_RESPMEM_MUST_COPY);
    }
    if (res == nullptr) return MHD_NO;
    for (const auto& [k, v] : reply.headers) MHD_add_response_header(res, k.c_str(), v.c_str());
    MHD_add_response_header(res, "Content-Type", reply.content_type.c_str());
    MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
    // Subject tokens travel in page fragments, never in a Referer.
    MHD_add_response_header(res, "Referrer-Policy", "no-referrer");
    if (tls) MHD_add_response_header(res, "Strict-Transport-Security", kHstsValue);
    // The unread body must not be taken for the next request.
    if (p.close || stopping.load()) MHD_add_response_header(res, "Connection", "close");
    const MHD_Result queued = MHD_queue_response(conn, static_cast<unsigned>(reply.status), res);
    MHD_destroy_response(res);
    return queued;
  }

  static constexpr size_t kMaxQueued = 1024;
  static constexpr int64_t kBodyBudgetBytes = int64_t{1} << 30;
  Context& ctx;
  std::vector<CompiledRoute> routes;
  HandlerPool pool;
  // Streamed bodies (subject exports) get threads of their own: many at once
  // cannot take every handler thread, and the memory each chunk passes
  // through (a recording's sealed, decoded and WAV forms) stays in the
  // malloc arenas of two threads instead of spreading over sixteen.
  HandlerPool stream_pool{2};
  MHD_Daemon* daemon = nullptr;
  std::atomic<bool> stopping{false};
  std::optional<TlsIdentity> tls;  // set before Serve; the daemon reads its strings
  std::atomic<int> suspended{0};
  std::atomic<int64_t> body_bytes{0};
};

// What the reader has for libmicrohttpd now, or -1 when a chunk must be
// made first.
ssize_t ReadStreamAgain(StreamReader& s, char* out, size_t max) REQUIRES(s.mu) {
  if (s.offset < s.chunk.size()) {
    const size_t n = std::min(max, s.chunk.size() - s.offset);
    std::memcpy(out, s.chunk.data() + s.offset, n);
    s.offset += n;
    return static_cast<ssize_t>(n);
  }
  // No status can change after the first byte: a failure ends the body
  // without its last chunk, which clients report as cut short.
  if (s.failed) return MHD_CONTENT_READER_END_WITH_ERROR;
  if (s.last) return MHD_CONTENT_READER_END_OF_STREAM;
  return 0;  // an empty chunk with more to come: ask again
}

ssize_t ReadStream(void* cls, uint64_t, char* out, size_t max) {
  auto& s = *static_cast<StreamReader*>(cls);
  MutexLock lock(s.mu);
  if (s.offset < s.chunk.size() || s.failed || s.last) return ReadStreamAgain(s, out, max);
  // Once the server is stopping nothing may be suspended: the chunk is made
  // here, on the event loop.
  auto take = [&s](Result<bool> more, std::string chunk) REQUIRES(s.mu) {
    if (!more.ok()) {
      LogError("http_stream_aborted",
               {{"reason", more.status().reason()}, {"message", more.status().message()}});
      s.failed = true;
    } else {
      s.chunk = std::move(chunk);
      s.offset = 0;
      s.last = !*more;
    }
  };
  HttpServer::Impl* impl = s.impl;
  if (!s.producing) {
    ++impl->suspended;  // before the check, as in Dispatch
    if (impl->stopping.load()) {
      --impl->suspended;
      std::string chunk;
      Result<bool> more = s.next(chunk);
      take(std::move(more), std::move(chunk));
      return ReadStreamAgain(s, out, max);
    }
    s.producing = true;
    MHD_Connection* conn = s.conn;
    MHD_suspend_connection(conn);
    impl->stream_pool.Submit([&s, impl, conn, take] {
      std::string chunk;
      Result<bool> more = s.next(chunk);
      {
        MutexLock produced(s.mu);
        take(std::move(more), std::move(chunk));
        s.producing = false;
      }
      impl->Resume(conn);  // the last use of s: the response may go now
    });
  }
  return 0;  // suspended until the chunk is made
}

namespace {

MHD_Result HandleRequest(HttpServer::Impl& impl, MHD_Connection* conn, const char* url,
                         const char* method, const char* upload_data, size_t* upload_size,
                         void** con_cls) {
  auto* p = static_cast<Pending*>(*con_cls);
  if (p == nullptr) {
    p = new Pending;
    *con_cls = p;
    p->req.method = method;
    p->req.path = url;
    MHD_get_connection_values(conn, MHD_HEADER_KIND, CollectPair, &p->req.headers);
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, CollectPair, &p->req.query);
    p->req.remote_addr = PeerAddress(conn);
    return impl.Begin(conn, *p);
  }
  if (*upload_size > 0) {
    // Bounded already: the length was checked, and libmicrohttpd reads no
    // more than it says. The body of a refused request is dropped.
    if (p->phase == Pending::Phase::kReceiving) p->req.body.append(upload_data, *upload_size);
    *upload_size = 0;
    return MHD_YES;
  }
  switch (p->phase) {
    case Pending::Phase::kReceiving: return impl.Dispatch(conn, *p);
    case Pending::Phase::kRunning: return MHD_YES;
    case Pending::Phase::kReady: return impl.Queue(conn, *p);
  }
  return MHD_NO;
}

// Called from C: nothing may throw out of it (a failed allocation closes
// this connection, not the server).
MHD_Result OnRequest(void* cls, MHD_Connection* conn, const char* url, const char* method,
                     const char*, const char* upload_data, size_t* upload_size, void** con_cls) {
  try {
    return HandleRequest(*static_cast<HttpServer::Impl*>(cls), conn, url, method, upload_data,
                         upload_size, con_cls);
  } catch (const std::exception& e) {
    LogError("http_request_failed", {{"what", e.what()}});
    return MHD_NO;
  }
}

void OnCompleted(void* cls, MHD_Connection*, void** con_cls, MHD_RequestTerminationCode) {
  auto* p = static_cast<Pending*>(*con_cls);
  if (p != nullptr) static_cast<HttpServer::Impl*>(cls)->body_bytes.fetch_sub(p->budgeted);
  delete p;
  *con_cls = nullptr;
}

}  // namespace

HttpServer::HttpServer(Context& ctx)
    : ctx_(ctx),
      impl_(std::make_unique<Impl>(ctx,
                                   static_cast<size_t>(std::max(1, ctx.config().http_threads)))) {
  // Request bodies and decoded audio are hundreds of KB: keep such buffers on
  // the heap for reuse instead of a fresh mmap (and page faults) per request.
  mallopt(M_MMAP_THRESHOLD, 8 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
}

HttpServer::~HttpServer() {
  if (impl_->daemon != nullptr) MHD_stop_daemon(impl_->daemon);
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

Result<int> HttpServer::Bind(const std::string& host, int port) {
  const std::string where = host + ":" + std::to_string(port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 || !found) {
    return Unavailable("bind_failed", "cannot listen on " + where + ": unknown host");
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(found, freeaddrinfo);
  int err = 0;
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    const int fd =
        ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0) {
      err = errno;
      continue;
    }
    // Restart without waiting out TIME_WAIT; never SO_REUSEPORT, which would
    // let a second server share the port silently.
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, SOMAXCONN) == 0) {
      sockaddr_storage addr{};
      socklen_t len = sizeof addr;
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
      listen_fd_ = fd;
      return ntohs(addr.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port
                                              : reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
    }
    err = errno;
    ::close(fd);
  }
  if (err == EADDRINUSE) {
    return Unavailable("address_in_use", "cannot listen on " + where +
                                             ": the address is in use (another earshot serve, "
                                             "or another program, holds it)");
  }
  return Unavailable("bind_failed",
                     "cannot listen on " + where + ": " + std::string(std::strerror(err)));
}

void HttpServer::Serve() {
  const Config& config = ctx_.config();
  // One descriptor per connection: allow as many as the hard limit lets.
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  // Behind a proxy every connection comes from the proxy's address.
  const unsigned per_ip =
      config.trust_proxy ? 0 : static_cast<unsigned>(config.http_per_ip_connections);
  // TLS options only when serving HTTPS (an array ended by MHD_OPTION_END).
  std::vector<MHD_OptionItem> tls_options;
  unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
  if (impl_->tls) {
    flags |= MHD_USE_TLS;
    tls_options.push_back({MHD_OPTION_HTTPS_MEM_KEY, 0, impl_->tls->key_pem.data()});
    tls_options.push_back({MHD_OPTION_HTTPS_MEM_CERT, 0, impl_->tls->cert_pem.data()});
  }
  tls_options.push_back({MHD_OPTION_END, 0, nullptr});
  impl_->daemon = MHD_start_daemon(
      flags, 0, nullptr, nullptr, OnRequest, impl_.get(),  //
      MHD_OPTION_EXTERNAL_LOGGER, LogMhd, nullptr,         // first, so that it gets every message
      MHD_OPTION_LISTEN_SOCKET, static_cast<MHD_socket>(listen_fd_),  //
      MHD_OPTION_NOTIFY_COMPLETED, OnCompleted, impl_.get(),          //
      MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned>(config.http_read_timeout_s),
      MHD_OPTION_CONNECTION_LIMIT, static_cast<unsigned>(config.http_max_connections),
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,  //
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, static_cast<size_t>(config.http_connection_memory_bytes),
      MHD_OPTION_ARRAY, tls_options.data(),  //
      MHD_OPTION_END);
  if (impl_->daemon == nullptr) {
    LogError("http_start_failed", {{"message", "libmicrohttpd did not start"}});
    return;
  }
  listen_fd_ = -1;  // the daemon owns it now
  while (!stop_requested_.load()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  // No new connections; the requests in flight finish and are answered,
  // then the connections left close (a keep-alive one after its answer,
  // which says Connection: close), for at most 5 s.
  impl_->stopping.store(true);
  const MHD_socket listening = MHD_quiesce_daemon(impl_->daemon);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  auto connections = [this] {
    const MHD_DaemonInfo* info =
        MHD_get_daemon_info(impl_->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return info == nullptr ? 0u : info->num_connections;
  };
  while (impl_->suspended.load() > 0 ||
         (connections() > 0 && std::chrono::steady_clock::now() < deadline)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  MHD_stop_daemon(impl_->daemon);
  impl_->daemon = nullptr;
  // Only now: the daemon's thread may have used it until it stopped.
  if (listening != MHD_INVALID_SOCKET) ::close(listening);
}

void HttpServer::UseTls(TlsIdentity identity) {
  impl_->tls = std::move(identity);
}

void HttpServer::Stop() {
  stop_requested_.store(true);
}

}  // namespace earshot::http
