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
#include <mutex>
#include <regex>
#include <thread>
#include <vector>

#include "crypto/seal.h"
#include "http/cookies.h"
#include "http/request.h"
#include "http/routes.h"
#include "ingest/intake.h"
#include "rights/subject_tokens.h"
#include "staff/accounts.h"
#include "util/log.h"

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
    return InvalidArgument("ambiguous_length", "send Content-Length or Transfer-Encoding, not both");
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

// A fixed pool of threads that run handlers. Submit is called from the one
// libmicrohttpd thread only, so Queued() before Submit is exact enough.
class HandlerPool {
 public:
  explicit HandlerPool(size_t threads) {
    for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
  }
  ~HandlerPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }
  size_t Queued() {
    std::lock_guard<std::mutex> lock(mu_);
    return jobs_.size();
  }
  void Submit(std::function<void()> job) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
  }
  // Waits until no job is queued or running.
  void Drain() {
    std::unique_lock<std::mutex> lock(mu_);
    idle_.wait(lock, [this] { return jobs_.empty() && running_ == 0; });
  }

 private:
  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
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
  std::mutex mu_;
  std::condition_variable wake_, idle_;
  std::deque<std::function<void()>> jobs_;
  size_t running_ = 0;
  bool stopping_ = false;
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
  bool close = false;  // answer with Connection: close (the body was not read)
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
};

// A streamed body (Reply::stream) read by libmicrohttpd as the socket drains.
struct StreamReader {
  BodyStream next;
  std::string chunk;
  size_t offset = 0;
  bool last = false;
};

ssize_t ReadStream(void* cls, uint64_t, char* out, size_t max) {
  auto& s = *static_cast<StreamReader*>(cls);
  while (s.offset == s.chunk.size()) {
    if (s.last) return MHD_CONTENT_READER_END_OF_STREAM;
    s.chunk.clear();
    s.offset = 0;
    Result<bool> more = s.next(s.chunk);
    if (!more.ok()) {
      // No status can change after the first byte: the body ends without
      // its last chunk, which clients report as cut short.
      LogError("http_stream_aborted",
               {{"reason", more.status().reason()}, {"message", more.status().message()}});
      return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    s.last = !*more;
  }
  const size_t n = std::min(max, s.chunk.size() - s.offset);
  std::memcpy(out, s.chunk.data() + s.offset, n);
  s.offset += n;
  return static_cast<ssize_t>(n);
}

void FreeStream(void* cls) {
  delete static_cast<StreamReader*>(cls);
}

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
  LogInfo("http_library", {{"message", message}});
}

void LogRequest(const Pending& p, const char* route, const char* method) {
  const double ms = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - p.start)
                        .count() /
                    1000.0;
  Log(p.reply.status >= 500 ? LogLevel::kError : LogLevel::kInfo, "http_request",
      {{"route", route},
       {"method", method},
       {"status", std::to_string(p.reply.status)},
       {"ms", std::to_string(ms)}});
}

}  // namespace

struct HttpServer::Impl {
  Impl(Context& c, size_t threads) : ctx(c), pool(threads) {
    for (const Route& route : Routes()) routes.push_back({&route, std::regex(route.pattern)});
  }

