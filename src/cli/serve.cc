#include "cli/serve.h"

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <functional>
#include <mutex>
#include <thread>

#include "asr/pocketsphinx.h"
#include "audit/anchor.h"
#include "cli/commands.h"
#include "http/server.h"
#include "pipeline/jobs.h"
#include "pipeline/worker.h"
#include "rights/erasure.h"
#include "rights/retention.h"
#include "staff/accounts.h"
#include "util/log.h"

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

// The clip stages this build provides: voice anonymization.
std::vector<std::unique_ptr<pipeline::ClipStage>> AvailableClipStages(Context& ctx) {
  std::vector<std::unique_ptr<pipeline::ClipStage>> stages;
  stages.push_back(std::make_unique<pipeline::AnonymizeStage>(ctx.rng()));
  return stages;
}

// Runs one de-identification worker until `stopping`, if this build can
// produce assignable clips at all; otherwise sampled recordings wait in the
// queue (and are not used up) until it can.
std::thread StartDeidWorker(Context& ctx, const std::atomic<bool>& stopping) {
  auto stages = AvailableClipStages(ctx);
  const auto missing = pipeline::MissingStages(pipeline::ChainStages(stages));
  if (!missing.empty()) {
    LogWarn("deid_worker_disabled", {{"reason", "stage_missing"}, {"missing", missing.front()}});
    return {};
  }
  auto recognizer = asr::PocketsphinxRecognizer::Create();
  if (!recognizer.ok()) {
    LogWarn("deid_worker_disabled", {{"reason", recognizer.status().reason()}});
    return {};
  }
  auto digits = asr::GrammarRecognizer::Create(asr::GrammarRecognizer::DigitsGrammar());
  if (!digits.ok()) {
    LogWarn("deid_worker_disabled", {{"reason", digits.status().reason()}});
    return {};
  }
  auto worker = std::make_shared<pipeline::DeidWorker>(
      ctx, std::move(recognizer).value(), std::move(stages), std::move(digits).value());
  return std::thread([worker, &stopping] {
    while (!stopping) {
      auto ran = worker->RunOnce();
      if (!ran.ok()) LogWarn("deid_worker_error", {{"reason", ran.status().reason()}});
      if (!ran.ok() || !*ran) std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  });
}

}  // namespace

int RunServer(Context& ctx, const ServeOptions& options, const std::function<void(int)>& on_ready) {
  std::string host;
  int port = 0;
  if (!SplitHostPort(options.listen, &host, &port)) {
    Fail(InvalidArgument("bad_listen", "--listen must be HOST:PORT, e.g. 127.0.0.1:8080"));
  }
  SweepOnce(ctx);  // finishes interrupted erasures first
  auto orphans = rights::SweepOrphanBlobs(ctx, SystemClock().NowMs() - rights::kOrphanGraceMs);
  if (!orphans.ok()) Fail(orphans.status());

  http::HttpServer server(ctx);
  auto bound = server.Bind(host, port);
  if (!bound.ok()) Fail(bound.status());
  g_server = &server;
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGPIPE, SIG_IGN);

  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  std::thread sweeper([&] {
    std::unique_lock<std::mutex> lock(mu);
    while (!cv.wait_for(lock, std::chrono::seconds(options.sweep_interval_s),
                        [&] { return stopping; })) {
      lock.unlock();
      SweepOnce(ctx);
      lock.lock();
    }
  });
  std::atomic<bool> worker_stopping{false};
  std::thread deid_worker = StartDeidWorker(ctx, worker_stopping);
  LogInfo("listening", {{"host", host}, {"port", std::to_string(*bound)}});
  if (on_ready) on_ready(*bound);
  server.Serve();
  {
    std::lock_guard<std::mutex> lock(mu);
    stopping = true;
  }
  cv.notify_all();
  sweeper.join();
  worker_stopping = true;
  if (deid_worker.joinable()) deid_worker.join();
  g_server = nullptr;
  LogInfo("stopped");
  return 0;
}

void AddServeCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("serve", "Serve the HTTP API");
  auto data = std::make_shared<std::string>();
  auto options = std::make_shared<ServeOptions>();
  cmd->add_option("--data", *data, "Data directory")->required();
  cmd->add_option("--listen", options->listen, "HOST:PORT to listen on (port 0: any free port)");
  cmd->add_option("--sweep-interval", options->sweep_interval_s, "Seconds between retention sweeps")
      ->check(CLI::PositiveNumber);
  cmd->callback([data, options] {
    auto ctx = OpenOrExit(*data);
    std::exit(RunServer(*ctx, *options));
  });
}

}  // namespace earshot::cli
