// The audit hash chain attacked directly in the database: an edited, deleted
// or reordered event, and events cut off the end, are each caught, and the
// first broken link is named. (The anchor outside the database is attacked
// in audit_anchor_test.cc.)
#include "audit/audit_log.h"

#include <gtest/gtest.h>

#include "support/test_util.h"

namespace earshot {
namespace {

using namespace earshot::testing;

class AuditChainTest : public ::testing::Test {
 protected:
  // A fresh data directory holding a chain of five events this test wrote
  // (after those the set-up itself writes).
  void SetUp() override {
    env_holder_ = std::make_unique<Env>();
    Env& env_ = *env_holder_;
    env_.Open(1.0);
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(env_.ctx->db()
                      .Write([&](store::Tx& tx) {
                        return audit::Append(tx, *env_.ctx, "reviewer-abcd", "lease",
                                             "task:" + std::to_string(i), "n=" + std::to_string(i));
                      })
                      .ok());
      env_.clock.Advance(1000);
    }
    auto before = audit::Verify(*env_.ctx);
    ASSERT_TRUE(before.ok() && before->ok);
    events_ = before->head.events;
    ASSERT_GE(events_, 5);
    // The seq of the third event this test wrote.
    auto rows = Query("SELECT seq FROM audit_events WHERE object = 'task:2'");
    third_ = rows[0].Int(0);
  }

  std::vector<store::Row> Query(const std::string& sql) {
    std::vector<store::Row> rows;
    EXPECT_TRUE(ctx()
                    .db()
                    .Read([&](store::Tx& tx) -> Status {
                      ASSIGN_OR_RETURN(rows, tx.Query(sql, {}));
                      return Status::Ok();
                    })
                    .ok());
    return rows;
  }
  void Exec(const std::string& sql) {
    ASSERT_TRUE(ctx().db().Write([&](store::Tx& tx) { return tx.Exec(sql, {}).status(); }).ok());
  }
  audit::VerifyResult VerifyNow(const std::optional<std::string>& head = {}) {
    auto r = audit::Verify(ctx(), {head});
    EXPECT_TRUE(r.ok());
    return *r;
  }

  Context& ctx() { return *env_holder_->ctx; }

  std::unique_ptr<Env> env_holder_;
  int64_t events_ = 0;
  int64_t third_ = 0;
};

TEST_F(AuditChainTest, AnIntactChainVerifies) {
  const auto r = VerifyNow();
  EXPECT_TRUE(r.ok);
  auto head = audit::Head(ctx());
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(r.head.hash, head->hash);
  EXPECT_EQ(r.head.hash.size(), 64u);
}

TEST_F(AuditChainTest, AnEditedFieldIsCaughtAtItsRow) {
  for (const char* column : {"actor", "action", "object", "details"}) {
    SetUp();  // a fresh chain each time
    Exec(std::string("UPDATE audit_events SET ") + column +
         " = 'x' WHERE seq = " + std::to_string(third_));
    const auto r = VerifyNow();
    EXPECT_FALSE(r.ok) << column;
    EXPECT_EQ(r.broken_at, third_) << column;
    EXPECT_EQ(r.reason, "edited") << column;
  }
}

TEST_F(AuditChainTest, AnEditedTimeOrRecomputedHashWithoutTheKeyIsCaught) {
  Exec("UPDATE audit_events SET at = at + 1 WHERE seq = " + std::to_string(third_));
  EXPECT_EQ(VerifyNow().broken_at, third_);
  SetUp();
  // An attacker who recomputes an unkeyed hash for the edited row still fails.
  Exec("UPDATE audit_events SET details = 'benign', hash = '" + std::string(64, 'a') +
       "' WHERE seq = " + std::to_string(third_));
  const auto r = VerifyNow();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.broken_at, third_);
}

TEST_F(AuditChainTest, ADeletedEventIsMissingAtItsSeq) {
  Exec("DELETE FROM audit_events WHERE seq = " + std::to_string(third_));
  const auto r = VerifyNow();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.broken_at, third_);
  EXPECT_EQ(r.reason, "missing");
  EXPECT_EQ(r.head.seq, third_ - 1) << "the events before it still verify";
}

TEST_F(AuditChainTest, ReorderedEventsAreCaught) {
  // Swap the sequence numbers of two events.
  const std::string a = std::to_string(third_), b = std::to_string(third_ + 1);
  Exec("UPDATE audit_events SET seq = -1 WHERE seq = " + a);
  Exec("UPDATE audit_events SET seq = " + a + " WHERE seq = " + b);
  Exec("UPDATE audit_events SET seq = " + b + " WHERE seq = -1");
  const auto r = VerifyNow();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.broken_at, third_);
}

TEST_F(AuditChainTest, TruncationIsCaughtAgainstAPublishedHead) {
  auto head = audit::Head(ctx());
  ASSERT_TRUE(head.ok());
  EXPECT_TRUE(VerifyNow(head->hash).ok);
  Exec("DELETE FROM audit_events WHERE seq >= " + std::to_string(third_));
  EXPECT_TRUE(VerifyNow().ok) << "a shorter chain is still a chain";
  const auto r = VerifyNow(head->hash);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, "head_missing");
}

// A restart must not bless tampering: an unchained row in a chained log
// stays broken.
TEST_F(AuditChainTest, AnUnchainedRowInAChainedLogIsNotResealed) {
  Exec("UPDATE audit_events SET details = 'rewritten', hash = '' WHERE seq = " +
       std::to_string(third_));
  ASSERT_TRUE(audit::ChainUnchainedEvents(ctx()).ok());
  const auto r = VerifyNow();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.broken_at, third_);
}

// A log from before the chain (schema v4, never sealed, no anchor) is
// chained at the next start, and only then.
TEST_F(AuditChainTest, EventsFromBeforeTheChainAreChainedOnce) {
  Exec("UPDATE audit_events SET hash = '', prev_hash = ''");
  Exec("UPDATE audit_chain_state SET sealed_at = NULL");
  EXPECT_FALSE(VerifyNow().ok);
  ASSERT_TRUE(audit::ChainUnchainedEvents(ctx()).ok());
  const auto r = VerifyNow();
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.head.events, events_);
  EXPECT_EQ(QueryInt(ctx(), "SELECT pre_chain_events FROM audit_chain_state"), events_);

  Exec("UPDATE audit_events SET hash = '', prev_hash = ''");
  ASSERT_TRUE(audit::ChainUnchainedEvents(ctx()).ok());
  const auto again = VerifyNow();
  EXPECT_FALSE(again.ok) << "chained once: a second blanking is not resealed";
  EXPECT_EQ(again.reason, "unsealed");
  EXPECT_EQ(again.broken_at, 1);
}

}  // namespace
}  // namespace earshot
