// The SQLite backend's group commit: concurrent writes are batched, yet each
// behaves as its own transaction.
#include "store/sqlite_db.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "support/test_util.h"

namespace earshot {
namespace {

using testing::TempDir;

class SqliteDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::SqliteDb::Open(dir_.path() + "/t.db");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_OK(db_->Write([](store::Tx& tx) {
      return tx.ExecScript("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    }));
  }
  int64_t Count(const std::string& where = "1=1") {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](store::Tx& tx) -> Status {
                     ASSIGN_OR_RETURN(auto rows,
                                      tx.Query("SELECT COUNT(*) FROM t WHERE " + where, {}));
                     n = rows[0].Int(0);
                     return Status::Ok();
                   })
                    .ok());
    return n;
  }
  TempDir dir_;
  std::unique_ptr<store::SqliteDb> db_;
};

TEST_F(SqliteDbTest, ConcurrentWritersEachCommitOrRollBackAlone) {
  constexpr int kThreads = 8, kPerThread = 50;
  std::atomic<int> reported_ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int64_t key = t * 1000 + i;
        const bool fail = i % 3 == 0;
        const bool throws = i % 7 == 0 && !fail;
        Status st = db_->Write([&](store::Tx& tx) -> Status {
          RETURN_IF_ERROR(tx.Exec("INSERT INTO t (k, v) VALUES (?, 'x')", {key}).status());
          if (throws) throw std::runtime_error("callback bug");
          if (fail) return Conflict("test", "rejected after writing");
          return Status::Ok();
        });
        if (st.ok()) {
          reported_ok++;
        } else {
          EXPECT_TRUE(fail || throws) << st.ToString();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  // Exactly the writes reported ok are in the table; failed ones left nothing.
  EXPECT_EQ(Count(), reported_ok.load());
  int expected = 0;
  for (int i = 0; i < kPerThread; ++i) expected += !(i % 3 == 0) && !(i % 7 == 0);
  EXPECT_EQ(reported_ok.load(), kThreads * expected);
  EXPECT_EQ(Count("k % 1000 % 3 = 0"), 0);
}

TEST_F(SqliteDbTest, ConstraintViolationIsAConflictAndLeavesOthersIntact) {
  ASSERT_OK(db_->Write(
      [](store::Tx& tx) { return tx.Exec("INSERT INTO t (k, v) VALUES (1, 'a')").status(); }));
  Status dup = db_->Write(
      [](store::Tx& tx) { return tx.Exec("INSERT INTO t (k, v) VALUES (1, 'b')").status(); });
  EXPECT_EQ(dup.code(), Code::kConflict);
  EXPECT_EQ(Count(), 1);
  EXPECT_EQ(Count("v = 'a'"), 1);
}

}  // namespace
}  // namespace earshot
