// PostgreSQL going away under a running server, and not being there at start
// (issue 14): a clear error, never a hang; /healthz says 503 while it is gone
// and 200 again once it is back, with no restart of earshot. Each test has a
// cluster of its own (scripts/with_postgres.sh), so it can stop it; the
// tests run under the postgres label only.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <thread>

#include "support/server_process.h"
#include "support/test_util.h"
#include "util/fs.h"

namespace earshot::testing {
namespace {

class PgFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (TestPostgresUrl().empty()) GTEST_SKIP() << "runs under the postgres label";
    ASSERT_EQ(Pg("start").exit_code, 0);
    url_ = *ReadFile(state() + "/url");
    while (!url_.empty() && url_.back() == '\n') url_.pop_back();
    url_ += "?schema=fault";
  }
  void TearDown() override {
    if (!url_.empty()) (void)Pg("stop");
  }
  std::string state() const { return dir_.path() + "/pg"; }
  CliRun Pg(const std::string& command) {
    return Shell("bash " EARSHOT_SOURCE_DIR "/scripts/with_postgres.sh " + command + " " + state());
  }
  // GET /healthz's status (0: no answer) and how long it took.
  std::pair<int, double> Health(int port) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(60, 0);
    const auto start = std::chrono::steady_clock::now();
    auto res = client.Get("/healthz");
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return {res ? res->status : 0, s};
  }

  TempDir dir_;
  std::string url_;
};

TEST_F(PgFaultTest, HealthzSays503WhileTheDatabaseIsDownAndRecoversWithoutARestart) {
  ASSERT_OK(EnsureDir(dir_.path() + "/data"));
  ServerProcess server(dir_.path() + "/data");
  server.set_extra_args({"--db", url_, "--workers", "0"});
  ASSERT_TRUE(server.Start()) << server.Log();
  EXPECT_EQ(Health(server.port()).first, 200);

  ASSERT_EQ(Pg("down").exit_code, 0);
  const auto [down_status, down_s] = Health(server.port());
  EXPECT_EQ(down_status, 503) << server.Log();
  EXPECT_LT(down_s, 10.0) << "an answer, not a hang";
  // A product request that needs the database is refused the same way.
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(60, 0);
  auto consents = client.Put("/api/v1/consents", {{"Authorization", "Bearer sk_nothing"}},
                             R"({"account":"a"})", "application/json");
  ASSERT_TRUE(consents);
  EXPECT_EQ(consents->status, 503) << consents->body;

  ASSERT_EQ(Pg("up").exit_code, 0);
  int status = 0;
  for (int i = 0; i < 40 && status != 200; ++i) {
    status = Health(server.port()).first;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  EXPECT_EQ(status, 200) << "reconnected after the database came back";
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(PgFaultTest, StartingWithTheDatabaseDownIsAClearErrorNotAHang) {
  ASSERT_EQ(Pg("down").exit_code, 0);
  const auto start = std::chrono::steady_clock::now();
  auto run =
      Earshot("serve --data " + dir_.path() + "/data --listen 127.0.0.1:0 --db '" + url_ + "'");
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.out.find("cannot connect to PostgreSQL"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("password"), std::string::npos);
  EXPECT_LT(s, 15.0);
}

}  // namespace
}  // namespace earshot::testing
