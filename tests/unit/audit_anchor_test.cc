// Issue 11, item 3: the audit log could be rewritten by anyone who can write
// the database (blank every hash, restart, and the log was chained afresh).
// Each test is an attack on the chain or on its anchor outside the
// database, and checks that Verify names it; the last ones show that an
// honest log, anchored at every sweep across restarts, verifies.
#include <gtest/gtest.h>

#include <chrono>

#include "audit/anchor.h"
#include "audit/audit_log.h"
#include "support/test_util.h"
#include "util/fs.h"

namespace earshot {
namespace {

using namespace earshot::testing;

class AuditRegression11 : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = std::make_unique<Env>();
    env_->Open(1.0);
    AppendEvents(5);
  }

  Context& ctx() { return *env_->ctx; }
  std::string AnchorPath() { return ctx().config().audit_anchor_file; }

  void AppendEvents(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_OK(ctx().db().Write([&](store::Tx& tx) {
        return audit::Append(tx, ctx(), "reviewer-abcd", "task.lease", "task:" + std::to_string(i));
      }));
      env_->clock.Advance(1000);
    }
  }

  // What a restart of the server does: the Context is opened afresh (and
  // with it ChainUnchainedEvents runs, which used to re-chain a blank log).
  void Reopen() {
    env_->ctx.reset();
    Config config = TestConfig(env_->dir.path() + "/data");
    config.master_key_file = env_->dir.path() + "/data/master.key";
    auto opened = Context::Open(config, &env_->clock);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    env_->ctx = std::move(opened).value();
  }

  void Exec(const std::string& sql) {
    ASSERT_OK(ctx().db().Write([&](store::Tx& tx) { return tx.Exec(sql, {}).status(); }));
  }

  audit::AnchorOutcome Anchor() {
    auto outcome = audit::AnchorHead(ctx());
    EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
    env_->clock.Advance(60'000);
    return outcome.ok() ? *outcome : audit::AnchorOutcome{};
  }

  audit::VerifyResult VerifyNow(bool check_anchor = true) {
    audit::VerifyOptions options;
    options.check_anchor = check_anchor;
    auto r = audit::Verify(ctx(), options);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : audit::VerifyResult{};
  }

  int64_t LastSeq() { return QueryInt(ctx(), "SELECT MAX(seq) FROM audit_events"); }

  std::string AnchorText() {
    auto text = ReadFile(AnchorPath());
    EXPECT_TRUE(text.ok());
    return text.ok() ? *text : "";
  }
  void WriteAnchor(const std::string& text) { ASSERT_OK(WriteFileDurable(AnchorPath(), text)); }

  std::unique_ptr<Env> env_;
};

// The attack of the issue: blank every hash and prev_hash, restart.
TEST_F(AuditRegression11, BlankedHashesAreNotRechainedAtTheNextStart) {
  Exec("UPDATE audit_events SET hash = '', prev_hash = ''");
  Reopen();
  const auto r = VerifyNow(/*check_anchor=*/false);
  EXPECT_FALSE(r.ok) << "the database alone shows it";
  EXPECT_EQ(r.reason, "unsealed");
  EXPECT_EQ(r.broken_at, 1);
}

// The attacker also removes every trace of the seal and of the anchor in
// the database (the seal flag; the anchor's start event, with the events
// after it renumbered), so the start takes the log for one from before the
// chain: the anchor file says it is not.
TEST_F(AuditRegression11, BlankedHashesWithTheSealFlagDroppedAreNotRechainedEither) {
  Anchor();
  const int64_t started =
      QueryInt(ctx(), "SELECT seq FROM audit_events WHERE action = 'audit.anchor_started'");
  ASSERT_GT(started, 0);
  Exec("DELETE FROM audit_events WHERE seq = " + std::to_string(started));
  Exec("UPDATE audit_events SET seq = seq - 1 WHERE seq > " + std::to_string(started));
  Exec("UPDATE audit_events SET hash = '', prev_hash = ''");
  Exec("DROP TABLE audit_chain_state");
  Exec("DELETE FROM schema_migrations WHERE version = 10");
  Reopen();  // migration 10 runs again: a fresh, unsealed state row
  const auto r = VerifyNow();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, "unsealed") << "not rechained: the anchor file exists";
  EXPECT_FALSE(r.anchor.ok);
  EXPECT_EQ(r.anchor.reason, "anchored_head_missing");
}

// With the anchor file deleted as well, the log itself still says a file
// was kept (its audit.anchor_started event): it is not chained afresh, and
// the missing file is named.
TEST_F(AuditRegression11, DeletingTheAnchorFileTooIsSeenFromTheLog) {
  Anchor();
  Exec("UPDATE audit_events SET hash = '', prev_hash = ''");
  Exec("DROP TABLE audit_chain_state");
  Exec("DELETE FROM schema_migrations WHERE version = 10");
  ASSERT_OK(RemoveFile(AnchorPath()));
  Reopen();
  const auto r = VerifyNow();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, "unsealed");
  EXPECT_EQ(r.anchor.reason, "anchor_file_missing");
  EXPECT_EQ(r.anchor.starts, 1);
}

