// The HTTP front under load and under a slow-client attack (issue 11, item
// 6), side by side with the server earshot used before, in one run on the
// same machine:
//   peer:    cpp-httplib 0.11 (thread per connection) as earshot shipped it
//            last (64 threads, TCP_NODELAY, 30 s read timeout, 5 s keep-alive), answering
//            /healthz with the same database read as earshot's handler;
//   earshot: http/server.h (libmicrohttpd, one epoll thread, 16 handler
//            threads), with its per-address cap (256) and without it.
// For each: the limit (probes of /healthz with no attacker: the server's own
// floor); load (C concurrent keep-alive clients, each GET /healthz in a loop:
// p50/p99 latency, failures (> 2 s), requests/s); attack (S connections that
// send a request's headers one byte every 2 s, while one honest client
// probes /healthz: its p50/p99 and how many probes failed). All clients come
// from 127.0.0.1, so the per-address cap counts the attacker and the honest
// client as one. Usage: http_slow_clients [--seconds 5]
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
#include "store/db.h"
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

// Runs every scenario against the server on `port`.
void Scenarios(const char* name, int port, int seconds) {
  Row(name, "limit: probes, no attack", UnderSlowClients(port, 0, seconds), seconds);
  Row(name, "load: 50 clients", Load(port, 50, seconds), seconds);
  Row(name, "load: 200 clients", Load(port, 200, seconds), seconds);
  Row(name, "attack: 8 slow clients", UnderSlowClients(port, 8, seconds), seconds);
  Row(name, "attack: 300 slow clients", UnderSlowClients(port, 300, seconds), seconds);
  Row(name, "attack: 1000 slow clients", UnderSlowClients(port, 1000, seconds), seconds);
}

std::string TempData() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "earshot-http-XXXXXX").string();
  return std::string(::mkdtemp(tmpl.data())) + "/data";
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--seconds") seconds = std::atoi(argv[i + 1]);
  }
  earshot::SetLogLevel(earshot::LogLevel::kError);
  std::printf("| server | scenario | p50 ms | p99 ms | failed | req/s |\n|---|---|---|---|---|---|\n");
  {
    const std::string data = TempData();
    auto ctx = earshot::Context::Open(earshot::DefaultConfig(data));
    if (!ctx.ok()) return 1;
    httplib::Server peer;
    peer.new_task_queue = [] { return new httplib::ThreadPool(64); };
    peer.set_tcp_nodelay(true);  // as earshot set it
    peer.set_read_timeout(30, 0);
    peer.set_keep_alive_timeout(5);
    peer.Get("/healthz", [&](const httplib::Request&, httplib::Response& res) {
      earshot::Status st = (*ctx)->db().Read(
          [](earshot::store::Tx& tx) { return tx.Query("SELECT 1", {}).status(); });
      res.status = st.ok() ? 200 : 503;
      res.set_content(R"({"status":"ok"})", "application/json");
    });
    const int port = peer.bind_to_any_port("127.0.0.1");
    std::thread serving([&] { peer.listen_after_bind(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    Scenarios("peer: httplib, 64 thr", port, seconds);
    peer.stop();
    serving.join();
    std::filesystem::remove_all(std::filesystem::path(data).parent_path());
  }
  for (int per_ip : {256, 0}) {
    const std::string data = TempData();
    earshot::Config config = earshot::DefaultConfig(data);
    config.http_per_ip_connections = per_ip;
    auto ctx = earshot::Context::Open(config);
    if (!ctx.ok()) return 1;
    earshot::http::HttpServer server(**ctx);
    const int port = *server.Bind("127.0.0.1", 0);
    std::thread serving([&] { server.Serve(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    Scenarios(per_ip ? "earshot (mhd), cap 256" : "earshot (mhd), no cap", port, seconds);
    server.Stop();
    serving.join();
    std::filesystem::remove_all(std::filesystem::path(data).parent_path());
  }
  return 0;
}
