// The storage seam: every domain query goes through Db, so SQL is written once
// for both backends (SQLite now, PostgreSQL later). Placeholders are `?`;
// backends translate them. Write SQL that both dialects accept; dialect
// differences live in migrations only.
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

 private:
  std::vector<Value> cols_;
};

// A transaction. Not thread-safe; lives only inside Db::Write/Read callbacks.
class Tx {
 public:
  virtual ~Tx() = default;
  // Executes one statement; returns the number of rows changed.
  virtual Result<int64_t> Exec(std::string_view sql, const Params& params = {}) = 0;
  virtual Result<std::vector<Row>> Query(std::string_view sql, const Params& params = {}) = 0;
  // Several statements without parameters (migrations).
  virtual Status ExecScript(std::string_view sql) = 0;
};

enum class Dialect { kSqlite, kPostgres };

// Thread-safe: each call runs on its own connection.
class Db {
 public:
  virtual ~Db() = default;
  // Runs `fn` in a write transaction; commits if it returns ok, else rolls back
  // and returns its status. The commit is durable when Write returns ok.
  virtual Status Write(const std::function<Status(Tx&)>& fn) = 0;
  // Runs `fn` in a read-only snapshot.
  virtual Status Read(const std::function<Status(Tx&)>& fn) = 0;
  // Moves committed pages out of any write-ahead log into the main file and
  // empties the log (after erasure, so no old page images linger).
  virtual Status Checkpoint() = 0;
  virtual Dialect dialect() const = 0;
};

// Convenience: first row of a query or NotFound.
Result<Row> QueryOne(Tx& tx, std::string_view sql, const Params& params, const std::string& what);

}  // namespace earshot::store
