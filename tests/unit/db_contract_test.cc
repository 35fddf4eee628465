// The transaction contract of store/db.h, checked on every backend: SQLite
// always, PostgreSQL when the run has one (the postgres label; otherwise its
// cases are skipped). And the BlobStore contract on files and, with a
// PostgreSQL, on the database.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "store/claim.h"
#include "store/db_blob_store.h"
#include "store/open.h"
#include "store/pg_db.h"
#include "store/sqlite_db.h"
#include "support/test_util.h"

namespace earshot {
namespace {

using testing::TempDir;

// A fresh, empty database of the backend `name` ("sqlite" or "postgres").
std::unique_ptr<store::Db> FreshDb(const std::string& name, const TempDir& dir) {
  if (name == "sqlite") {
    auto db = store::SqliteDb::Open(dir.path() + "/t.db");
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::unique_ptr<store::Db>(std::move(db).value()) : nullptr;
  }
  auto db = store::OpenDb(testing::TestDbUrl(dir.path()), dir.path(), 16);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return db.ok() ? std::move(db).value() : nullptr;
}

class DbContractTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres" && testing::TestPostgresUrl().empty()) {
      GTEST_SKIP() << "no PostgreSQL in this run (the postgres label starts one)";
    }
    db_ = FreshDb(GetParam(), dir_);
    ASSERT_NE(db_, nullptr);
    ASSERT_OK(db_->Write([](store::Tx& tx) {
      return tx.ExecScript(
          "CREATE TABLE t (k BIGINT PRIMARY KEY, v TEXT NOT NULL);"
          "CREATE TABLE counter (id INTEGER PRIMARY KEY, n BIGINT NOT NULL);"
          "INSERT INTO counter (id, n) VALUES (1, 0);"
          "CREATE TABLE queue (id BIGINT PRIMARY KEY, state TEXT NOT NULL, owner TEXT);");
    }));
  }
  int64_t Count(const std::string& where = "1=1") {
    int64_t n = -1;
    EXPECT_OK(db_->Read([&](store::Tx& tx) -> Status {
      ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COUNT(*) FROM t WHERE " + where, {}));
      n = rows[0].Int(0);
      return Status::Ok();
    }));
    return n;
  }
  TempDir dir_;
  std::unique_ptr<store::Db> db_;
};

TEST_P(DbContractTest, ConcurrentWritersEachCommitOrRollBackAlone) {
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

TEST_P(DbContractTest, ConstraintViolationIsAConflictAndLeavesOthersIntact) {
  ASSERT_OK(db_->Write(
      [](store::Tx& tx) { return tx.Exec("INSERT INTO t (k, v) VALUES (1, 'a')").status(); }));
  Status dup = db_->Write(
      [](store::Tx& tx) { return tx.Exec("INSERT INTO t (k, v) VALUES (1, 'b')").status(); });
  EXPECT_EQ(dup.code(), Code::kConflict);
  EXPECT_EQ(dup.reason(), "db_constraint");
  EXPECT_EQ(Count(), 1);
  EXPECT_EQ(Count("v = 'a'"), 1);
}

TEST_P(DbContractTest, ValuesComeBackAsTheContractSays) {
  const int64_t big = 9'007'199'254'740'993;  // not exact as a double
  const std::string text = "caf\xc3\xa9 \xe2\x80\x94 'quoted' ? \"marks\"";
  ASSERT_OK(db_->Write([&](store::Tx& tx) {
    return tx.Exec("INSERT INTO t (k, v) VALUES (?, ?)", {big, text}).status();
  }));
  ASSERT_OK(db_->Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query("SELECT k, v, NULL, COUNT(*), SUM(k), AVG(k), 2.5, 1 = 1, 1 = 2 "
                              "FROM t GROUP BY k, v",
                              {}));
    EXPECT_EQ(rows.size(), 1u);
    const store::Row& r = rows.at(0);
    EXPECT_TRUE(std::holds_alternative<int64_t>(r.value(0)));
    EXPECT_EQ(r.Int(0), big);
    EXPECT_EQ(r.Text(1), text);
    EXPECT_TRUE(r.IsNull(2));
    EXPECT_TRUE(std::holds_alternative<int64_t>(r.value(3)));
    EXPECT_EQ(r.Int(3), 1);
    EXPECT_TRUE(std::holds_alternative<int64_t>(r.value(4))) << "SUM of integers";
    EXPECT_EQ(r.Int(4), big);
    EXPECT_TRUE(std::holds_alternative<double>(r.value(5))) << "AVG";
    EXPECT_DOUBLE_EQ(r.Real(6), 2.5);
    EXPECT_EQ(r.Int(7), 1);
    EXPECT_EQ(r.Int(8), 0);
    return Status::Ok();
  }));
  // A parameter is compared as the column's type, whatever Value it is.
  ASSERT_OK(db_->Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT v FROM t WHERE k = ? AND v = ?", {big, text}));
    EXPECT_EQ(rows.size(), 1u);
    ASSIGN_OR_RETURN(auto none, tx.Query("SELECT v FROM t WHERE k = ?", {store::Null()}));
    EXPECT_TRUE(none.empty());
    return Status::Ok();
  }));
}

