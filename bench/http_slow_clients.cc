// The HTTP front under load and under a slow-client attack (issue 11, item
// 6). For each server configuration, in one run on the same machine:
//   load:   C concurrent keep-alive clients, each GET /healthz in a loop for
//           a few seconds: p50/p99 latency, timeouts (> 2 s), requests/s;
//   attack: S connections that send a request's headers one byte every
//           2 s, while one honest client probes /healthz: its p50/p99 and
//           how many probes failed.
// The limit beside each: the same probes with no attacker (the server's own
// floor). Usage: http_slow_clients [--threads 8,64,256] [--seconds 5]
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "app/context.h"
#include "http/server.h"
#include "util/log.h"

namespace {

using Clock = std::chrono::steady_clock;

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

struct Latencies {
  std::vector<double> ms;
  int failures = 0;
};

// One client: GET /healthz on a keep-alive connection until `until`.
Latencies LoadClient(int port, Clock::time_point until) {
  Latencies out;
  httplib::Client client("127.0.0.1", port);
  client.set_keep_alive(true);
  client.set_read_timeout(2, 0);
  client.set_connection_timeout(2, 0);
  while (Clock::now() < until) {
    const auto t0 = Clock::now();
    auto res = client.Get("/healthz");
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    if (res && res->status == 200) {
      out.ms.push_back(ms);
    } else {
      ++out.failures;
    }
  }
  return out;
}

Latencies Load(int port, int clients, int seconds) {
  const auto until = Clock::now() + std::chrono::seconds(seconds);
  std::vector<Latencies> parts(static_cast<size_t>(clients));
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back([&, i] { parts[static_cast<size_t>(i)] = LoadClient(port, until); });
  }
  for (auto& t : threads) t.join();
  Latencies all;
  for (auto& p : parts) {
    all.ms.insert(all.ms.end(), p.ms.begin(), p.ms.end());
    all.failures += p.failures;
  }
  return all;
}

// `slow` connections trickle a request's headers, one byte every 2 s.
Latencies UnderSlowClients(int port, int slow, int seconds) {
  std::atomic<bool> stop{false};
  std::vector<std::thread> attackers;
  for (int i = 0; i < slow; ++i) {
    attackers.emplace_back([&] {
      int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(static_cast<uint16_t>(port));
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return;
      }
      const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ";
      for (size_t k = 0; !stop; ++k) {
        const char c = k < request.size() ? request[k] : 'a';
        if (::send(fd, &c, 1, MSG_NOSIGNAL) != 1) break;
        for (int w = 0; w < 20 && !stop; ++w) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      ::close(fd);
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // let them occupy the server
  Latencies probes;
  const auto until = Clock::now() + std::chrono::seconds(seconds);
  while (Clock::now() < until) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(2, 0);
    client.set_connection_timeout(2, 0);
    const auto t0 = Clock::now();
    auto res = client.Get("/healthz");
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    if (res && res->status == 200) {
      probes.ms.push_back(ms);
    } else {
      ++probes.failures;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  stop = true;
  for (auto& t : attackers) t.join();
  return probes;
}

void Row(const char* config, const char* scenario, const Latencies& l, int seconds) {
  std::printf("| %-22s | %-26s | %8.2f | %8.2f | %7d | %8.0f |\n", config, scenario,
              Percentile(l.ms, 0.5), Percentile(l.ms, 0.99), l.failures,
              static_cast<double>(l.ms.size()) / seconds);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> thread_counts = {8, 64, 256};
  int seconds = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--seconds") seconds = std::atoi(argv[i + 1]);
    if (flag == "--threads") {
      thread_counts.clear();
      std::string list = argv[i + 1];
      for (size_t pos = 0; pos < list.size();) {
        const size_t comma = std::min(list.find(',', pos), list.size());
        thread_counts.push_back(std::atoi(list.substr(pos, comma - pos).c_str()));
        pos = comma + 1;
      }
    }
  }
  earshot::SetLogLevel(earshot::LogLevel::kError);
  std::printf("| server | scenario | p50 ms | p99 ms | failed | req/s |\n|---|---|---|---|---|---|\n");
  for (int threads : thread_counts) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "earshot-http-XXXXXX").string();
    const std::string data = std::string(::mkdtemp(tmpl.data())) + "/data";
    earshot::Config config = earshot::DefaultConfig(data);
    config.http_threads = threads;
    auto ctx = earshot::Context::Open(config);
    if (!ctx.ok()) return 1;
    earshot::http::HttpServer server(**ctx);
    const int port = *server.Bind("127.0.0.1", 0);
    std::thread serving([&] { server.Serve(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const std::string name = "httplib, " + std::to_string(threads) + " threads";
    Row(name.c_str(), "limit: probes, no attack", UnderSlowClients(port, 0, seconds), seconds);
    Row(name.c_str(), "load: 50 clients", Load(port, 50, seconds), seconds);
    Row(name.c_str(), "load: 200 clients", Load(port, 200, seconds), seconds);
    Row(name.c_str(), "attack: 8 slow clients", UnderSlowClients(port, 8, seconds), seconds);
    Row(name.c_str(), "attack: 300 slow clients", UnderSlowClients(port, 300, seconds), seconds);
    server.Stop();
    serving.join();
    std::filesystem::remove_all(std::filesystem::path(data).parent_path());
  }
  return 0;
}
