// SQLite backend of Db: WAL mode, synchronous=FULL (a commit survives power
// loss), secure_delete (deleted rows are zeroed, not left in free pages),
// foreign keys on. A small pool of connections, one borrowed per call.
//
// Writes use group commit: concurrent Write calls are queued, and one caller
// (the leader) runs a batch of them in a single transaction, each inside its
// own SAVEPOINT so that one failing callback rolls back only its own changes.
// One fsync then makes the whole batch durable. The result is the same as if
// the callbacks had run one after another.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "store/db.h"
#include "util/thread_annotations.h"

struct sqlite3;

namespace earshot::store {

class SqliteDb final : public Db {
 public:
  // Opens (creating if missing) the database file at `path`.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path);
  ~SqliteDb() override;

  Status Write(const std::function<Status(Tx&)>& fn) override;
  Status Read(const std::function<Status(Tx&)>& fn) override;
  // A flock on "<database>.<name>.lock" (across processes) and a mutex
  // (across threads).
  Status WithExclusiveLock(std::string_view name, const std::function<Status()>& fn) override;
  Status Checkpoint() override;
  Dialect dialect() const override { return Dialect::kSqlite; }

 private:
  struct Conn;
  explicit SqliteDb(std::string path);
  Result<std::unique_ptr<Conn>> Borrow();
  void Return(std::unique_ptr<Conn> conn);
  Status Run(bool write, const std::function<Status(Tx&)>& fn);
  struct PendingWrite;
  void RunBatch(const std::vector<PendingWrite*>& batch);

  std::string path_;
  Mutex exclusive_mu_;
  std::condition_variable_any exclusive_cv_;
  // Names held by a thread of this process.
  std::set<std::string> exclusive_held_ GUARDED_BY(exclusive_mu_);
  Mutex mu_;
  std::vector<std::unique_ptr<Conn>> idle_ GUARDED_BY(mu_);

  Mutex group_mu_;
  std::condition_variable_any group_cv_;
  std::deque<PendingWrite*> pending_ GUARDED_BY(group_mu_);
  bool leader_active_ GUARDED_BY(group_mu_) = false;
};

}  // namespace earshot::store