TEST_P(DbContractTest, ReadModifyWriteLosesNoUpdateUnderContention) {
  // Each write reads the counter and writes it back plus one: under a weaker
  // isolation than the contract's, two would read the same value and one
  // increment would be lost.
  constexpr int kThreads = 6, kPerThread = 40;
  std::atomic<int> runs{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        ASSERT_OK(db_->Write([&](store::Tx& tx) -> Status {
          runs++;
          ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT n FROM counter WHERE id = 1", {}));
          const int64_t n = rows.at(0).Int(0);
          return tx.Exec("UPDATE counter SET n = ? WHERE id = 1", {n + 1}).status();
        }));
      }
    });
  }
  for (auto& t : threads) t.join();
  int64_t n = -1;
  ASSERT_OK(db_->Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT n FROM counter WHERE id = 1", {}));
    n = rows.at(0).Int(0);
    return Status::Ok();
  }));
  EXPECT_EQ(n, kThreads * kPerThread);
  EXPECT_GE(runs.load(), kThreads * kPerThread) << "a callback may re-run, never run less";
}

TEST_P(DbContractTest, AReadSeesOneSnapshotWhileOthersCommit) {
  ASSERT_OK(db_->Write(
      [](store::Tx& tx) { return tx.Exec("INSERT INTO t (k, v) VALUES (1, 'a')").status(); }));
  std::atomic<bool> written{false};
  std::thread writer;
  ASSERT_OK(db_->Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto before, tx.Query("SELECT COUNT(*) FROM t", {}));
    if (!writer.joinable()) {
      writer = std::thread([&] {
        EXPECT_OK(db_->Write(
            [](store::Tx& w) { return w.Exec("INSERT INTO t (k, v) VALUES (2, 'b')").status(); }));
        written = true;
      });
    }
    while (!written) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSIGN_OR_RETURN(auto after, tx.Query("SELECT COUNT(*) FROM t", {}));
    EXPECT_EQ(before[0].Int(0), after[0].Int(0)) << "the read saw a commit made during it";
    return Status::Ok();
  }));
  writer.join();
  EXPECT_EQ(Count(), 2);
}

TEST_P(DbContractTest, ClaimsHandEachRowToExactlyOneWorker) {
  constexpr int kRows = 120, kWorkers = 6;
  ASSERT_OK(db_->Write([](store::Tx& tx) -> Status {
    for (int i = 0; i < kRows; ++i) {
      RETURN_IF_ERROR(
          tx.Exec("INSERT INTO queue (id, state) VALUES (?, 'queued')", {static_cast<int64_t>(i)})
              .status());
    }
    return Status::Ok();
  }));
  std::mutex mu;
  std::multiset<int64_t> claimed;
  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&, w] {
      const std::string me = "w" + std::to_string(w);
      for (;;) {
        std::optional<int64_t> got;
        ASSERT_OK(db_->Write([&](store::Tx& tx) -> Status {
          got.reset();
          ASSIGN_OR_RETURN(auto rows,
                           tx.Query("SELECT id FROM queue WHERE state = 'queued' ORDER BY id "
                                    "LIMIT 1" +
                                        store::ForClaim(tx, ""),
                                    {}));
          if (rows.empty()) return Status::Ok();
          ASSIGN_OR_RETURN(int64_t changed,
                           tx.Exec("UPDATE queue SET state = 'claimed', owner = ? WHERE id = ? "
                                   "AND state = 'queued'",
                                   {me, rows[0].Int(0)}));
          RETURN_IF_ERROR(store::ClaimedOne(changed));
          got = rows[0].Int(0);
          return Status::Ok();
        }));
        if (!got) return;
        std::lock_guard<std::mutex> lock(mu);
        claimed.insert(*got);
      }
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_EQ(claimed.size(), static_cast<size_t>(kRows));
  EXPECT_EQ(std::set<int64_t>(claimed.begin(), claimed.end()).size(), static_cast<size_t>(kRows))
      << "a row was claimed twice";
}

