// PostgreSQL backend of Db, on libpq (Debian's libpq-dev): the C client
// library PostgreSQL itself ships, so no C++ wrapper's exceptions and
// version skew sit between earshot and the server, and every error keeps its
// SQLSTATE, which the retry and error mapping below need.
//
// How it honours the transaction contract of store/db.h:
// - Writes run at SERIALIZABLE isolation. A callback that loses a
//   serialization conflict (SQLSTATE 40001) or a deadlock (40P01) is rolled
//   back and run again, up to `max_attempts` times with a jittered backoff;
//   after that the caller gets Unavailable("db_conflict").
// - Reads run at REPEATABLE READ, READ ONLY: one snapshot.
// - Every statement is a prepared statement, prepared once per connection
//   and SQL text (`?` placeholders become $1..$n).
// - Connections come from a pool of at most `pool_size`; a caller waits
//   for a free one at most `pool_wait_ms`, then gets
//   Unavailable("db_pool_exhausted"). A connection that broke (the server
//   restarted, the network dropped) is discarded together with every idle
//   one, and the callback re-runs on a fresh connection if COMMIT had not
//   been sent; if the break came during COMMIT the caller gets
//   Unavailable("db_commit_unknown").
// - The server unreachable: connecting gives up after `connect_timeout_s`
//   with Unavailable("db_unreachable"), never a hang; a statement that runs
//   longer than `statement_timeout_ms` is cancelled by the server
//   (Unavailable("db_timeout")).
// - `schema`: every connection's search_path, created if missing, so that
//   several deployments (or test runs) can share one database.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/db.h"
#include "util/thread_annotations.h"

namespace earshot::store {

struct PgOptions {
  std::string conninfo;  // a libpq URI or key=value string, without earshot's own parameters
  std::string schema;    // empty: the server's default search_path
  int pool_size = 8;
  int pool_wait_ms = 10'000;
  int connect_timeout_s = 5;
  int statement_timeout_ms = 30'000;
  int max_attempts = 30;
  // The table of the one row every audited write updates (audit/audit_log.cc:
  // the chain's head). Under SERIALIZABLE, writers that update one row
  // conflict, so a write that lost a conflict is re-run with LOCK TABLE on it
  // first: LOCK takes no snapshot, so the re-run's snapshot starts after the
  // holder's commit and it cannot lose that conflict again. Writes that do
  // not conflict never take it. Empty: re-run without a lock.
  std::string retry_lock_table = "audit_head";
};

class PgDb final : public Db {
 public:
  // Connects once (so a wrong address or password is reported at start) and
  // creates `schema` if it is missing.
  static Result<std::unique_ptr<PgDb>> Open(PgOptions options);
  ~PgDb() override;

  Status Write(const std::function<Status(Tx&)>& fn) override;
  Status Read(const std::function<Status(Tx&)>& fn) override;
  Status WithExclusiveLock(std::string_view name, const std::function<Status()>& fn) override;
  // VACUUMs every table of the schema, so that the space of deleted rows is
  // reclaimed (PostgreSQL does not zero it; see docs/storage.md, "Erasure on
  // PostgreSQL").
  Status Checkpoint() override;
  Dialect dialect() const override { return Dialect::kPostgres; }

  // Counters for tests and /metrics: transactions re-run after a conflict,
  // and connections opened.
  int64_t retries() const;
  int64_t connections_opened() const;

  struct Conn;

 private:
  explicit PgDb(PgOptions options);
  Result<std::unique_ptr<Conn>> Connect();
  Result<std::unique_ptr<Conn>> Borrow();
  void Return(std::unique_ptr<Conn> conn);
  Status Run(bool write, const std::function<Status(Tx&)>& fn);

  const PgOptions options_;
  mutable Mutex mu_;
  std::condition_variable_any freed_;
  std::vector<std::unique_ptr<Conn>> idle_ GUARDED_BY(mu_);
  int open_ GUARDED_BY(mu_) = 0;  // borrowed + idle
  int64_t retries_ GUARDED_BY(mu_) = 0;
  int64_t connections_opened_ GUARDED_BY(mu_) = 0;
};

}  // namespace earshot::store
