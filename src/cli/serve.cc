#include "cli/serve.h"

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <functional>
#include <thread>

#include "audit/anchor.h"
#include "audit/audit_log.h"
#include "cli/commands.h"
#include "cli/worker_supervisor.h"
#include "http/server.h"
#include "pipeline/jobs.h"
#include "rights/erasure.h"
#include "rights/retention.h"
#include "staff/accounts.h"
#include "util/log.h"
#include "util/thread_annotations.h"

namespace earshot::cli {
namespace {

http::HttpServer* g_server = nullptr;

void OnSignal(int) {
  if (g_server) g_server->Stop();
}

bool SplitHostPort(const std::string& listen, std::string* host, int* port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  *host = listen.substr(0, colon);
  try {
    *port = std::stoi(listen.substr(colon + 1));
  } catch (...) {
    return false;
  }
  return *port >= 0 && *port <= 65535 && !host->empty();
}

void SweepOnce(Context& ctx) {
  // Erasures that failed half way (e.g. an I/O error) are retried here too.
  auto resumed = rights::ResumePendingErasures(ctx);
  if (!resumed.ok()) LogWarn("erasure_resume_failed", {{"reason", resumed.status().reason()}});
  Status purged = staff::PurgeExpired(ctx);
  if (!purged.ok()) LogWarn("staff_purge_failed", {{"reason", purged.reason()}});
  auto anchored = audit::AnchorHead(ctx);  // the head outside the database (audit/anchor.h)
  if (!anchored.ok()) LogWarn("audit_anchor_failed", {{"reason", anchored.status().reason()}});
  // Blobs a crash left without a row: at every sweep, not only at start
  // (issue 11: they outlived restarts that came within the grace period).
  auto orphans = rights::SweepOrphanBlobs(ctx, SystemClock().NowMs() - rights::kOrphanGraceMs);
  if (!orphans.ok()) LogWarn("orphan_sweep_failed", {{"reason", orphans.status().reason()}});
  auto result = rights::RunRetentionSweep(ctx);
  if (!result.ok()) {
    LogWarn("retention_sweep_failed", {{"reason", result.status().reason()}});
    return;
  }
  if (result->raw_deleted + result->clips_deleted > 0) {
    LogInfo("retention_sweep", {{"raw_deleted", std::to_string(result->raw_deleted)},
                                {"clips_deleted", std::to_string(result->clips_deleted)}});
  }
}

}  // namespace

int RunServer(Context& ctx, const ServeOptions& options, const std::function<void(int)>& on_ready) {
  std::string host;
  int port = 0;
  if (!SplitHostPort(options.listen, &host, &port)) {
    Fail(InvalidArgument("bad_listen", "--listen must be HOST:PORT, e.g. 127.0.0.1:8080"));
  }
  SweepOnce(ctx);  // finishes interrupted erasures first, removes orphan blobs

  http::HttpServer server(ctx);
  if (options.tls) server.UseTls(*options.tls);
  auto bound = server.Bind(host, port);
  if (!bound.ok()) Fail(bound.status());
  g_server = &server;
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGPIPE, SIG_IGN);

  Mutex mu;
  std::condition_variable_any cv;
  bool stopping = false;  // guarded by mu (a local: GUARDED_BY cannot say so)
  std::thread sweeper([&] {
    MutexLock lock(mu);
    while (!cv.wait_for(lock, std::chrono::seconds(options.sweep_interval_s),
                        [&] { return stopping; })) {
      lock.unlock();
      SweepOnce(ctx);
      lock.lock();
    }
  });
  // De-identification runs in supervised child processes, never here.
  WorkerSupervisor workers(ctx, options.workers, options.worker);
  workers.Start();
  LogInfo("listening", {{"host", host},
                        {"port", std::to_string(*bound)},
                        {"scheme", options.tls ? "https" : "http"}});
  if (on_ready) on_ready(*bound);
  server.Serve();
  {
    MutexLock lock(mu);
    stopping = true;
  }
  cv.notify_all();
  sweeper.join();
  workers.Stop();
  g_server = nullptr;
  LogInfo("stopped");
  return 0;
}

void AddServeCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("serve", "Serve the HTTP API");
  auto data = std::make_shared<std::string>();
  auto options = std::make_shared<ServeOptions>();
  cmd->add_option("--data", *data, "Data directory")->required();
  AddStoreOptions(*cmd);
  AddLogLevelOption(*cmd);
  cmd->add_option("--listen", options->listen, "HOST:PORT to listen on (port 0: any free port)");
  cmd->add_option("--sweep-interval", options->sweep_interval_s, "Seconds between retention sweeps")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--workers", options->workers,
                  "De-identification worker processes to supervise (0: none here, run "
                  "`earshot worker` elsewhere)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--worker-memory-mb", options->worker.max_memory_mb,
                  "Address-space limit of each worker process in MiB");
  cmd->add_option("--job-time-limit", options->worker.job_time_limit_s,
                  "Seconds one de-identification job may run")
      ->check(CLI::PositiveNumber);
  auto cert = std::make_shared<std::string>();
  auto key = std::make_shared<std::string>();
  auto* cert_opt = cmd->add_option("--tls-cert", *cert,
                                   "Serve HTTPS with this PEM certificate (then its chain)");
  auto* key_opt = cmd->add_option("--tls-key", *key, "The certificate's PEM private key");
  cert_opt->needs(key_opt);
  key_opt->needs(cert_opt);
  cmd->callback([data, options, cert, key] {
    Config config = DefaultConfig(*data);
    if (!cert->empty()) {
      auto identity = http::LoadTlsIdentity(*cert, *key);
      if (!identity.ok()) Fail(identity.status());
      options->tls = std::move(identity).value();
      config.secure_cookies = true;  // Secure and __Host- under TLS, always
    }
    auto ctx = Context::Open(config);
    if (!ctx.ok()) Fail(ctx.status());
    std::exit(RunServer(**ctx, *options));
  });
}

}  // namespace earshot::cli
