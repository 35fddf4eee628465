// `earshot migrate-store` (issue 14): a deployment on the embedded default
// copied to another store (PostgreSQL under the postgres label, another
// SQLite file otherwise), killed half-way and resumed, then verified; the
// target opens as a server would and decrypts what the source sealed.
#include <sndfile.h>

#include <nlohmann/json.hpp>

#include "support/server_process.h"
#include "support/test_util.h"
#include "util/fs.h"

namespace earshot::testing {
namespace {

TEST(MigrateStore, CopiesEverythingResumesAfterACrashAndVerifies) {
  TempDir dir;
  const std::string data = dir.path() + "/data";
  FakeClock clock(kEpoch);
  int64_t recordings = 0, clips = 0, events = 0;
  {
    Config config = DefaultConfig(data);
    config.db_url = "";  // the embedded default, whatever the run's backend
    config.blobs_url = "";
    auto ctx = Context::Open(config, &clock);
    ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
    ingest::StreamSpec spec;
    spec.name = "assistant-en-US";
    spec.sample_rate = 1.0;
    auto stream = ingest::CreateStream(**ctx, spec);
    ASSERT_TRUE(stream.ok());
    GrantConsent(**ctx, "acct-m", true, true);
    for (int i = 0; i < 6; ++i) {
      auto out = ingest::IngestRecording(
          **ctx, stream->stream, Meta("acct-m", clock.NowMs(), "SN", "lights on"),
          EncodeAs(Signal(700, i + 1), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
      ASSERT_TRUE(out.ok()) << out.status().ToString();
    }
    ASSERT_EQ(RunFakeStages(**ctx, AllStages()), 6);
    recordings = QueryInt(**ctx, "SELECT COUNT(*) FROM recordings");
    clips = QueryInt(**ctx, "SELECT COUNT(*) FROM clips");
    events = QueryInt(**ctx, "SELECT COUNT(*) FROM audit_events");
    ASSERT_GE(events, 2);
  }
  const bool pg = !TestPostgresUrl().empty();
  const std::string to =
      pg ? TestDbUrl(dir.path() + "/target") : "sqlite://" + dir.path() + "/target.db";
  const std::string to_blobs = pg ? "postgresql" : "files://" + dir.path() + "/target-blobs";
  const std::string cmd = "EARSHOT_DB= EARSHOT_BLOBS= " + EarshotBinary() +
                          " migrate-store --data " + data + " --to '" + to + "' --to-blobs " +
                          to_blobs;

  // A crash after three pages: the run fails, the next one goes on.
  auto crashed = Shell("EARSHOT_TEST_FAULT=migrate_pages:3 " + cmd);
  EXPECT_EQ(crashed.exit_code, 1) << crashed.out;
  EXPECT_NE(crashed.out.find("stopped by a test"), std::string::npos) << crashed.out;
  // Two runs started at once: one waits for the other; both finish
  // verified and nothing is copied twice.
  const std::string other = dir.path() + "/other";
  auto resumed = Shell("(" + cmd + " > " + other + ".out 2>&1; echo $? > " + other + ".rc) & " +
                       cmd + "; rc=$?; wait; exit $rc");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out;
  auto other_rc = ReadFile(other + ".rc");
  ASSERT_TRUE(other_rc.ok());
  EXPECT_EQ(*other_rc, "0\n") << ReadFile(other + ".out").value();
  const auto report = nlohmann::json::parse(resumed.out.substr(resumed.out.find('{')));
  EXPECT_TRUE(report["ok"].get<bool>());
  for (const auto& t : report["tables"]) {
    EXPECT_EQ(t["source"], t["target"]) << t.dump();
  }
  EXPECT_EQ(report["audit_chain"]["ok"], true) << report.dump(2);
  EXPECT_EQ(report["blobs"]["verified"].get<int64_t>(), recordings + clips);

  // Run again: nothing left to copy, still verified, nothing doubled.
  auto again = Shell(cmd);
  ASSERT_EQ(again.exit_code, 0) << again.out;

  Config target = DefaultConfig(data);
  target.db_url = to;
  target.blobs_url = to_blobs;
  auto ctx = Context::Open(target, &clock);
  ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
  EXPECT_EQ(QueryInt(**ctx, "SELECT COUNT(*) FROM recordings"), recordings);
  EXPECT_EQ(QueryInt(**ctx, "SELECT COUNT(*) FROM clips"), clips);
  EXPECT_EQ(QueryInt(**ctx, "SELECT COUNT(*) FROM audit_events"), events + 0)
      << "the copy itself appends nothing";
  // What the source sealed, the target opens: the subject's whole export.
  std::string subject_id;
  ASSERT_OK((*ctx)->db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id FROM subjects"));
    subject_id = rows.at(0).Text(0);
    return Status::Ok();
  }));
  auto exported = ExportToString(**ctx, subject_id);
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  // New writes continue the copied sequences (PostgreSQL's serial columns).
  GrantConsent(**ctx, "acct-new", true, false);
  EXPECT_GT(QueryInt(**ctx, "SELECT MAX(seq) FROM consent_events"), 1);
}

}  // namespace
}  // namespace earshot::testing
