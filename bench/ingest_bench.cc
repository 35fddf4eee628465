// Ingest throughput over HTTP on loopback, side by side with its limit: the
// same multipart requests (5 s clips) sent to earshot's POST
// /api/v1/recordings and to a trivial handler of the same HTTP library
// (cpp-httplib) that only reads the form and answers 201.
//
//   build/bin/ingest_bench [--seconds S] [--clients N] [--fsdd DIR] [--input-rate 8000|16000]
//
// --input-rate 16000 sends clips already at the vault's canonical rate (what
// most voice products capture); 8000 (FSDD's own rate) adds resampling.
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "app/context.h"
#include "audio/decode.h"
#include "bench_audio.h"
#include "http/server.h"
#include "ingest/streams.h"
#include "rights/subject_data.h"
#include "util/fs.h"
#include "util/log.h"

namespace {

using namespace earshot;

struct LoadResult {
  int64_t ok = 0;
  int64_t failed = 0;
  double seconds = 0;
};

LoadResult RunLoad(int port, const std::string& key, const std::string& wav,
                   const std::string& metadata, int clients, double seconds) {
  std::atomic<int64_t> ok{0}, failed{0};
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      const httplib::Headers headers = {{"Authorization", "Bearer " + key}};
      const httplib::MultipartFormDataItems items = {{"audio", wav, "clip.wav", "audio/wav"},
                                                     {"metadata", metadata, "", ""}};
      while (std::chrono::steady_clock::now() < deadline) {
        auto res = client.Post("/api/v1/recordings", headers, items);
        (res && res->status == 201 ? ok : failed)++;
      }
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {ok.load(), failed.load(), elapsed};
}

// The storage path's own limit: `clients` threads each creating, writing and
// fsyncing one file of `bytes` (plus its directory), as the vault does per
// recording, with nothing else.
LoadResult DurableWriteLimit(const std::string& dir, size_t bytes, int clients, double seconds) {
  std::atomic<int64_t> ok{0};
  const std::string payload(bytes, 'x');
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      for (int i = 0; std::chrono::steady_clock::now() < deadline; ++i) {
        const std::string path = dir + "/w" + std::to_string(c) + "_" + std::to_string(i);
        if (CreateFileDurable(path, payload).ok()) ok++;
      }
    });
  }
  for (auto& t : threads) t.join();
  return {ok.load(), 0,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 5;
  int clients = 4;
  std::string fsdd = EARSHOT_DEFAULT_FSDD;
  int input_rate = 16000;
  std::string only;  // "earshot" or "trivial": profile one side
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--seconds") seconds = std::stod(argv[i + 1]);
    if (flag == "--clients") clients = std::stoi(argv[i + 1]);
    if (flag == "--fsdd") fsdd = argv[i + 1];
    if (flag == "--input-rate") input_rate = std::stoi(argv[i + 1]);
    if (flag == "--only") only = argv[i + 1];
  }
  SetLogLevel(LogLevel::kWarn);
  const std::string dir =
      (std::filesystem::temp_directory_path() / "earshot-bench-XXXXXX").string();
  std::string tmpl = dir;
  const std::string data_dir = std::string(::mkdtemp(tmpl.data())) + "/data";
  Config config = DefaultConfig(data_dir);
  config.ingest_rate_per_s = 0;  // the benchmark measures intake, not the per-key limit
  auto ctx = Context::Open(config);
  if (!ctx.ok()) {
    std::fprintf(stderr, "%s\n", ctx.status().ToString().c_str());
    return 1;
  }
  ingest::StreamSpec spec;
  spec.name = "bench";
  auto stream = ingest::CreateStream(**ctx, spec);
  std::string subject;
  (void)(*ctx)->db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(subject,
                     rights::EnsureSubject(tx, **ctx, rights::kDefaultTenant, "bench-account"));
    return Status::Ok();
  });
  (void)rights::UpdateConsents(
      **ctx, subject, {{rights::Purpose::kStore, true}, {rights::Purpose::kHumanReview, true}},
      "bench", "bench");
  const std::string wav = bench::FiveSecondClip(fsdd, input_rate);
  const std::string metadata =
      R"({"account":"bench-account","device_serial":"B-1","captured_at":"2026-11-21T10:00:00Z","locale":"en-US"})";

  http::HttpServer earshot_server(**ctx);
  const int earshot_port = *earshot_server.Bind("127.0.0.1", 0);
  std::thread earshot_thread([&] { earshot_server.Serve(); });

  httplib::Server trivial;
  trivial.set_payload_max_length(20 << 20);
  trivial.set_tcp_nodelay(true);
  trivial.Post("/api/v1/recordings", [](const httplib::Request& req, httplib::Response& res) {
    const bool ok = req.has_file("audio") && req.has_file("metadata");
    res.status = ok ? 201 : 400;
    res.set_content(R"({"id":"rec_trivial"})", "application/json");
  });
  const int trivial_port = trivial.bind_to_any_port("127.0.0.1");
  std::thread trivial_thread([&] { trivial.listen_after_bind(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  std::printf(
      "workload: %d clients, %.1f s per round, 2 rounds each, 5 s clips at %d Hz (%zu bytes)\n",
      clients, seconds, input_rate, wav.size());
  LoadResult t_total, e_total;
  for (int round = 0; round < 2; ++round) {
    for (bool is_trivial : {true, false}) {
      if ((is_trivial && only == "earshot") || (!is_trivial && only == "trivial")) continue;
      LoadResult r = RunLoad(is_trivial ? trivial_port : earshot_port, stream->api_key, wav,
                             metadata, clients, seconds);
      LoadResult& total = is_trivial ? t_total : e_total;
      total.ok += r.ok;
      total.failed += r.failed;
      total.seconds += r.seconds;
    }
  }
  LoadResult limit;
  if (only.empty()) {
    const std::string limit_dir = data_dir + "/limit";
    (void)EnsureDir(limit_dir);
    limit = DurableWriteLimit(limit_dir, 2 * 80000 + 40, clients, seconds);
  }
  const double t_rate = t_total.ok / t_total.seconds;
  const double e_rate = e_total.ok / e_total.seconds;
  std::printf("%-28s %10s %10s %12s\n", "target", "accepted", "failed", "recordings/s");
  std::printf("%-28s %10lld %10lld %12.1f\n", "trivial httplib handler",
              static_cast<long long>(t_total.ok), static_cast<long long>(t_total.failed), t_rate);
  std::printf("%-28s %10lld %10lld %12.1f\n", "earshot ingest", static_cast<long long>(e_total.ok),
              static_cast<long long>(e_total.failed), e_rate);
  if (limit.seconds > 0) {
    std::printf("%-28s %10lld %10s %12.1f\n", "durable 160 KB file writes",
                static_cast<long long>(limit.ok), "-", limit.ok / limit.seconds);
  }
  std::printf("ratio earshot / trivial: %.3f (target >= 0.5)\n", e_rate / t_rate);
  if (limit.seconds > 0) {
    std::printf("ratio earshot / durable file writes: %.3f\n", e_rate / (limit.ok / limit.seconds));
  }
  std::printf("per recording: earshot %.2f ms, trivial %.2f ms (wall, %d clients)\n",
              1000.0 * clients / e_rate, 1000.0 * clients / t_rate, clients);
  trivial.stop();
  earshot_server.Stop();
  trivial_thread.join();
  earshot_thread.join();
  std::filesystem::remove_all(std::filesystem::path(data_dir).parent_path());
  return 0;
}
