// Ingest throughput over HTTP on loopback, side by side with its limit: the
// same multipart requests (5 s clips) sent to earshot's POST
// /api/v1/recordings and to a trivial handler of the same HTTP library
// (cpp-httplib) that only reads the form and answers 201.
//
//   build/bin/ingest_bench [--seconds S] [--clients N] [--fsdd DIR]
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "app/context.h"
#include "audio/decode.h"
#include "http/server.h"
#include "rights/subject_data.h"
#include "util/fs.h"
#include "util/log.h"

namespace {

using namespace earshot;

// A 5 s clip: real speech (FSDD digits of one speaker, 8 kHz) when the data
// set is at hand, else a synthetic tone mix at 8 kHz.
std::string FiveSecondClip(const std::string& fsdd_dir) {
  audio::Pcm16 pcm;
  pcm.sample_rate = 8000;
  std::error_code ec;
  if (!fsdd_dir.empty() && std::filesystem::exists(fsdd_dir, ec)) {
    for (int take = 0; pcm.samples.size() < 40000 && take < 50; ++take) {
      for (int digit = 0; digit < 10 && pcm.samples.size() < 40000; ++digit) {
        auto bytes = ReadFile(fsdd_dir + "/" + std::to_string(digit) + "_jackson_" +
                              std::to_string(take) + ".wav");
        if (!bytes.ok()) continue;
        // Parse the PCM payload of these plain 16-bit WAVs.
        const size_t data = bytes->find("data");
        if (data == std::string::npos) continue;
        for (size_t i = data + 8; i + 1 < bytes->size(); i += 2) {
          pcm.samples.push_back(static_cast<int16_t>(
              static_cast<uint8_t>((*bytes)[i]) | (static_cast<uint8_t>((*bytes)[i + 1]) << 8)));
        }
      }
    }
    std::printf("input: FSDD speaker jackson, joined takes\n");
  } else {
    for (int i = 0; i < 40000; ++i) {
      pcm.samples.push_back(static_cast<int16_t>(8000 * std::sin(i * 0.07) + 3000 * std::sin(i * 0.31)));
    }
    std::printf("input: synthetic 8 kHz signal (FSDD not found)\n");
  }
  pcm.samples.resize(40000);
  return audio::EncodeWav(pcm);
}

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

}  // namespace

int main(int argc, char** argv) {
  double seconds = 5;
  int clients = 4;
  std::string fsdd = EARSHOT_DEFAULT_FSDD;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--seconds") seconds = std::stod(argv[i + 1]);
    if (flag == "--clients") clients = std::stoi(argv[i + 1]);
    if (flag == "--fsdd") fsdd = argv[i + 1];
  }
  SetLogLevel(LogLevel::kWarn);
  const std::string dir = (std::filesystem::temp_directory_path() / "earshot-bench-XXXXXX").string();
  std::string tmpl = dir;
  const std::string data_dir = std::string(::mkdtemp(tmpl.data())) + "/data";
  auto ctx = Context::Open(DefaultConfig(data_dir));
  if (!ctx.ok()) {
    std::fprintf(stderr, "%s\n", ctx.status().ToString().c_str());
    return 1;
  }
  ingest::StreamSpec spec;
  spec.name = "bench";
  auto stream = ingest::CreateStream(**ctx, spec);
  std::string subject;
  (void)(*ctx)->db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(subject, rights::EnsureSubject(tx, **ctx, "bench-account"));
    return Status::Ok();
  });
  (void)rights::UpdateConsents(**ctx, subject,
                               {{rights::Purpose::kStore, true}, {rights::Purpose::kHumanReview, true}},
                               "bench", "bench");
  const std::string wav = FiveSecondClip(fsdd);
  const std::string metadata =
      R"({"account":"bench-account","device_serial":"B-1","captured_at":"2026-11-21T10:00:00Z","locale":"en-US"})";

  http::HttpServer earshot_server(**ctx);
  const int earshot_port = *earshot_server.Bind("127.0.0.1", 0);
  std::thread earshot_thread([&] { earshot_server.Serve(); });

  httplib::Server trivial;
  trivial.set_payload_max_length(20 << 20);
  trivial.Post("/api/v1/recordings", [](const httplib::Request& req, httplib::Response& res) {
    const bool ok = req.has_file("audio") && req.has_file("metadata");
    res.status = ok ? 201 : 400;
    res.set_content(R"({"id":"rec_trivial"})", "application/json");
  });
  const int trivial_port = trivial.bind_to_any_port("127.0.0.1");
  std::thread trivial_thread([&] { trivial.listen_after_bind(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  std::printf("workload: %d clients, %.1f s per round, 2 rounds each, 5 s clips (%zu bytes)\n",
              clients, seconds, wav.size());
  LoadResult t_total, e_total;
  for (int round = 0; round < 2; ++round) {
    for (bool is_trivial : {true, false}) {
      LoadResult r = RunLoad(is_trivial ? trivial_port : earshot_port, stream->api_key, wav,
                             metadata, clients, seconds);
      LoadResult& total = is_trivial ? t_total : e_total;
      total.ok += r.ok;
      total.failed += r.failed;
      total.seconds += r.seconds;
    }
  }
  const double t_rate = t_total.ok / t_total.seconds;
  const double e_rate = e_total.ok / e_total.seconds;
  std::printf("%-28s %10s %10s %12s\n", "target", "accepted", "failed", "recordings/s");
  std::printf("%-28s %10lld %10lld %12.1f\n", "trivial httplib handler",
              static_cast<long long>(t_total.ok), static_cast<long long>(t_total.failed), t_rate);
  std::printf("%-28s %10lld %10lld %12.1f\n", "earshot ingest",
              static_cast<long long>(e_total.ok), static_cast<long long>(e_total.failed), e_rate);
  std::printf("ratio earshot / trivial: %.3f (target >= 0.5)\n", e_rate / t_rate);
  std::printf("per recording: earshot %.2f ms, trivial %.2f ms (wall, %d clients)\n",
              1000.0 * clients / e_rate, 1000.0 * clients / t_rate, clients);
  trivial.stop();
  earshot_server.Stop();
  trivial_thread.join();
  earshot_thread.join();
  std::filesystem::remove_all(std::filesystem::path(data_dir).parent_path());
  return 0;
}
