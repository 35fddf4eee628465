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
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "store/db.h"

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
  std::mutex exclusive_mu_;
  std::condition_variable exclusive_cv_;
  std::set<std::string> exclusive_held_;  // names held by a thread of this process
  std::mutex mu_;
  std::vector<std::unique_ptr<Conn>> idle_;  // GUARDED_BY(mu_)

  std::mutex group_mu_;
  std::condition_variable group_cv_;
  std::deque<PendingWrite*> pending_;  // GUARDED_BY(group_mu_)
  bool leader_active_ = false;         // GUARDED_BY(group_mu_)
};

}  // namespace earshot::store