TEST_F(AuditRegression11, ADeletedMiddleEventIsMissingAtItsSeq) {
  const int64_t middle = LastSeq() - 2;
  Exec("DELETE FROM audit_events WHERE seq = " + std::to_string(middle));
  const auto r = VerifyNow();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, "missing");
  EXPECT_EQ(r.broken_at, middle);
}

TEST_F(AuditRegression11, EventsDeletedFromTheStartAreMissing) {
  Exec("DELETE FROM audit_events WHERE seq <= 2");
  const auto r = VerifyNow();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, "missing");
  EXPECT_EQ(r.broken_at, 1);
  EXPECT_EQ(r.head.events, 0);
}

TEST_F(AuditRegression11, DeletingEveryEventAfterAnchoringFailsTheAnchor) {
  Anchor();
  const int64_t anchored = LastSeq();
  Exec("DELETE FROM audit_events");
  EXPECT_TRUE(VerifyNow(/*check_anchor=*/false).ok) << "an empty log is a chain";
  const auto r = VerifyNow();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.anchor.reason, "anchored_head_missing");
  EXPECT_EQ(r.anchor.seq, anchored);
  EXPECT_EQ(r.anchor.line, 1);
}

TEST_F(AuditRegression11, EventsCutOffTheEndFailTheAnchor) {
  Anchor();
  AppendEvents(3);
  Anchor();
  const int64_t last = LastSeq();
  Exec("DELETE FROM audit_events WHERE seq > " + std::to_string(last - 2));
  const auto r = VerifyNow();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, "");
  EXPECT_EQ(r.anchor.reason, "anchored_head_missing");
  EXPECT_EQ(r.anchor.seq, last);
  EXPECT_EQ(r.anchor.line, 2);
  EXPECT_EQ(r.anchor.problems, 1) << "the first head is still there";
}

// The last event deleted and the sequence set back: the next honest event
// takes its seq and chains cleanly. Only the anchor shows the swap.
TEST_F(AuditRegression11, AnEventReplacedAtTheAnchoredSeqFailsTheAnchor) {
  Anchor();
  const int64_t anchored = LastSeq();
  Exec("DELETE FROM audit_events WHERE seq = " + std::to_string(anchored));
  // The attacker rewinds the chain's head row too, so the next append
  // takes the deleted event's place.
  Exec("UPDATE audit_head SET seq = " + std::to_string(anchored - 1) +
       ", hash = (SELECT hash FROM audit_events WHERE seq = " + std::to_string(anchored - 1) +
       ") WHERE id = 1");
  AppendEvents(1);
  ASSERT_EQ(LastSeq(), anchored);
  EXPECT_TRUE(VerifyNow(/*check_anchor=*/false).ok) << "the chain alone cannot tell";
  const auto r = VerifyNow();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.anchor.reason, "anchored_head_replaced");
  EXPECT_EQ(r.anchor.seq, anchored);
}

TEST_F(AuditRegression11, TheAnchorNeverFollowsTheHeadBackwards) {
  Anchor();
  const std::string before = AnchorText();
  Exec("DELETE FROM audit_events WHERE seq = " + std::to_string(LastSeq()));
  auto outcome = audit::AnchorHead(ctx());
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().reason(), "audit_head_regressed");
  EXPECT_EQ(AnchorText(), before) << "nothing appended";
}

TEST_F(AuditRegression11, ALastLineCutShortIsReported) {
  Anchor();
  AppendEvents(1);
  Anchor();
  const std::string text = AnchorText();
  WriteAnchor(text.substr(0, text.size() - 40));
  const auto r = VerifyNow();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.anchor.reason, "anchor_malformed");
  EXPECT_EQ(r.anchor.line, 2);

  // As after a crash mid-append: the next head goes on a line of its own,
  // and the cut line stays reported.
  AppendEvents(1);
  EXPECT_EQ(Anchor().kind, audit::AnchorOutcome::Kind::kAppended);
  const auto after = VerifyNow();
  EXPECT_EQ(after.anchor.lines, 3);
  EXPECT_EQ(after.anchor.heads, 2);
  EXPECT_EQ(after.anchor.problems, 1);
  EXPECT_EQ(after.anchor.line, 2);
}

TEST_F(AuditRegression11, ALastLineRemovedWholeIsReported) {
  Anchor();
  AppendEvents(1);
  const int64_t second = Anchor().head.seq;
  const std::string text = AnchorText();
  WriteAnchor(text.substr(0, text.find('\n') + 1));
  const auto r = VerifyNow();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.anchor.reason, "anchor_truncated") << "the database remembers the second head";
  EXPECT_EQ(r.anchor.seq, second);
  EXPECT_EQ(r.anchor.heads, 1);
}

TEST_F(AuditRegression11, AnEditedLineFailsItsMac) {
  Anchor();
  std::string text = AnchorText();
  const size_t hash = text.find("hash=") + 5;
  text[hash] = text[hash] == 'a' ? 'b' : 'a';
  WriteAnchor(text);
  const auto r = VerifyNow();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.anchor.reason, "anchor_bad_mac");
  EXPECT_EQ(r.anchor.line, 1);
}

