// The storage seam: every domain query goes through Db, so SQL is written once
// for every backend (SQLite, the embedded default; PostgreSQL for scale-out,
// store/pg_db.h). Placeholders are `?`; backends translate them. Write SQL
// that both dialects accept (ON CONFLICT, RETURNING, COALESCE, no SQLite-only
// functions); dialect differences live in store/ only (migrations.cc,
// claim.h).
//
// THE TRANSACTION CONTRACT (every backend honours it; the contract suite in
// tests/unit/db_contract_test.cc checks it on each):
//
// - Isolation: a Write runs as if it were the only writer (SERIALIZABLE).
//   SQLite gets there by running one write transaction at a time (group
//   commit, store/sqlite_db.h); PostgreSQL runs writes at SERIALIZABLE
//   isolation and re-runs a callback that lost a serialization conflict.
//   Domain code may therefore read, decide and write in one callback without
//   locking rows itself. Two places still lock on purpose, so that racing
//   writers queue or pass each other instead of failing and re-running: a
//   claim of a work-queue row (store/claim.h, FOR UPDATE SKIP LOCKED) and
//   the audit chain's head (audit/audit_log.cc).
// - A Read sees one consistent snapshot of committed data (REPEATABLE READ);
//   it may not write.
// - Retries: a callback may run more than once (after a serialization
//   conflict, a deadlock, or a connection lost before COMMIT was sent), each
//   time on a fresh transaction after the last one rolled back. It must be
//   safe to re-run: reset what it returns at its start (`out.reset()`,
//   `rows.clear()`), assign rather than accumulate captured outputs, and do
//   nothing outside the database (no blob writes, metrics, files, network)
//   that a rolled-back run would leave behind. Do those after Write returns.
// - No nesting: a callback must not call Read or Write on any Db (on SQLite
//   a nested Write waits for the group-commit leader that is running it, for
//   ever; on PostgreSQL it would take a second connection and see neither
//   its own transaction's changes nor its locks).
// - A failed statement fails the callback: return its status. (On
//   PostgreSQL the transaction is aborted after any error and every later
//   statement fails; do not swallow an error and go on.) Constraint
//   violations come back as Conflict("db_constraint"), a lost or busy
//   database as Unavailable("db_busy" | "db_unreachable" | ...), a commit
//   whose outcome is unknown (the connection broke during COMMIT) as
//   Unavailable("db_commit_unknown").
// - Durability: when Write returns ok, the commit survives a crash of the
//   process and of the machine (fsync; PostgreSQL's synchronous_commit).
// - Values: parameters are NULL, int64_t, double or UTF-8 text. Columns come
//   back as int64_t for integer columns and integer aggregates (COUNT, SUM
//   of integers), double for floating columns and AVG, text for text, NULL
//   as std::monostate; booleans as 0/1. Row's accessors convert leniently,
//   so callers state intent: Int(2), Text(3).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "util/status.h"

namespace earshot::store {

using Value = std::variant<std::monostate, int64_t, double, std::string>;
using Params = std::vector<Value>;

inline Value Null() {
  return std::monostate{};
}

// One result row. Accessors are lenient about numeric types and return
// defaults for NULL, so callers state intent: Int(2), Text(3).
class Row {
 public:
  explicit Row(std::vector<Value> cols) : cols_(std::move(cols)) {}
  size_t size() const { return cols_.size(); }
  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(cols_.at(i)); }
  int64_t Int(size_t i) const;
  double Real(size_t i) const;
  std::string Text(size_t i) const;
  const Value& value(size_t i) const { return cols_.at(i); }

 private:
  std::vector<Value> cols_;
};

enum class Dialect { kSqlite, kPostgres };

// A transaction. Not thread-safe; lives only inside Db::Write/Read callbacks.
class Tx {
 public:
  virtual ~Tx() = default;
  // Executes one statement; returns the number of rows changed.
  virtual Result<int64_t> Exec(std::string_view sql, const Params& params = {}) = 0;
  virtual Result<std::vector<Row>> Query(std::string_view sql, const Params& params = {}) = 0;
  // Several statements without parameters (migrations).
  virtual Status ExecScript(std::string_view sql) = 0;
  virtual Dialect dialect() const = 0;
};

// Thread-safe: each call runs on its own connection.
class Db {
 public:
  virtual ~Db() = default;
  // Runs `fn` in a write transaction (see the contract above); commits if it
  // returns ok, else rolls back and returns its status. The commit is
  // durable when Write returns ok.
  virtual Status Write(const std::function<Status(Tx&)>& fn) = 0;
  // Runs `fn` in a read-only snapshot.
  virtual Status Read(const std::function<Status(Tx&)>& fn) = 0;
  // Runs `fn` while holding the deployment-wide lock named `name`, which no
  // other process or thread on this database holds at the same time (schema
  // migrations, a store migration). `fn` opens its own transactions, which
  // start after the lock is held and so see everything committed under it.
  // Locks of different names nest; taking a name already held by the same
  // caller waits forever.
  virtual Status WithExclusiveLock(std::string_view name, const std::function<Status()>& fn) = 0;
  // Moves committed pages out of any write-ahead log into the main file and
  // empties the log (after erasure, so no old page images linger).
  virtual Status Checkpoint() = 0;
  // Whether the database answers now (/healthz): a cheap round trip.
  virtual Status Ping() { return Read([](Tx& tx) { return tx.Query("SELECT 1").status(); }); }
  virtual Dialect dialect() const = 0;
};

// Convenience: first row of a query or NotFound.
Result<Row> QueryOne(Tx& tx, std::string_view sql, const Params& params, const std::string& what);

}  // namespace earshot::store
