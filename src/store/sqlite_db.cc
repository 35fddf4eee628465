#include "store/sqlite_db.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/log.h"

namespace earshot::store {

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

struct SqliteDb::Conn {
  std::unique_ptr<sqlite3, SqliteCloser> db;
};

namespace {

Status SqliteError(sqlite3* db, const std::string& what) {
  int code = sqlite3_errcode(db);
  std::string msg = what + ": " + sqlite3_errmsg(db);
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) return Unavailable("db_busy", msg);
  if (code == SQLITE_CONSTRAINT) return Conflict("db_constraint", msg);
  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) return Corruption("db_corrupt", msg);
  return Internal("db_error", msg);
}

class SqliteTx final : public Tx {
 public:
  explicit SqliteTx(sqlite3* db) : db_(db) {}

  Result<int64_t> Exec(std::string_view sql, const Params& params) override {
    ASSIGN_OR_RETURN(StmtPtr stmt, Prepare(sql, params));
    int rc;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) return SqliteError(db_, "exec");
    return static_cast<int64_t>(sqlite3_changes(db_));
  }

  Result<std::vector<Row>> Query(std::string_view sql, const Params& params) override {
    ASSIGN_OR_RETURN(StmtPtr stmt, Prepare(sql, params));
    std::vector<Row> rows;
    int rc;
    const int ncols = sqlite3_column_count(stmt.get());
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
      std::vector<Value> cols;
      cols.reserve(ncols);
      for (int i = 0; i < ncols; ++i) cols.push_back(Column(stmt.get(), i));
      rows.emplace_back(std::move(cols));
    }
    if (rc != SQLITE_DONE) return SqliteError(db_, "query");
    return rows;
  }

  Status ExecScript(std::string_view sql) override {
    char* err = nullptr;
    std::string text(sql);
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown";
      sqlite3_free(err);
      return Internal("db_error", "script: " + msg);
    }
    return Status::Ok();
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

 private:
  Result<StmtPtr> Prepare(std::string_view sql, const Params& params) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, nullptr) !=
        SQLITE_OK) {
      return SqliteError(db_, "prepare");
    }
    StmtPtr stmt(raw);
    if (sqlite3_bind_parameter_count(raw) != static_cast<int>(params.size())) {
      return Internal("db_bind", "parameter count mismatch");
    }
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      const Value& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(v)) {
        rc = sqlite3_bind_null(raw, idx);
      } else if (auto* p = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(raw, idx, *p);
      } else if (auto* p = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(raw, idx, *p);
      } else {
        const auto& s = std::get<std::string>(v);
        rc = sqlite3_bind_text(raw, idx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) return SqliteError(db_, "bind");
    }
    return stmt;
  }

  static Value Column(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER: return static_cast<int64_t>(sqlite3_column_int64(stmt, i));
      case SQLITE_FLOAT: return sqlite3_column_double(stmt, i);
      case SQLITE_NULL: return std::monostate{};
      default: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        return std::string(text ? text : "", static_cast<size_t>(sqlite3_column_bytes(stmt, i)));
      }
    }
  }

  sqlite3* db_;
};

}  // namespace

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path) {
  std::unique_ptr<SqliteDb> db(new SqliteDb(path));
  ASSIGN_OR_RETURN(auto conn, db->Borrow());  // creates the file and sets WAL
  db->Return(std::move(conn));
  return db;
}

SqliteDb::SqliteDb(std::string path) : path_(std::move(path)) {}
SqliteDb::~SqliteDb() = default;