TEST_F(AuditRegression11, ALineCopiedToTheEndIsOutOfOrder) {
  Anchor();
  AppendEvents(1);
  Anchor();
  const std::string text = AnchorText();
  WriteAnchor(text + text.substr(0, text.find('\n') + 1));
  const auto r = VerifyNow();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.anchor.reason, "anchor_out_of_order");
  EXPECT_EQ(r.anchor.line, 3);
}

// A lost file is reported, not recreated behind the operator's back; an
// operator can start a new one, which the chain records.
TEST_F(AuditRegression11, AMissingAnchorFileIsReportedAndNotSilentlyRecreated) {
  Anchor();
  ASSERT_OK(RemoveFile(AnchorPath()));
  auto r = VerifyNow();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.anchor.reason, "anchor_file_missing");
  auto refused = audit::AnchorHead(ctx());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().reason(), "audit_anchor_missing");
  EXPECT_FALSE(FileExists(AnchorPath()));

  ASSERT_TRUE(audit::AnchorHead(ctx(), {/*new_file=*/true, "operator"}).ok());
  r = VerifyNow();
  EXPECT_TRUE(r.ok) << r.anchor.reason;
  EXPECT_EQ(r.anchor.starts, 2) << "the restart is in the chain";
  EXPECT_EQ(QueryInt(ctx(),
                     "SELECT COUNT(*) FROM audit_events WHERE actor = 'operator' AND "
                     "action = 'audit.anchor_started' AND details = 'new_file'"),
            1);
  auto again = audit::AnchorHead(ctx(), {/*new_file=*/true, "operator"});
  EXPECT_EQ(again.status().reason(), "anchor_file_exists");
}

TEST_F(AuditRegression11, DeletingTheSealRowIsReported) {
  Exec("DELETE FROM audit_chain_state");
  const auto r = VerifyNow();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, "chain_state_missing");
  Exec("UPDATE audit_events SET hash = '', prev_hash = ''");
  Reopen();
  EXPECT_EQ(VerifyNow().reason, "unsealed") << "no state row: nothing is chained";
}

TEST_F(AuditRegression11, AnHonestLogWithSweepsAndRestartsVerifies) {
  int appended = 0;
  for (int round = 0; round < 3; ++round) {
    AppendEvents(2);
    appended += Anchor().kind == audit::AnchorOutcome::Kind::kAppended;
    EXPECT_EQ(Anchor().kind, audit::AnchorOutcome::Kind::kUnchanged) << "the head did not move";
    Reopen();
  }
  EXPECT_EQ(appended, 3);
  const auto r = VerifyNow();
  ASSERT_TRUE(r.ok) << r.reason << " " << r.anchor.reason;
  EXPECT_EQ(r.anchor.heads, 3);
  EXPECT_EQ(r.anchor.lines, 3) << "a line only when the head advanced";
  EXPECT_EQ(r.anchor.last_seq, LastSeq());
  EXPECT_EQ(r.anchor.starts, 1);
  const std::string last = std::to_string(LastSeq());
  const auto lines = audit::Describe(r);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "chain: " + last + " events, seq 1.." + last + ", intact");
  EXPECT_EQ(
      lines[1].rfind("anchor: 3 heads in " + AnchorPath() + ", last seq " + last + " at 2026-", 0),
      0u)
      << lines[1];
  EXPECT_NE(lines[1].find(", all present"), std::string::npos) << lines[1];
  EXPECT_EQ(lines[2], "result: ok");
}

TEST_F(AuditRegression11, ALogNeverAnchoredSaysSo) {
  const auto r = VerifyNow();
  EXPECT_TRUE(r.ok);
  EXPECT_FALSE(r.anchor.file_exists);
  EXPECT_EQ(audit::Describe(r)[1],
            "anchor: no head anchored yet (" + AnchorPath() + " does not exist)");
}

TEST_F(AuditRegression11, TheWitnessGetsEachNewLineAndItsFailureNeverBlocks) {
  const std::string copy = env_->dir.path() + "/witness.log";
  ctx().MutableConfigForTest().audit_witness = "cat >> '" + copy + "'";
  Anchor();
  AppendEvents(1);
  Anchor();
  Anchor();  // unchanged: not sent again
  auto witnessed = ReadFile(copy);
  ASSERT_TRUE(witnessed.ok());
  EXPECT_EQ(*witnessed, AnchorText());

  ctx().MutableConfigForTest().audit_witness = "exit 3";
  AppendEvents(1);
  EXPECT_EQ(Anchor().kind, audit::AnchorOutcome::Kind::kAppended);

  ctx().MutableConfigForTest().audit_witness = "sleep 30";
  ctx().MutableConfigForTest().audit_witness_timeout_ms = 200;
  AppendEvents(1);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Anchor().kind, audit::AnchorOutcome::Kind::kAppended);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_TRUE(VerifyNow().ok);
  EXPECT_EQ(VerifyNow().anchor.heads, 4);
}

}  // namespace
}  // namespace earshot