TEST_P(DbContractTest, TheExclusiveLockAdmitsOneHolderAtATime) {
  std::atomic<int> inside{0}, most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        ASSERT_OK(db_->WithExclusiveLock("test", [&]() -> Status {
          const int now = ++inside;
          most = std::max(most.load(), now);
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
          --inside;
          return Status::Ok();
        }));
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(most.load(), 1);
}

// `earshot migrate-store` holds its lock while the target migrates under
// its own: locks of different names nest (one shared mutex deadlocked here).
TEST_P(DbContractTest, ExclusiveLocksOfDifferentNamesNest) {
  bool inner_ran = false;
  ASSERT_OK(db_->WithExclusiveLock("outer", [&]() -> Status {
    return db_->WithExclusiveLock("inner", [&]() -> Status {
      inner_ran = true;
      return db_->Write([](store::Tx& tx) { return tx.Exec("DELETE FROM t").status(); });
    });
  }));
  EXPECT_TRUE(inner_ran);
}

INSTANTIATE_TEST_SUITE_P(Backends, DbContractTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

// PostgreSQL only: what a user meets when the database is not there.
TEST(PgDbTest, AnUnreachableDatabaseIsAClearErrorNotAHang) {
  TempDir dir;
  const auto start = std::chrono::steady_clock::now();
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  auto db = store::OpenDb("postgresql://earshot@127.0.0.1:1/none?connect_timeout=2", dir.path(), 4);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), Code::kUnavailable);
  EXPECT_EQ(db.status().reason(), "db_unreachable");
  EXPECT_NE(db.status().message().find("127.0.0.1"), std::string::npos) << db.status().message();
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(DbUrlTest, ParsesEachFormAndRefusesTheRest) {
  auto sqlite = store::ParseDbUrl("", "/d");
  ASSERT_TRUE(sqlite.ok());
  EXPECT_EQ(sqlite->sqlite_path, "/d/earshot.db");
  EXPECT_EQ(store::ParseDbUrl("sqlite:///x/y.db", "/d")->sqlite_path, "/x/y.db");
  EXPECT_EQ(store::ParseDbUrl("rel/y.db", "/d")->sqlite_path, "rel/y.db");
  auto pg = store::ParseDbUrl("postgresql://u:pw@h:5/db?schema=s_1&pool=7&sslmode=disable", "");
  ASSERT_TRUE(pg.ok()) << pg.status().ToString();
  EXPECT_EQ(pg->backend, store::Backend::kPostgres);
  EXPECT_EQ(pg->conninfo, "postgresql://u:pw@h:5/db?sslmode=disable");
  EXPECT_EQ(pg->schema, "s_1");
  EXPECT_EQ(pg->pool_size, 7);
  for (const char* bad : {"mysql://h/db", "sqlite://relative", "postgresql://h/db?schema=A;DROP",
                          "postgresql://h/db?pool=1", "postgresql://h/db?schema=%zz"}) {
    auto r = store::ParseDbUrl(bad, "/d");
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) EXPECT_EQ(r.status().reason(), "bad_db_url") << bad;
  }
  EXPECT_EQ(store::RedactUrl("postgresql://u:secret@h/db"), "postgresql://u:***@h/db");
  EXPECT_EQ(store::RedactUrl("postgresql://h/db?password=secret&x=1"),
            "postgresql://h/db?password=***&x=1");
}

