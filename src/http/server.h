// The HTTP front: one route table (routes.cc), authentication per route,
// handlers that call the domain and map results with reply.h.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "app/context.h"

namespace httplib {
class Server;
}

namespace earshot::http {

// Thread-safe: requests are served on httplib's worker pool.
class HttpServer {
 public:
  explicit HttpServer(Context& ctx);
  ~HttpServer();

  // Binds `host:port` (port 0 picks a free one). Returns the bound port.
  Result<int> Bind(const std::string& host, int port);
  // Serves until Stop(). REQUIRES: Bind succeeded.
  void Serve();
  void Stop();

 private:
  void RegisterRoutes();
  Context& ctx_;
  std::unique_ptr<httplib::Server> server_;
};

}  // namespace earshot::http
