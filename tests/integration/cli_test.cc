// The `earshot` program as an operator uses it: commands, output, exit codes.
#include <gtest/gtest.h>
#include <sndfile.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "ingest/intake.h"
#include "ingest/streams.h"
#include "review/queue.h"
#include "support/server_process.h"
#include "support/test_util.h"
#include "util/fs.h"

namespace earshot::testing {
namespace {

TEST(Cli, OperatorWorkflowFromStreamToSweep) {
  TempDir dir;
  const std::string data = dir.path() + "/data";
  CliRun created =
      Earshot("stream create assistant-en-GB --data " + data + " --rate 0.5 --region EU");
  ASSERT_EQ(created.exit_code, 0) << created.out;
  auto stream = nlohmann::json::parse(created.out);
  EXPECT_EQ(stream["region"], "EU");
  EXPECT_EQ(stream["api_key"].get<std::string>().rfind("esk_", 0), 0u);
  EXPECT_NE(Earshot("stream create assistant-en-GB --data " + data).exit_code, 0)
      << "duplicate names are refused";
  CliRun wake = Earshot("stream create with-wake --data " + data +
                        " --wake-word 'hey computer' --wake-threshold 1e-25 --bleep silence");
  ASSERT_EQ(wake.exit_code, 0) << wake.out;
  EXPECT_EQ(nlohmann::json::parse(wake.out)["wake_word"], "hey computer");
  EXPECT_NE(Earshot("stream create bad --data " + data + " --bleep horn").exit_code, 0);

  ASSERT_EQ(Earshot("consent set acct-cli --data " + data +
                    " --purpose store=yes --purpose human_review=no")
                .exit_code,
            0);
  EXPECT_NE(Earshot("consent set acct-cli --data " + data + " --purpose store=maybe").exit_code, 0);

  const std::string good = dir.path() + "/good.flac";
  const std::string bad = dir.path() + "/bad.wav";
  ASSERT_OK(WriteFileDurable(good, EncodeAs(Signal(1200, 3), SF_FORMAT_FLAC | SF_FORMAT_PCM_16)));
  ASSERT_OK(WriteFileDurable(bad, "not audio at all"));
  CliRun ingest = Earshot("ingest " + good + " " + bad + " --data " + data +
                          " --stream assistant-en-GB --account acct-cli");
  EXPECT_EQ(ingest.exit_code, 1) << "a rejected file makes the batch exit 1";
  EXPECT_NE(ingest.out.find(good + "\trec_"), std::string::npos) << ingest.out;
  EXPECT_NE(ingest.out.find(bad + "\terror: audio could not be decoded"), std::string::npos)
      << ingest.out;
  EXPECT_NE(ingest.out.find("1 accepted, 1 rejected"), std::string::npos);

  CliRun nostore = Earshot("ingest " + good + " --data " + data +
                           " --stream assistant-en-GB --account acct-unknown");
  EXPECT_EQ(nostore.exit_code, 1);
  EXPECT_NE(nostore.out.find("not consented to storage"), std::string::npos) << nostore.out;
  EXPECT_NE(Earshot("ingest " + good + " --data " + data + " --stream nope --account a").exit_code,
            0);

  CliRun token = Earshot("token subject acct-cli --data " + data);
  ASSERT_EQ(token.exit_code, 0);
  EXPECT_EQ(token.out.rfind("sjt_", 0), 0u);
  EXPECT_NE(Earshot("staff token rosa --data " + data).exit_code, 0)
      << "the interim bearer tokens are retired";
  EXPECT_NE(Earshot("user add rosa2 --role boss --data " + data).exit_code, 0);
  CliRun added = Earshot("user add rosa --role lead --data " + data);
  ASSERT_EQ(added.exit_code, 0) << added.out;
  EXPECT_NE(added.out.find("otpauth://totp/earshot:rosa?secret="), std::string::npos);
  {  // Issue 13, item 13: the key as text too, in groups of four.
    const size_t at = added.out.find("secret=") + 7;
    const std::string key = added.out.substr(at, added.out.find('&', at) - at);
    std::string grouped;
    for (size_t i = 0; i < key.size(); i += 4) grouped += (i ? " " : "") + key.substr(i, 4);
    EXPECT_NE(added.out.find("Or type this key into the app"), std::string::npos) << added.out;
    EXPECT_NE(added.out.find("\n   " + grouped + "\n"), std::string::npos) << added.out;
  }
  EXPECT_NE(added.out.find("enr_"), std::string::npos);
  EXPECT_NE(added.out.find("\u2588"), std::string::npos) << "the QR code is drawn";
  EXPECT_NE(added.out.find("lead-"), std::string::npos) << "the pseudonym shows the role";
  CliRun again = Earshot("user add rosa --role admin --data " + data);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.out.find("exists"), std::string::npos) << again.out;
  EXPECT_EQ(Earshot("user disable rosa --data " + data).exit_code, 0);
  EXPECT_EQ(Earshot("user disable nobody --data " + data).exit_code, 1);
  // Issue 13, item 2: list, enable, a new second factor, and the last
  // admin kept unless forced.
  CliRun listed = Earshot("user list --data " + data);
  ASSERT_EQ(listed.exit_code, 0) << listed.out;
  EXPECT_NE(listed.out.find("rosa"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("disabled"), std::string::npos) << listed.out;
  EXPECT_EQ(listed.out.find("enr_"), std::string::npos) << "no secret in the list";
  EXPECT_EQ(Earshot("user enable rosa --data " + data).exit_code, 0);
  EXPECT_NE(Earshot("user list --data " + data).out.find("not enrolled yet"), std::string::npos);
  CliRun twice = Earshot("user enable rosa --data " + data);
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_NE(twice.out.find("not disabled"), std::string::npos) << twice.out;
  CliRun reset = Earshot("user reset-totp rosa --data " + data);
  ASSERT_EQ(reset.exit_code, 0) << reset.out;
  EXPECT_NE(reset.out.find("otpauth://totp/earshot:rosa?secret="), std::string::npos);
  EXPECT_NE(reset.out.find("sessions ended"), std::string::npos) << reset.out;
  ASSERT_EQ(Earshot("user add adele --role admin --data " + data).exit_code, 0);
  CliRun last = Earshot("user disable adele --data " + data);
  EXPECT_EQ(last.exit_code, 1);
  EXPECT_NE(last.out.find("last enabled admin"), std::string::npos) << last.out;
  EXPECT_EQ(Earshot("user disable adele --force --data " + data).exit_code, 0);

  EXPECT_EQ(Earshot("policy pause-region EU --data " + data).exit_code, 0);
  EXPECT_EQ(Earshot("policy resume-region EU --data " + data).exit_code, 0);
  CliRun sweep = Earshot("sweep --data " + data);
  ASSERT_EQ(sweep.exit_code, 0) << sweep.out;
  EXPECT_EQ(nlohmann::json::parse(sweep.out)["raw_deleted"], 0);
}

// Tampers with the data directory's database as an attacker with write
// access to the file would.
void ExecOnDatabase(const std::string& data, const std::string& sql) {
  auto ctx = Context::Open(TestConfig(data));
  ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
  ASSERT_OK((*ctx)->db().Write([&](store::Tx& tx) { return tx.Exec(sql, {}).status(); }));
}

// Issue 11: `audit verify` checks the anchored heads by default, says what
// it checked, and exits 1 on a log rewritten in the database.
TEST(Cli, AuditVerifyChecksTheAnchorAndFailsOnARewrittenLog) {
  TempDir dir;
  const std::string data = dir.path() + "/data";
  ASSERT_EQ(Earshot("stream create assistant-en-GB --data " + data).exit_code, 0);
  CliRun fresh = Earshot("audit verify --data " + data);
  EXPECT_EQ(fresh.exit_code, 0) << fresh.out;
  EXPECT_NE(fresh.out.find("anchor: no head anchored yet"), std::string::npos) << fresh.out;

  CliRun anchored = Earshot("audit anchor --data " + data);
  ASSERT_EQ(anchored.exit_code, 0) << anchored.out;
  EXPECT_NE(anchored.out.find("anchored: head seq 2 hash "), std::string::npos) << anchored.out;
  CliRun again = Earshot("audit anchor --data " + data);
  EXPECT_NE(again.out.find("unchanged: head seq 2"), std::string::npos) << again.out;
  CliRun ok = Earshot("audit verify --data " + data);
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find("chain: 2 events, seq 1..2, intact\n"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("anchor: 1 head in " + data + "/audit-anchor.log, last seq 2 at 20"),
            std::string::npos)
      << ok.out;
  EXPECT_NE(ok.out.find(", all present\nresult: ok\n"), std::string::npos) << ok.out;

  ExecOnDatabase(data, "UPDATE audit_events SET hash = '', prev_hash = ''");
  CliRun blanked = Earshot("audit verify --data " + data);
  EXPECT_EQ(blanked.exit_code, 1) << blanked.out;
  EXPECT_NE(blanked.out.find("chain: BROKEN at seq 1 (unsealed"), std::string::npos) << blanked.out;

  ExecOnDatabase(data, "DELETE FROM audit_events");
  CliRun emptied = Earshot("audit verify --data " + data);
  EXPECT_EQ(emptied.exit_code, 1) << emptied.out;
  EXPECT_NE(emptied.out.find("chain: 0 events, intact"), std::string::npos) << emptied.out;
  EXPECT_NE(emptied.out.find("anchor: FAILED, 1 problem; the first at line 1, seq 2 "
                             "(anchored_head_missing"),
            std::string::npos)
      << emptied.out;
  EXPECT_NE(emptied.out.find("result: FAILED"), std::string::npos);
  CliRun chain_only = Earshot("audit verify --no-anchor --data " + data);
  EXPECT_EQ(chain_only.exit_code, 0) << "the chain alone cannot tell";
  EXPECT_NE(chain_only.out.find("anchor: not checked"), std::string::npos) << chain_only.out;
}

TEST(Cli, RedactTextHandlesEmptyHugeAndInvalidLines) {
  TempDir dir;
  const std::string input = dir.path() + "/in.txt";
  std::string text = "call anna at five five five one two three four\n\n";
  text += "\xff\xfe not utf-8\n";
  for (int i = 0; i < 70000; ++i) text += "one two three four ";  // about 1.3 MB, one line
  text += "\nset a timer for five minutes\n";
  ASSERT_OK(WriteFileDurable(input, text));
  CliRun run = Earshot("redact-text < " + input);
  ASSERT_EQ(run.exit_code, 0);
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < run.out.size()) {
    const size_t nl = run.out.find('\n', pos);
    lines.push_back(run.out.substr(pos, nl - pos));
    pos = nl == std::string::npos ? run.out.size() : nl + 1;
  }
  ASSERT_EQ(lines.size(), 5u) << "one JSON line per input line";
  EXPECT_EQ(nlohmann::json::parse(lines[0])["text"], "call [PERSON_NAME] at [PHONE]");
  EXPECT_EQ(lines[1], R"({"spans":[],"text":""})");
  EXPECT_EQ(nlohmann::json::parse(lines[2])["error"]["code"], "invalid_utf8");
  auto huge = nlohmann::json::parse(lines[3]);
  EXPECT_EQ(huge["text"], "[ID_NUMBER]") << "a 280000-digit run is one long identifier";
  EXPECT_EQ(nlohmann::json::parse(lines[4])["spans"].size(), 0u);
}

TEST(Cli, BadArgumentsGiveAClearErrorAndNonZeroExit) {
  TempDir dir;
  EXPECT_NE(Earshot("").exit_code, 0);
  EXPECT_NE(Earshot("stream create x").exit_code, 0) << "--data is required";
  CliRun bad_rate = Earshot("stream create x --data " + dir.path() + "/d --rate 2");
  EXPECT_NE(bad_rate.exit_code, 0);
  CliRun bad_listen = Earshot("serve --data " + dir.path() + "/d --listen nowhere");
  EXPECT_NE(bad_listen.exit_code, 0);
  EXPECT_NE(bad_listen.out.find("HOST:PORT"), std::string::npos) << bad_listen.out;
}

// Issue 15's bad input: `earshot export` on a terminal shows a progress bar,
// and Ctrl+C in the middle stops it and leaves nothing: no folder, no hidden
// partial folder, nothing recorded as exported.
TEST(Cli, ExportShowsProgressOnATerminalAndCtrlCLeavesNothing) {
  Env env;
  env.Open(1.0);
  ingest::StreamSpec spec = env.stream.spec;
  spec.double_review = 1.0;
  spec.gold_share = 0.0;
  ASSERT_OK(ingest::UpdateStream(*env.ctx, spec, "test"));
  GrantConsent(*env.ctx, "acct-cli-t", true, true, /*training=*/true);
  constexpr int kClips = 6;
  for (uint32_t i = 0; i < kClips; ++i) {
    ASSERT_TRUE(
        ingest::IngestRecording(*env.ctx, env.stream,
                                Meta("acct-cli-t", env.clock.NowMs(), "SN-1", "lights on"),
                                EncodeAs(Signal(1200, 60 + i), SF_FORMAT_WAV | SF_FORMAT_PCM_16))
            .ok());
  }
  RunFakeStages(*env.ctx, AllStages());
  for (const auto& who : {Reviewer(*env.ctx, "alice"), Reviewer(*env.ctx, "bob")}) {
    for (;;) {
      auto task = review::LeaseNext(*env.ctx, who);
      ASSERT_TRUE(task.ok());
      if (!task->has_value()) break;
      auto input = review::ParseAnnotation(
          R"({"transcript":"lights on","intended":true,"heard_accurately":true,)"
          R"("responded_appropriately":true})");
      ASSERT_TRUE(input.ok());
      ASSERT_OK(review::Annotate(*env.ctx, who, (*task)->task_id, *input));
    }
  }
  const std::string data = env.ctx->config().data_dir;
  env.ctx.reset();
  const std::string out = env.dir.path() + "/exports";
  ASSERT_TRUE(std::filesystem::create_directory(out));
  const std::string db_url = TestDbUrl(data);
  const std::string store = " --data " + data + (db_url.empty() ? "" : " --db \"" + db_url + "\"");
  const std::string cmd =
      EarshotBinary() + " export" + store + " --stream assistant-en-US --format nemo --out " + out;

  // On a terminal (script(1) gives it one): a bar that reaches the total.
  CliRun tty = Shell("script -qec '" + cmd + "/first' /dev/null");
  ASSERT_EQ(tty.exit_code, 0) << tty.out;
  EXPECT_NE(
      tty.out.find("] " + std::to_string(kClips) + "/" + std::to_string(kClips) + " utterances"),
      std::string::npos)
      << tty.out;
  EXPECT_NE(tty.out.find("\r["), std::string::npos) << "redrawn in place";
  // Not on a terminal: JSON only, no bar.
  CliRun plain = Shell(cmd + "/second");
  ASSERT_EQ(plain.exit_code, 0) << plain.out;
  EXPECT_EQ(plain.out.find("utterances\r"), std::string::npos);
  EXPECT_EQ(plain.out.find('['), std::string::npos) << plain.out;

  // Ctrl+C once the first audio file is written: each utterance takes
  // 400 ms more (the fault seam), so the export is in the middle.
  CliRun interrupted = Shell(
      "{ EARSHOT_TEST_FAULT=export_utterance_ms:400 " + cmd + "/third & pid=$!; " +
      "for i in $(seq 200); do ls " + out + "/.third.partial-*/audio/*.wav >/dev/null 2>&1 && " +
      "break; sleep 0.05; done; kill -INT $pid; wait $pid; echo \"exit=$?\"; } 2>&1");
  EXPECT_NE(interrupted.out.find("cancelled"), std::string::npos) << interrupted.out;
  EXPECT_EQ(interrupted.out.find("exit=0"), std::string::npos) << interrupted.out;
  std::vector<std::string> left;
  for (const auto& e : std::filesystem::directory_iterator(out)) {
    left.push_back(e.path().filename());
  }
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"first", "second"})) << "no third, no partial folder";
  Config config = TestConfig(data);
  config.master_key_file = data + "/master.key";
  auto ctx = Context::Open(config);
  ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
  EXPECT_EQ(QueryInt(**ctx, "SELECT COUNT(*) FROM training_exports WHERE state = 'failed'"), 1);
  EXPECT_EQ(QueryInt(**ctx, "SELECT COUNT(*) FROM exported_utterances"), 2 * kClips)
      << "the first two exports' utterances only";
}

}  // namespace
}  // namespace earshot::testing
