// The HTTP front: one route table (routes.cc), authentication per route,
// handlers that call the domain and map results with reply.h.
//
// Event-driven (libmicrohttpd, one epoll thread): a connection costs a file
// descriptor and at most Config::http_connection_memory_bytes until its
// request is complete, however slowly its bytes arrive, so slow clients
// hold no thread. A complete request is run on a fixed pool of handler
// threads (Config::http_threads) while its connection is suspended; a full
// queue answers 503. docs/performance.md, "Slow clients", has the numbers.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "app/context.h"
#include "http/tls.h"

namespace earshot::http {

class HttpServer {
 public:
  explicit HttpServer(Context& ctx);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens on `host:port` (port 0 picks a free one): SO_REUSEADDR,
  // never SO_REUSEPORT, so a second server on a port in use fails here with
  // Unavailable("address_in_use"). Returns the bound port.
  Result<int> Bind(const std::string& host, int port);
  // Serves HTTPS with `identity` (http/tls.h), every reply with
  // Strict-Transport-Security. REQUIRES: called before Serve().
  void UseTls(TlsIdentity identity);
  // Serves until Stop(), then finishes the requests in flight and returns.
  // REQUIRES: Bind succeeded.
  void Serve();
  // Async-signal-safe: only asks Serve() to return.
  void Stop();

  struct Impl;

 private:
  Context& ctx_;
  int listen_fd_ = -1;
  std::atomic<bool> stop_requested_{false};
  std::unique_ptr<Impl> impl_;
};

}  // namespace earshot::http
