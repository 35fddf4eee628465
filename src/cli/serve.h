// Running the server: shared by `earshot serve` and `earshot demo`.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "app/context.h"
#include "cli/worker.h"
#include "http/tls.h"

namespace earshot::cli {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  int64_t sweep_interval_s = 3600;  // retention sweep period
  int workers = 1;                  // supervised de-identification processes
  WorkerOptions worker;             // their limits
  std::optional<http::TlsIdentity> tls;  // HTTPS when set (--tls-cert, --tls-key)
};

// Finishes interrupted erasures, removes orphan blobs, binds, starts the
// retention sweeper and the supervised worker processes, and serves until
// SIGINT/SIGTERM. `on_ready(port)` runs
// once the port is bound. Returns the process exit code.
int RunServer(Context& ctx, const ServeOptions& options,
              const std::function<void(int port)>& on_ready = {});

}  // namespace earshot::cli