  // The first call for a request, with its headers: refusals that need no
  // body are answered now, before a byte of it is read.
  MHD_Result Begin(MHD_Connection* conn, Pending& p) {
    const std::string length = p.req.Header("Content-Length");
    const bool has_body = p.req.HasHeader("Transfer-Encoding") || (!length.empty() && length != "0");
    // A refusal is answered at once when there is no body to read past, or
    // its length is unknown (chunked) or bad. Otherwise the body is read
    // and dropped first (at most kMaxDiscardBytes; memory stays bounded), so
    // that a client still sending it can read the answer: closing on unread
    // bytes resets the connection, and the client sees no answer at all.
    const int64_t max = ctx.config().max_body_bytes;
    auto refuse = [&](Status st, int status = 0, bool discard = false) {
      p.reply = ErrorReply(st);
      if (status != 0) p.reply.status = status;
      p.close = has_body;
      p.phase = Pending::Phase::kReady;
      LogInfo("http_request_refused", {{"reason", st.reason()}});
      if (discard && has_body && std::stoll(length) <= 2 * max) return MHD_YES;
      return Queue(conn, p);
    };
    if (Status framing = CheckFraming(p.req); !framing.ok()) {
      return refuse(framing, framing.reason() == "length_required" ? 411 : 0);
    }
    if (!length.empty() && std::stoll(length) > max) {
      if (p.req.path == "/api/v1/recordings") ingest::CountRejection(ctx, "body_too_large");
      return refuse(TooLarge("body_too_large", "request body is over the limit of " +
                                                   std::to_string(max) + " bytes"),
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
    if (!length.empty()) p.req.body.reserve(static_cast<size_t>(std::stoll(length)));
    return MHD_YES;
  }

  // After the whole body: the handler runs on the pool while the connection
  // waits, suspended.
  MHD_Result Dispatch(MHD_Connection* conn, Pending& p) {
    if (pool.Queued() >= kMaxQueued) {
      p.reply = ErrorReply(Unavailable("overloaded", "the server is busy; retry shortly")
                               .WithRetryAfter(1));
      p.phase = Pending::Phase::kReady;
      LogRequest(p, p.route->route->name, p.route->route->method);
      return Queue(conn, p);
    }
    p.phase = Pending::Phase::kRunning;
    MHD_suspend_connection(conn);
    pool.Submit([this, conn, &p] {
      Run(p);
      p.phase = Pending::Phase::kReady;
      MHD_resume_connection(conn);
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
      auto* reader = new StreamReader{std::move(reply.stream), {}, 0, false};
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
    // The unread body must not be taken for the next request.
    if (p.close) MHD_add_response_header(res, "Connection", "close");
    const MHD_Result queued = MHD_queue_response(conn, static_cast<unsigned>(reply.status), res);
    MHD_destroy_response(res);
    return queued;
  }

  static constexpr size_t kMaxQueued = 1024;
  Context& ctx;
  std::vector<CompiledRoute> routes;
  HandlerPool pool;
  MHD_Daemon* daemon = nullptr;
};

namespace {

MHD_Result OnRequest(void* cls, MHD_Connection* conn, const char* url, const char* method,
                     const char*, const char* upload_data, size_t* upload_size, void** con_cls) {
  auto& impl = *static_cast<HttpServer::Impl*>(cls);
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

void OnCompleted(void*, MHD_Connection*, void** con_cls, MHD_RequestTerminationCode) {
  delete static_cast<Pending*>(*con_cls);
  *con_cls = nullptr;
}

}  // namespace

HttpServer::HttpServer(Context& ctx)
    : ctx_(ctx),
      impl_(std::make_unique<Impl>(ctx, static_cast<size_t>(std::max(1, ctx.config().http_threads)))) {
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
    const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                            ai->ai_protocol);
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
  const unsigned per_ip = config.trust_proxy ? 0 : static_cast<unsigned>(config.http_per_ip_connections);
  impl_->daemon = MHD_start_daemon(
      MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG, 0, nullptr,
      nullptr, OnRequest, impl_.get(),                                          //
      MHD_OPTION_EXTERNAL_LOGGER, LogMhd, nullptr,  // first, so that it gets every message
      MHD_OPTION_LISTEN_SOCKET, static_cast<MHD_socket>(listen_fd_),             //
      MHD_OPTION_NOTIFY_COMPLETED, OnCompleted, nullptr,                         //
      MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned>(config.http_read_timeout_s),
      MHD_OPTION_CONNECTION_LIMIT, static_cast<unsigned>(config.http_max_connections),
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,                                //
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, static_cast<size_t>(config.http_connection_memory_bytes),
      MHD_OPTION_END);
  if (impl_->daemon == nullptr) {
    LogError("http_start_failed", {{"message", "libmicrohttpd did not start"}});
    return;
  }
  listen_fd_ = -1;  // the daemon owns it now
  while (!stop_requested_.load()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  // No new connections; the requests in flight finish and are answered.
  const MHD_socket listening = MHD_quiesce_daemon(impl_->daemon);
  if (listening != MHD_INVALID_SOCKET) ::close(listening);
  impl_->pool.Drain();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  MHD_stop_daemon(impl_->daemon);
  impl_->daemon = nullptr;
}

void HttpServer::Stop() {
  stop_requested_.store(true);
}

}  // namespace earshot::http
