// Requests per second by backend, side by side in one run (issue 14): the
// SQLite default with one `earshot serve` against PostgreSQL with 1, 2 and 4
// serve processes sharing one database (`--workers 0 --db URL --blobs
// postgresql`), on the same machine, the same clips and the same clients.
//
//   build/bin/store_bench --pg URL [--seconds S] [--clients N] [--reviewers N]
//                         [--fsdd DIR] [--perf-pid-file FILE] [--only NAME]
//
// Two phases per configuration:
//   ingest: N clients POST 5 s clips (multipart) round-robin over the
//           servers for S seconds; recordings/s counts 201s.
//   review: the recordings are published as clips (the de-identification
//           stages faked in this process while the servers are stopped: the
//           workload is the request path, not pocketsphinx), then R
//           reviewers each loop next -> audio -> annotation for S seconds;
//           reviews/s counts completed annotations (3 requests each).
// The PostgreSQL runs each get a schema of their own. bench/store_bench.sh
// starts a throw-away cluster, runs this, and profiles one configuration
// with perf. --perf-pid-file writes the first server's pid of the ingest
// phase named by --only, for perf to attach to.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "app/context.h"
#include "bench_audio.h"
#include "ingest/streams.h"
#include "support/server_process.h"
#include "support/test_util.h"
#include "util/encoding.h"
#include "util/fs.h"
#include "util/log.h"

namespace {

using namespace earshot;
using namespace earshot::testing;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string pg;
  double seconds = 10;
  int clients = 8;
  int reviewers = 8;
  std::string fsdd = EARSHOT_DEFAULT_FSDD;
  std::string perf_pid_file;
  std::string only;
};

struct Rate {
  int64_t ok = 0, failed = 0;
  double seconds = 0;
  double PerSecond() const { return seconds > 0 ? ok / seconds : 0; }
};

// One deployment under test: its servers' data directories and store flags.
struct Deployment {
  std::string name;
  std::string db_url;  // "" for SQLite in the first directory
  std::vector<std::string> dirs;
  std::string api_key;
  std::vector<staff::Session> reviewers;
  std::vector<std::unique_ptr<ServerProcess>> servers;

  Config ContextConfig() const {
    Config config = DefaultConfig(dirs[0]);
    if (!db_url.empty()) {
      config.db_url = db_url;
      config.blobs_url = "postgresql";
    }
    return config;
  }
  bool Start() {
    servers.clear();
    for (const std::string& dir : dirs) {
      servers.push_back(std::make_unique<ServerProcess>(dir));
      std::vector<std::string> args = {"--workers", "0"};
      if (!db_url.empty()) args.insert(args.end(), {"--db", db_url, "--blobs", "postgresql"});
      servers.back()->set_extra_args(args);
      if (!servers.back()->Start()) {
        std::fprintf(stderr, "%s: a server did not start:\n%s\n", name.c_str(),
                     servers.back()->Log().c_str());
        return false;
      }
    }
    return true;
  }
  void Stop() {
    for (auto& s : servers) (void)s->Stop();
    servers.clear();
  }
  std::vector<int> Ports() const {
    std::vector<int> ports;
    for (const auto& s : servers) ports.push_back(s->port());
    return ports;
  }
};

Status Prepare(Deployment& d, const Options& options) {
  for (const std::string& dir : d.dirs) RETURN_IF_ERROR(EnsureDir(dir));
  ASSIGN_OR_RETURN(auto ctx, Context::Open(d.ContextConfig()));
  ingest::StreamSpec spec;
  spec.name = "bench";
  spec.sample_rate = 1.0;  // every recording becomes a review task
  ASSIGN_OR_RETURN(auto stream, ingest::CreateStream(*ctx, spec));
  d.api_key = stream.api_key;
  GrantConsent(*ctx, "bench-account", true, true);
  for (int r = 0; r < options.reviewers; ++r) {
    d.reviewers.push_back(SignedIn(*ctx, "rev-" + std::to_string(r), "reviewer"));
  }
  ASSIGN_OR_RETURN(std::string key, ReadFile(d.dirs[0] + "/master.key"));
  for (size_t i = 1; i < d.dirs.size(); ++i) {
    RETURN_IF_ERROR(WriteFileDurable(d.dirs[i] + "/master.key", key, 0600));
  }
  return Status::Ok();
}

// Runs `request(client) -> ok?` on `threads` threads for `seconds`, each
// thread starting on its own server and moving round-robin.
template <typename Request>
Rate RunLoad(const std::vector<int>& ports, int threads, double seconds, Request request) {
  std::atomic<int64_t> ok{0}, failed{0};
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      std::vector<std::unique_ptr<httplib::Client>> clients;
      for (int port : ports) {
        clients.push_back(std::make_unique<httplib::Client>("127.0.0.1", port));
        clients.back()->set_keep_alive(true);
        clients.back()->set_tcp_nodelay(true);
        clients.back()->set_read_timeout(30, 0);
      }
      for (size_t i = t; Clock::now() < deadline; ++i) {
        (request(*clients[i % clients.size()], t) ? ok : failed)++;
      }
    });
  }
  for (auto& th : pool) th.join();
  return {ok.load(), failed.load(), std::chrono::duration<double>(Clock::now() - start).count()};
}

struct PhaseRates {
  Rate ingest, review;
  int64_t tasks = 0;
};

