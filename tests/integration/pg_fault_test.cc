// PostgreSQL going away under a running server, and not being there at start
// (issue 14): a clear error, never a hang; /healthz says 503 while it is gone
// and 200 again once it is back, with no restart of earshot. And the database
// host's disk filling up under ingest: a clear 503, nothing acknowledged lost,
// no half-stored recording, and ingest again once there is space. Each test
// has a cluster of its own (scripts/with_postgres.sh), so it can stop it; the
// tests run under the postgres label only.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sndfile.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "audit/audit_log.h"
#include "ingest/streams.h"
#include "rights/recording_access.h"
#include "rights/subjects.h"
#include "support/server_process.h"
#include "support/test_util.h"
#include "util/encoding.h"
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
    if (!mount_.empty()) {
      // The server must let go of the files before the mount can go.
      (void)Pg("down");
      (void)Shell("umount " + mount_);
    }
    if (!url_.empty()) (void)Pg("stop");
  }
  // psql on the cluster as its superuser; the command's output and status.
  CliRun Psql(const std::string& sql) {
    const std::string port = *ReadFile(state() + "/port");
    return Shell(
        "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql -qAt -v "
        "ON_ERROR_STOP=1 -h 127.0.0.1 -p " +
        std::string(port.substr(0, port.find('\n'))) + " -U earshot -d earshot_test -c \"" + sql +
        "\"");
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
  std::string mount_;  // the small tmpfs, while mounted
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

// The disk of the database host fills up: the sealed blobs' table lives in a
// tablespace on a 2 MiB tmpfs (the WAL stays on the main disk, as on a host
// whose data volume fills first). Needs root for the mount, else skipped.
TEST_F(PgFaultTest, AFullDiskRefusesIngestClearlyLosesNothingAndRecoversWithoutARestart) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting the small tmpfs needs root";
  const std::string cluster = [&] {
    std::string c = *ReadFile(state() + "/cluster");
    return c.substr(0, c.find('\n'));
  }();
  const std::string mount = cluster + "/small";
  ASSERT_OK(EnsureDir(mount));
  const CliRun mounted = Shell(
      "mount -t tmpfs -o size=2m,mode=0700,uid=$(id -u postgres),gid=$(id -g postgres) "
      "tmpfs " +
      mount);
  if (mounted.exit_code != 0) GTEST_SKIP() << "cannot mount a tmpfs here: " << mounted.out;
  mount_ = mount;

  // The deployment (migrations, a stream, a consenting account), then its
  // blobs' table moved onto the small disk.
  ASSERT_OK(EnsureDir(dir_.path() + "/data"));
  Config config = DefaultConfig(dir_.path() + "/data");
  config.db_url = url_;
  config.blobs_url = "postgresql";
  auto opened = Context::Open(config);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Context& ctx = **opened;
  ingest::StreamSpec spec;
  spec.name = "assistant-en-US";
  auto stream = ingest::CreateStream(ctx, spec);
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  GrantConsent(ctx, "acct-full", true, true);
  const CliRun space = Psql("CREATE TABLESPACE small LOCATION '" + mount + "'");
  ASSERT_EQ(space.exit_code, 0) << space.out;
  const CliRun moved = Psql("ALTER TABLE fault.sealed_blobs SET TABLESPACE small");
  ASSERT_EQ(moved.exit_code, 0) << moved.out;

  ServerProcess server(dir_.path() + "/data");
  server.set_extra_args({"--db", url_, "--blobs", "postgresql", "--workers", "0"});
  ASSERT_TRUE(server.Start()) << server.Log();
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(60, 0);
  // 3 s of audio: about 100 KB sealed, so the disk fills within ~20.
  const std::string wav = EncodeAs(Signal(3000, 7), SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  auto ingest = [&](int i) {
    const nlohmann::json meta = {{"account", "acct-full"},
                                 {"device_serial", "SN-1"},
                                 {"captured_at", FormatRfc3339(ctx.clock().NowMs() - i)},
                                 {"locale", "en-US"}};
    return client.Post(
        "/api/v1/recordings", {{"Authorization", "Bearer " + stream->api_key}},
        {{"audio", wav, "clip.wav", "audio/wav"}, {"metadata", meta.dump(), "", ""}});
  };
  std::vector<std::string> acknowledged;
  int full_status = 0;
  std::string full_body, retry_after;
  for (int i = 0; i < 200 && full_status == 0; ++i) {
    auto res = ingest(i);
    ASSERT_TRUE(res) << "no answer: " << server.Log();
    if (res->status == 201) {
      acknowledged.push_back(nlohmann::json::parse(res->body)["id"].get<std::string>());
    } else {
      full_status = res->status;
      full_body = res->body;
      retry_after = res->get_header_value("Retry-After");
    }
  }
  std::printf("full disk: %zu recordings acknowledged, then %d: %s\n", acknowledged.size(),
              full_status, full_body.c_str());
  ASSERT_GT(acknowledged.size(), 0u) << "the disk was full before the first recording";
  EXPECT_EQ(full_status, 503) << full_body;
  EXPECT_NE(full_body.find("db_full"), std::string::npos) << full_body;
  EXPECT_NE(full_body.find("no space left"), std::string::npos) << full_body;
  EXPECT_EQ(full_body.find(mount), std::string::npos) << "no path in the reply: " << full_body;
  EXPECT_FALSE(retry_after.empty());
  // Still full: refused the same way, and the server keeps answering.
  auto again = ingest(1000);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 503) << again->body;
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200) << "reads still work on a full disk";

  // Space again (the operator grows the volume): ingest works, no restart.
  ASSERT_EQ(Shell("mount -o remount,size=64m " + mount).exit_code, 0);
  for (int i = 0; i < 3; ++i) {
    auto res = ingest(2000 + i);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;
    acknowledged.push_back(nlohmann::json::parse(res->body)["id"].get<std::string>());
  }
  EXPECT_EQ(server.Stop(), 0) << server.Log();

  // Nothing acknowledged lost, nothing half-stored: one row per acknowledged
  // recording, one blob per row, and each opens with the deployment's keys.
  EXPECT_EQ(QueryInt(ctx, "SELECT COUNT(*) FROM recordings"),
            static_cast<int64_t>(acknowledged.size()));
  auto blobs = ctx.blobs().ListAll();
  ASSERT_TRUE(blobs.ok()) << blobs.status().ToString();
  EXPECT_EQ(blobs->size(), acknowledged.size()) << "an orphan or missing blob";
  for (const std::string& id : acknowledged) {
    Status st = ctx.db().Read([&](store::Tx& tx) -> Status {
      ASSIGN_OR_RETURN(auto row, store::QueryOne(tx,
                                                 "SELECT subject_id, blob_name FROM recordings "
                                                 "WHERE id = ?",
                                                 {id}, "recording"));
      ASSIGN_OR_RETURN(std::string key, rights::SubjectKey(tx, ctx, row.Text(0)));
      ASSIGN_OR_RETURN(auto pcm, rights::OpenRecordingAudio(ctx, key, id, row.Text(1)));
      return pcm.samples.size() == 48'000 ? Status::Ok() : Corruption("short", "audio cut");
    });
    EXPECT_TRUE(st.ok()) << id << ": " << st.ToString();
  }
  auto chain = audit::Verify(ctx);
  ASSERT_TRUE(chain.ok()) << chain.status().ToString();
  EXPECT_TRUE(chain->ok) << chain->reason;
}

}  // namespace
}  // namespace earshot::testing
