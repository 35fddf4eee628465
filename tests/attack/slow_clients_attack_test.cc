// Slow clients (issue 11, item 6): connections that send a request's headers
// a byte at a time stopped the thread-per-connection server as soon as there
// were as many as its threads (8 as first shipped, 64 later). The event-
// driven server holds such a connection as a descriptor and a bounded
// buffer, so honest requests go on being answered. (The numbers, and the
// same attack against the old server side by side, are in
// bench/http_slow_clients.cc and docs/performance.md.)
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "integration/http_fixture.h"
#include "support/raw_http.h"

namespace earshot::testing {
namespace {

class SlowClientsAttack : public HttpTest {};

TEST_F(SlowClientsAttack, Regression11HundredsOfSlowConnectionsDoNotStopTheServer) {
  // More than the old server's 64 threads, fewer than the per-address cap
  // (256), since every connection here comes from 127.0.0.1.
  constexpr int kSlow = 200;
  const std::string head = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ";
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < kSlow; ++i) {
    slow.push_back(std::make_unique<RawConnection>(server_->port()));
    ASSERT_TRUE(slow.back()->ok()) << i;
    ASSERT_TRUE(slow.back()->Send(head.substr(0, 1 + static_cast<size_t>(i) % head.size())));
  }
  httplib::Client client = Client();
  client.set_read_timeout(2, 0);
  client.set_connection_timeout(2, 0);
  for (int round = 0; round < 5; ++round) {
    auto health = client.Get("/healthz");
    ASSERT_TRUE(health) << "round " << round << ": " << httplib::to_string(health.error());
    EXPECT_EQ(health->status, 200);
    // The attackers trickle on: one more byte each.
    for (auto& conn : slow) EXPECT_TRUE(conn->Send("a"));
  }
  // A staff sign-in (Argon2id on a handler thread) is answered too.
  auto sign_in = client.Post("/api/v1/staff/sign-in", R"({"name":"x","password":"y","code":"1"})",
                             "application/json");
  ASSERT_TRUE(sign_in);
  EXPECT_EQ(sign_in->status, 401);
  // None of the slow connections was answered as if its request were whole.
  for (auto& conn : slow) EXPECT_EQ(StatusOf(conn->ReadAll(1, 64)), 0);
}

}  // namespace
}  // namespace earshot::testing
