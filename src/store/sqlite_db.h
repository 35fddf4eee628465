// SQLite backend of Db: WAL mode, synchronous=FULL (a commit survives power
// loss), secure_delete (deleted rows are zeroed, not left in free pages),
// foreign keys on. A small pool of connections, one borrowed per call.
#pragma once

#include <memory>
#include <mutex>
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
  Status Checkpoint() override;
  Dialect dialect() const override { return Dialect::kSqlite; }

 private:
  struct Conn;
  explicit SqliteDb(std::string path);
  Result<std::unique_ptr<Conn>> Borrow();
  void Return(std::unique_ptr<Conn> conn);
  Status Run(bool write, const std::function<Status(Tx&)>& fn);

  std::string path_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Conn>> idle_;  // GUARDED_BY(mu_)
};

}  // namespace earshot::store