Result<std::unique_ptr<SqliteDb::Conn>> SqliteDb::Borrow() {
  {
    MutexLock lock(mu_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
  }
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path_.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  auto conn = std::make_unique<Conn>();
  conn->db.reset(raw);
  if (rc != SQLITE_OK) return SqliteError(raw, "open database " + path_);
  sqlite3_busy_timeout(raw, 15000);
  SqliteTx setup(raw);
  RETURN_IF_ERROR(
      setup.ExecScript("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                       "PRAGMA secure_delete=ON;"));
  return conn;
}

void SqliteDb::Return(std::unique_ptr<Conn> conn) {
  MutexLock lock(mu_);
  if (idle_.size() < 16) idle_.push_back(std::move(conn));
}

Status SqliteDb::Run(bool write, const std::function<Status(Tx&)>& fn) {
  ASSIGN_OR_RETURN(auto conn, Borrow());
  SqliteTx tx(conn->db.get());
  Status st = tx.ExecScript(write ? "BEGIN IMMEDIATE" : "BEGIN");
  if (!st.ok()) {
    Return(std::move(conn));
    return Unavailable("db_busy", "database is busy; retry: " + st.message());
  }
  st = fn(tx);
  if (st.ok()) {
    st = tx.ExecScript("COMMIT");
    if (!st.ok()) (void)tx.ExecScript("ROLLBACK");
  } else {
    (void)tx.ExecScript("ROLLBACK");
  }
  Return(std::move(conn));
  return st;
}

struct SqliteDb::PendingWrite {
  const std::function<Status(Tx&)>* fn;
  Status result;  // set by the leader, read by the writer once `done`
  // Guarded by the SqliteDb's group_mu_, which GUARDED_BY cannot name here.
  bool done = false;
};

namespace {
constexpr size_t kMaxBatch = 64;

Status RunGuarded(const std::function<Status(Tx&)>& fn, Tx& tx) {
  try {
    return fn(tx);
  } catch (const std::exception& e) {
    return Internal("exception", std::string("write callback threw: ") + e.what());
  } catch (...) {
    return Internal("exception", "write callback threw a non-standard exception");
  }
}
}  // namespace

void SqliteDb::RunBatch(const std::vector<PendingWrite*>& batch) {
  auto finish_all = [&batch](const Status& st) {
    for (PendingWrite* w : batch) w->result = st;
  };
  auto conn = Borrow();
  if (!conn.ok()) return finish_all(conn.status());
  SqliteTx tx((*conn)->db.get());
  if (Status st = tx.ExecScript("BEGIN IMMEDIATE"); !st.ok()) {
    Return(std::move(*conn));
    return finish_all(Unavailable("db_busy", "database is busy; retry: " + st.message()));
  }
  sqlite3* db = (*conn)->db.get();
  bool any_ok = false;
  for (size_t i = 0; i < batch.size(); ++i) {
    PendingWrite* w = batch[i];
    Status st = tx.ExecScript("SAVEPOINT earshot_write");
    if (st.ok()) st = RunGuarded(*w->fn, tx);
    // A lost claim (store/claim.h) re-runs, as the contract says; with one
    // writer at a time it is not expected here.
    for (int again = 0; again < 3 && st.reason() == "claim_lost"; ++again) {
      (void)tx.ExecScript("ROLLBACK TO earshot_write");
      st = RunGuarded(*w->fn, tx);
    }
    if (st.ok()) {
      st = tx.ExecScript("RELEASE earshot_write");
    } else {
      (void)tx.ExecScript("ROLLBACK TO earshot_write");
      (void)tx.ExecScript("RELEASE earshot_write");
    }
    w->result = st;
    any_ok = any_ok || st.ok();
    if (sqlite3_get_autocommit(db)) {
      // Some errors (SQLITE_FULL, IOERR, NOMEM) roll back the whole
      // transaction: nothing of this batch will commit, so no caller may be
      // told it did, and the rest must not run outside a transaction.
      const Status lost =
          Unavailable("db_rolled_back", "the write was rolled back by a database error; retry");
      for (size_t k = 0; k < batch.size(); ++k) {
        if (k > i || batch[k]->result.ok()) batch[k]->result = lost;
      }
      Return(std::move(*conn));
      return;
    }
  }
  Status commit = any_ok ? tx.ExecScript("COMMIT") : tx.ExecScript("ROLLBACK");
  if (!commit.ok()) {
    (void)tx.ExecScript("ROLLBACK");
    for (PendingWrite* w : batch) {
      if (w->result.ok()) w->result = commit;
    }
  }
  Return(std::move(*conn));
}

Status SqliteDb::Write(const std::function<Status(Tx&)>& fn) {
  PendingWrite me{&fn, Status::Ok(), false};
  MutexLock lock(group_mu_);
  pending_.push_back(&me);
  while (!me.done) {
    if (leader_active_) {
      group_cv_.wait(lock);
      continue;
    }
    leader_active_ = true;
    std::vector<PendingWrite*> batch;
    while (!pending_.empty() && batch.size() < kMaxBatch) {
      batch.push_back(pending_.front());
      pending_.pop_front();
    }
    lock.unlock();
    try {
      RunBatch(batch);
    } catch (...) {  // e.g. bad_alloc: fail the batch, never strand the followers
      for (PendingWrite* w : batch) w->result = Internal("exception", "write batch failed");
    }
    lock.lock();
    for (PendingWrite* w : batch) w->done = true;
    leader_active_ = false;
    group_cv_.notify_all();
  }
  return me.result;
}
Status SqliteDb::Read(const std::function<Status(Tx&)>& fn) {
  return Run(false, fn);
}

Status SqliteDb::WithExclusiveLock(std::string_view name, const std::function<Status()>& fn) {
  // A lock file beside the database, held with flock: other processes on
  // this file wait; the lock goes with the process if it dies. In this
  // process, threads wait on the set of names held (locks of different
  // names nest; one name taken twice by one thread would wait forever).
  {
    MutexLock held(exclusive_mu_);
    exclusive_cv_.wait(held, [&]() REQUIRES(exclusive_mu_) {
      return exclusive_held_.count(std::string(name)) == 0;
    });
    exclusive_held_.insert(std::string(name));
  }
  const auto release = [&] {
    MutexLock held(exclusive_mu_);
    exclusive_held_.erase(std::string(name));
    exclusive_cv_.notify_all();
  };
  const std::string path = path_ + "." + std::string(name) + ".lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    const std::string err = std::strerror(errno);
    release();
    return Internal("io_error", "cannot open " + path + ": " + err);
  }
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) {
      const std::string err = std::strerror(errno);
      ::close(fd);
      release();
      return Internal("io_error", "cannot lock " + path + ": " + err);
    }
  }
  Status st = fn();
  ::flock(fd, LOCK_UN);
  ::close(fd);
  release();
  return st;
}

Status SqliteDb::Checkpoint() {
  ASSIGN_OR_RETURN(auto conn, Borrow());
  int rc = sqlite3_wal_checkpoint_v2(conn->db.get(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr,
                                     nullptr);
  Status st = rc == SQLITE_OK ? Status::Ok() : SqliteError(conn->db.get(), "checkpoint");
  Return(std::move(conn));
  return st;
}

}  // namespace earshot::store