// The BlobStore contract, on files and (with a PostgreSQL) in the database.
class BlobStoreContractTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "files") {
      blobs_ = std::make_unique<store::FileBlobStore>(dir_.path() + "/blobs");
      return;
    }
    if (testing::TestPostgresUrl().empty()) {
      GTEST_SKIP() << "no PostgreSQL in this run (the postgres label starts one)";
    }
    db_ = FreshDb("postgres", dir_);
    ASSERT_NE(db_, nullptr);
    ASSERT_OK(db_->Write([](store::Tx& tx) {
      return tx.ExecScript(
          "CREATE TABLE sealed_blobs (name TEXT PRIMARY KEY, data TEXT NOT NULL, "
          "modified_at BIGINT NOT NULL)");
    }));
    blobs_ = std::make_unique<store::DbBlobStore>(*db_);
  }
  TempDir dir_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<store::BlobStore> blobs_;
};

TEST_P(BlobStoreContractTest, PutGetDeleteRoundTripBinaryData) {
  std::string sealed;
  for (int i = 0; i < 70'000; ++i) sealed += static_cast<char>(i * 31 % 256);
  ASSERT_OK(blobs_->Put("rec_abc", sealed));
  auto got = blobs_->Get("rec_abc");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, sealed);
  ASSERT_OK(blobs_->Delete("rec_abc"));
  EXPECT_EQ(blobs_->Get("rec_abc").status().reason(), "blob_missing");
  EXPECT_OK(blobs_->Delete("rec_abc"));  // idempotent
  EXPECT_EQ(blobs_->Put("../etc", "x").reason(), "bad_blob_name");
  EXPECT_EQ(blobs_->Get("Bad Name").status().reason(), "bad_blob_name");
}

TEST_P(BlobStoreContractTest, ListPagesThroughEveryBlobOnce) {
  std::set<std::string> put;
  for (int i = 0; i < 57; ++i) {
    const std::string name =
        std::string(i % 2 ? "rec_" : "clip_") + static_cast<char>('a' + i % 26) + std::to_string(i);
    ASSERT_OK(blobs_->Put(name, "sealed"));
    put.insert(name);
  }
  std::multiset<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto page = blobs_->List(cursor, 10);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_LE(page->entries.size(), 10u);
    for (const auto& e : page->entries) {
      seen.insert(e.name);
      EXPECT_GT(e.modified_ms, 0);
    }
    cursor = page->next;
    ASSERT_LT(++pages, 20) << "paging does not end";
  } while (!cursor.empty());
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), put);
  EXPECT_EQ(seen.size(), put.size()) << "a blob was listed twice";
  // Remove takes what List returned.
  auto first = blobs_->List("", 1);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->entries.size(), 1u);
  ASSERT_OK(blobs_->Remove(first->entries[0]));
  EXPECT_EQ(blobs_->Get(first->entries[0].name).status().reason(), "blob_missing");
  auto all = blobs_->ListAll();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), put.size() - 1);
}

// The default blob store (no --blobs) is one every process of the
// deployment sees: on PostgreSQL, a second host with its own data directory
// finds what the first put; with SQLite, the files beside the database. An
// explicit --blobs files still means this host's disk.
TEST_P(BlobStoreContractTest, TheDefaultStoreIsOneEveryProcessOfTheDeploymentSees) {
  if (GetParam() == "files") {
    auto db = FreshDb("sqlite", dir_);
    ASSERT_NE(db, nullptr);
    auto blobs = store::OpenBlobStore("", dir_.path(), *db);
    ASSERT_TRUE(blobs.ok()) << blobs.status().ToString();
    ASSERT_OK((*blobs)->Put("rec_default", "sealed"));
    EXPECT_EQ(*store::FileBlobStore(dir_.path() + "/blobs").Get("rec_default"), "sealed");
    return;
  }
  TempDir other_host;
  auto here = store::OpenBlobStore("", dir_.path(), *db_);
  auto there = store::OpenBlobStore("", other_host.path(), *db_);
  ASSERT_TRUE(here.ok() && there.ok());
  ASSERT_OK((*here)->Put("rec_default", "sealed"));
  auto seen = (*there)->Get("rec_default");
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  EXPECT_EQ(*seen, "sealed");
  auto local = store::OpenBlobStore("files", other_host.path(), *db_);
  ASSERT_TRUE(local.ok());
  EXPECT_EQ((*local)->Get("rec_default").status().reason(), "blob_missing");
}

INSTANTIATE_TEST_SUITE_P(Backends, BlobStoreContractTest, ::testing::Values("files", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace earshot