bool RunDeployment(Deployment& d, const Options& options, const std::string& wav, PhaseRates& out) {
  if (!d.Start()) return false;
  if (!options.perf_pid_file.empty() && options.only == d.name) {
    (void)WriteFileDurable(options.perf_pid_file, std::to_string(d.servers[0]->pid()) + "\n", 0644);
    std::this_thread::sleep_for(std::chrono::seconds(1));  // perf attaches
  }
  const std::string meta = json{
      {"account", "bench-account"},
      {"device_serial", "B-1"},
      {"captured_at", FormatRfc3339(SystemClock().NowMs())},
      {"locale", "en-US"}}.dump();
  const httplib::Headers auth = {{"Authorization", "Bearer " + d.api_key}};
  const httplib::MultipartFormDataItems items = {{"audio", wav, "clip.wav", "audio/wav"},
                                                 {"metadata", meta, "", ""}};
  out.ingest = RunLoad(d.Ports(), options.clients, options.seconds, [&](httplib::Client& c, int) {
    auto res = c.Post("/api/v1/recordings", auth, items);
    return res && res->status == 201;
  });
  d.Stop();
  {
    auto ctx = Context::Open(d.ContextConfig());
    if (!ctx.ok()) {
      std::fprintf(stderr, "%s\n", ctx.status().ToString().c_str());
      return false;
    }
    out.tasks = RunFakeStages(**ctx, AllStages());
  }
  if (!d.Start()) return false;
  std::vector<httplib::Headers> staff;
  for (const auto& s : d.reviewers) {
    staff.push_back({{"Cookie", "earshot_session=" + s.id}, {"X-CSRF-Token", s.csrf}});
  }
  const std::string annotation =
      R"({"transcript":"one two three","intended":true,"heard_accurately":true,)"
      R"("responded_appropriately":true})";
  out.review =
      RunLoad(d.Ports(), options.reviewers, options.seconds, [&](httplib::Client& c, int r) {
        auto next = c.Post("/api/v1/review/next", staff[r], "", "application/json");
        if (!next || next->status != 200) return false;
        const json task = json::parse(next->body)["task"];
        if (task.is_null()) return false;  // the queue ran dry
        const std::string id = task["id"].get<std::string>();
        auto audio = c.Get("/api/v1/review/tasks/" + id + "/audio", staff[r]);
        if (!audio || audio->status != 200) return false;
        auto done = c.Post("/api/v1/review/tasks/" + id + "/annotation", staff[r], annotation,
                           "application/json");
        return done && done->status == 200;
      });
  d.Stop();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--pg") options.pg = argv[i + 1];
    if (flag == "--seconds") options.seconds = std::stod(argv[i + 1]);
    if (flag == "--clients") options.clients = std::stoi(argv[i + 1]);
    if (flag == "--reviewers") options.reviewers = std::stoi(argv[i + 1]);
    if (flag == "--fsdd") options.fsdd = argv[i + 1];
    if (flag == "--perf-pid-file") options.perf_pid_file = argv[i + 1];
    if (flag == "--only") options.only = argv[i + 1];
  }
  if (options.pg.empty()) {
    std::fprintf(stderr, "usage: store_bench --pg postgresql://... (bench/store_bench.sh)\n");
    return 2;
  }
  SetLogLevel(LogLevel::kWarn);
  ::setenv("EARSHOT_INGEST_RATE", "0", 1);  // intake, not the per-key limit
  TempDir root;
  const std::string wav = bench::FiveSecondClip(options.fsdd, 16000);
  std::vector<Deployment> deployments;
  deployments.push_back({"sqlite x1", "", {root.path() + "/sqlite"}, "", {}, {}});
  for (int n : {1, 2, 4}) {
    Deployment d{"postgres x" + std::to_string(n), "", {}, "", {}, {}};
    d.db_url = options.pg + (options.pg.find('?') == std::string::npos ? "?" : "&") +
               "schema=bench_" + std::to_string(n) + "_" + std::to_string(::getpid());
    for (int s = 0; s < n; ++s)
      d.dirs.push_back(root.path() + "/pg" + std::to_string(n) + "_" + std::to_string(s));
    deployments.push_back(std::move(d));
  }
  std::printf(
      "workload: %.0f s per phase, %d ingest clients (5 s clips, %zu bytes), %d "
      "reviewers; serve --workers 0; %u cores\n",
      options.seconds, options.clients, wav.size(), options.reviewers,
      std::thread::hardware_concurrency());
  std::vector<PhaseRates> results(deployments.size());
  for (size_t i = 0; i < deployments.size(); ++i) {
    Deployment& d = deployments[i];
    if (!options.only.empty() && options.only != d.name) continue;
    Status st = Prepare(d, options);
    if (!st.ok() || !RunDeployment(d, options, wav, results[i])) {
      std::fprintf(stderr, "%s: %s\n", d.name.c_str(), st.ToString().c_str());
      return 1;
    }
  }
  const double sqlite_ingest = results[0].ingest.PerSecond();
  const double sqlite_review = results[0].review.PerSecond();
  std::printf("%-12s %14s %8s %10s %14s %8s %10s\n", "backend", "recordings/s", "failed",
              "vs sqlite", "reviews/s", "failed", "vs sqlite");
  for (size_t i = 0; i < deployments.size(); ++i) {
    const PhaseRates& r = results[i];
    if (r.ingest.seconds == 0) continue;
    std::printf("%-12s %14.1f %8lld %10.2f %14.1f %8lld %10.2f   (%lld tasks queued)\n",
                deployments[i].name.c_str(), r.ingest.PerSecond(),
                static_cast<long long>(r.ingest.failed),
                sqlite_ingest > 0 ? r.ingest.PerSecond() / sqlite_ingest : 0, r.review.PerSecond(),
                static_cast<long long>(r.review.failed),
                sqlite_review > 0 ? r.review.PerSecond() / sqlite_review : 0,
                static_cast<long long>(r.tasks));
  }
  std::printf("target: postgres x1 >= 0.5 of sqlite x1 (ingest)\n");
  return 0;
}
