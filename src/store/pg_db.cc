#include "store/pg_db.h"

#include <libpq-fe.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <thread>
#include <unordered_map>

namespace earshot::store {
namespace {

// Type OIDs of pg_type (server/catalog/pg_type_d.h, stable across versions).
constexpr Oid kBoolOid = 16, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kOidOid = 26,
              kFloat4Oid = 700, kFloat8Oid = 701, kNumericOid = 1700;

// Statements prepared per connection before the rest run unnamed.
constexpr size_t kMaxPrepared = 1024;

struct ResultCloser {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultCloser>;

// `?` placeholders become $1..$n; quoted text and identifiers are copied.
std::string Translate(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

bool IsRetryable(const std::string& sqlstate) {
  return sqlstate == "40001" || sqlstate == "40P01";
}

}  // namespace

struct PgDb::Conn {
  PGconn* pg = nullptr;
  std::unordered_map<std::string, std::string> prepared;  // key -> statement name
  bool broken = false;
  ~Conn() {
    if (pg) PQfinish(pg);
  }
};

namespace {

// What went wrong with one round trip, as the contract's statuses.
Status PgError(PgDb::Conn& conn, const PGresult* res, const std::string& what, bool* retryable) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state ? state : "";
  std::string detail = res ? PQresultErrorMessage(res) : "";
  if (detail.empty()) detail = PQerrorMessage(conn.pg);
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
  const std::string msg = what + ": " + detail;
  if (PQstatus(conn.pg) == CONNECTION_BAD || sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" ||
      sqlstate == "57P02" || sqlstate == "57P03") {
    conn.broken = true;
    return Unavailable("db_unreachable", "the database connection was lost: " + msg);
  }
  if (IsRetryable(sqlstate)) {
    if (retryable) *retryable = true;
    return Unavailable("db_conflict", "the write lost a concurrent conflict; retry: " + msg);
  }
  if (sqlstate.rfind("23", 0) == 0) return Conflict("db_constraint", msg);
  if (sqlstate == "57014") return Unavailable("db_timeout", "the statement timed out: " + msg);
  if (sqlstate.rfind("53", 0) == 0) {
    return Unavailable("db_full", "the database is out of space or resources: " + msg);
  }
  if (sqlstate == "22021" || sqlstate == "22P05") return InvalidArgument("db_encoding", msg);
  return Internal("db_error", msg);
}

Value Column(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col)) return std::monostate{};
  const char* text = PQgetvalue(res, row, col);
  switch (PQftype(res, col)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: return static_cast<int64_t>(std::strtoll(text, nullptr, 10));
    case kFloat4Oid:
    case kFloat8Oid: return std::strtod(text, nullptr);
    case kNumericOid:
      // SUM of integers is numeric: integral values stay integers.
      if (std::strpbrk(text, ".eEN") == nullptr) {
        return static_cast<int64_t>(std::strtoll(text, nullptr, 10));
      }
      return std::strtod(text, nullptr);
    case kBoolOid: return static_cast<int64_t>(text[0] == 't' ? 1 : 0);
    default: return std::string(text, static_cast<size_t>(PQgetlength(res, row, col)));
  }
}

class PgTx final : public Tx {
 public:
  explicit PgTx(PgDb::Conn& conn) : conn_(conn) {}

  Result<int64_t> Exec(std::string_view sql, const Params& params) override {
    ASSIGN_OR_RETURN(ResultPtr res, Run(sql, params));
    const char* tuples = PQcmdTuples(res.get());
    return static_cast<int64_t>(tuples && *tuples ? std::strtoll(tuples, nullptr, 10) : 0);
  }

  Result<std::vector<Row>> Query(std::string_view sql, const Params& params) override {
    ASSIGN_OR_RETURN(ResultPtr res, Run(sql, params));
    const int nrows = PQntuples(res.get()), ncols = PQnfields(res.get());
    std::vector<Row> rows;
    rows.reserve(static_cast<size_t>(nrows));
    for (int r = 0; r < nrows; ++r) {
      std::vector<Value> cols;
      cols.reserve(static_cast<size_t>(ncols));
      for (int c = 0; c < ncols; ++c) cols.push_back(Column(res.get(), r, c));
      rows.emplace_back(std::move(cols));
    }
    return rows;
  }

  Status ExecScript(std::string_view sql) override {
    if (Status st = Usable(); !st.ok()) return st;
    ResultPtr res(PQexec(conn_.pg, std::string(sql).c_str()));
    return Check(res.get(), "script").status();
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

  // One statement outside Exec/Query (BEGIN, COMMIT); returns its command tag.
  Result<std::string> Command(const char* sql) {
    ResultPtr res(PQexec(conn_.pg, sql));
    ASSIGN_OR_RETURN(PGresult * ok, Check(res.get(), sql));
    return std::string(PQcmdStatus(ok));
  }

  bool retryable() const { return retryable_; }
  // The first statement error, kept: PostgreSQL aborts the transaction
  // after any error, so a callback that ignored one cannot commit.
  const Status& first_error() const { return first_error_; }

 private:
  Status Usable() const {
    if (!first_error_.ok()) {
      return Internal("db_aborted", "an earlier statement of this transaction failed (" +
                                        first_error_.message() + ")");
    }
    return Status::Ok();
  }

  Result<PGresult*> Check(PGresult* res, const std::string& what) {
    const ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return res;
    Status err = PgError(conn_, res, what, &retryable_);
    if (first_error_.ok()) first_error_ = err;
    return err;
  }

  Result<ResultPtr> Run(std::string_view sql, const Params& params) {
    if (Status st = Usable(); !st.ok()) return st;
    std::vector<Oid> types(params.size(), 0);
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::string key(sql);
    key += '\x1f';
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (auto* p = std::get_if<int64_t>(&v)) {
        types[i] = kInt8Oid;
        text[i] = std::to_string(*p);
        key += 'i';
      } else if (auto* p = std::get_if<double>(&v)) {
        types[i] = kFloat8Oid;
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", *p);
        text[i] = buf;
        key += 'd';
      } else if (auto* p = std::get_if<std::string>(&v)) {
        // Untyped: the server infers the column's type, as SQLite would accept it.
        if (p->find('\0') != std::string::npos) {
          return InvalidArgument("db_encoding", "text parameters cannot hold NUL bytes");
        }
        text[i] = *p;
        key += 's';
      } else {
        key += 'n';
        continue;  // NULL: values[i] stays nullptr
      }
      values[i] = text[i].c_str();
    }
    const int n = static_cast<int>(params.size());
    auto it = conn_.prepared.find(key);
    if (it == conn_.prepared.end() && conn_.prepared.size() < kMaxPrepared) {
      const std::string name = "s" + std::to_string(conn_.prepared.size());
      const std::string translated = Translate(sql);
      ResultPtr prep(PQprepare(conn_.pg, name.c_str(), translated.c_str(), n, types.data()));
      RETURN_IF_ERROR(Check(prep.get(), "prepare").status());
      it = conn_.prepared.emplace(std::move(key), name).first;
    }
    ResultPtr res;
    if (it != conn_.prepared.end()) {
      res.reset(
          PQexecPrepared(conn_.pg, it->second.c_str(), n, values.data(), nullptr, nullptr, 0));
    } else {
      res.reset(PQexecParams(conn_.pg, Translate(sql).c_str(), n, types.data(), values.data(),
                             nullptr, nullptr, 0));
    }
    RETURN_IF_ERROR(Check(res.get(), "statement").status());
    return res;
  }

  PgDb::Conn& conn_;
  bool retryable_ = false;
  Status first_error_;
};

Status RunGuarded(const std::function<Status(Tx&)>& fn, Tx& tx) {
  try {
    return fn(tx);
  } catch (const std::exception& e) {
    return Internal("exception", std::string("transaction callback threw: ") + e.what());
  } catch (...) {
    return Internal("exception", "transaction callback threw a non-standard exception");
  }
}

void Quiet(void*, const char*) {}  // NOTICEs ("schema exists, skipping") are not errors

std::string QuoteIdent(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace

PgDb::PgDb(PgOptions options) : options_(std::move(options)) {}
PgDb::~PgDb() = default;

Result<std::unique_ptr<PgDb>> PgDb::Open(PgOptions options) {
  if (options.pool_size < 2) options.pool_size = 2;  // WithExclusiveLock holds one
  std::unique_ptr<PgDb> db(new PgDb(std::move(options)));
  ASSIGN_OR_RETURN(auto conn, db->Connect());
  {
    MutexLock lock(db->mu_);
    ++db->open_;
  }
  db->Return(std::move(conn));
  return db;
}

Result<std::unique_ptr<PgDb::Conn>> PgDb::Connect() {
  const std::string timeout = std::to_string(options_.connect_timeout_s);
  // Ours first: what the URL itself says overrides them.
  const char* keys[] = {"connect_timeout",
                        "application_name",
                        "keepalives_idle",
                        "keepalives_interval",
                        "keepalives_count",
                        "dbname",
                        nullptr};
  const char* values[] = {timeout.c_str(),           "earshot", "10", "5", "3",
                          options_.conninfo.c_str(), nullptr};
  auto conn = std::make_unique<Conn>();
  conn->pg = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn->pg == nullptr) return Internal("db_error", "out of memory connecting to PostgreSQL");
  if (PQstatus(conn->pg) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn->pg);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return Unavailable("db_unreachable", "cannot connect to PostgreSQL: " + msg);
  }
  PQsetNoticeProcessor(conn->pg, Quiet, nullptr);
  std::string setup = "SET statement_timeout = " + std::to_string(options_.statement_timeout_ms) +
                      "; SET idle_in_transaction_session_timeout = " +
                      std::to_string(options_.statement_timeout_ms * 2) +
                      "; SET client_encoding = 'UTF8';";
  if (!options_.schema.empty()) {
    const std::string schema = QuoteIdent(options_.schema);
    setup += "CREATE SCHEMA IF NOT EXISTS " + schema + "; SET search_path TO " + schema + ";";
  }
  PgTx tx(*conn);
  if (Status st = tx.ExecScript(setup); !st.ok()) {
    // Two first connections can race to create the schema: once more.
    PgTx again(*conn);
    RETURN_IF_ERROR(again.ExecScript(setup));
  }
  MutexLock lock(mu_);
  ++connections_opened_;
  return conn;
}

Result<std::unique_ptr<PgDb::Conn>> PgDb::Borrow() {
  {
    MutexLock lock(mu_);
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.pool_wait_ms);
    while (idle_.empty() && open_ >= options_.pool_size) {
      if (freed_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
          open_ >= options_.pool_size) {
        return Unavailable("db_pool_exhausted",
                           "every database connection is busy; retry (pool size " +
                               std::to_string(options_.pool_size) + ")");
      }
    }
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
    ++open_;
  }
  auto conn = Connect();
  if (!conn.ok()) {
    MutexLock lock(mu_);
    --open_;
    freed_.notify_one();
  }
  return conn;
}

void PgDb::Return(std::unique_ptr<Conn> conn) {
  std::vector<std::unique_ptr<Conn>> dead;
  {
    MutexLock lock(mu_);
    if (conn->broken || PQstatus(conn->pg) != CONNECTION_OK ||
        PQtransactionStatus(conn->pg) != PQTRANS_IDLE) {
      // One broken connection usually means the server restarted: every
      // idle one is dead too. Close them all; new ones are opened on demand.
      dead.push_back(std::move(conn));
      for (auto& c : idle_) dead.push_back(std::move(c));
      open_ -= static_cast<int>(dead.size());
      idle_.clear();
    } else {
      idle_.push_back(std::move(conn));
    }
    freed_.notify_all();
  }
  // `dead` closes here, outside the lock.
}

Status PgDb::Run(bool write, const std::function<Status(Tx&)>& fn) {
  thread_local std::minstd_rand jitter(std::random_device{}());
  Status last;
  const bool can_lock = write && !options_.retry_lock_table.empty();
  bool lock_first = false;  // after a lost conflict (PgOptions::retry_lock_table)
  for (int attempt = 0; attempt < options_.max_attempts; ++attempt) {
    if (attempt > 0) {
      {
        MutexLock lock(mu_);
        ++retries_;
      }
      // The first locked re-run waits on the lock, not on a timer.
      if (!lock_first || attempt > 1) {
        const int cap_us = std::min(100'000, 200 << std::min(attempt, 9));
        std::this_thread::sleep_for(
            std::chrono::microseconds(std::uniform_int_distribution<int>(0, cap_us)(jitter)));
      }
    }
    ASSIGN_OR_RETURN(auto conn, Borrow());
    PgTx tx(*conn);
    auto begun = tx.Command(write ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                                  : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (begun.ok() && lock_first) {
      const std::string lock = "LOCK TABLE " + options_.retry_lock_table + " IN EXCLUSIVE MODE";
      begun = tx.Command(lock.c_str());
      if (!begun.ok() && !conn->broken) {
        // No such table yet (a schema before its migration): re-run unlocked.
        (void)tx.Command("ROLLBACK");
        Return(std::move(conn));
        lock_first = false;
        last = begun.status();
        continue;
      }
    }
    if (!begun.ok()) {
      const bool broken = conn->broken;
      Return(std::move(conn));
      last = begun.status();
      if (broken) continue;  // a connection the server closed: a fresh one
      return last;
    }
    Status st = RunGuarded(fn, tx);
    if (st.ok() && !tx.first_error().ok()) st = tx.first_error();  // an error it ignored
    if (st.ok()) {
      auto tag = tx.Command("COMMIT");
      if (tag.ok() && *tag == "COMMIT") {
        Return(std::move(conn));
        return Status::Ok();
      }
      const bool broken = conn->broken, retry = tx.retryable();
      Return(std::move(conn));
      if (retry) {
        last = tag.status();
        lock_first = can_lock;
        continue;  // a serialization failure at commit: nothing was committed
      }
      if (broken) {
        return Unavailable("db_commit_unknown",
                           "the database connection broke during commit; the write may or may "
                           "not have been saved");
      }
      return tag.ok() ? Internal("db_aborted", "the transaction was rolled back") : tag.status();
    }
    if (!conn->broken) (void)tx.Command("ROLLBACK");
    // A lost claim (store/claim.h) re-runs like a serialization conflict.
    const bool broken = conn->broken, retry = tx.retryable() || st.reason() == "claim_lost";
    Return(std::move(conn));
    if (!retry && !broken) return st;
    if (tx.retryable()) lock_first = can_lock;
    last = st;
  }
  return last.ok() ? Unavailable("db_conflict", "the write kept conflicting; retry") : last;
}

Status PgDb::Write(const std::function<Status(Tx&)>& fn) {
  return Run(true, fn);
}

Status PgDb::Read(const std::function<Status(Tx&)>& fn) {
  return Run(false, fn);
}

Status PgDb::WithExclusiveLock(std::string_view name, const std::function<Status()>& fn) {
  // A connection of its own (not the pool's): the session lock lives as long
  // as it does, so a crash of this process releases it.
  ASSIGN_OR_RETURN(auto conn, Connect());
  PgTx tx(*conn);
  const std::string key = "earshot:" + options_.schema + ":" + std::string(name);  // per deployment
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT pg_advisory_lock(hashtext(?))", {key}));
  Status st = fn();
  PgTx unlock(*conn);
  (void)unlock.Query("SELECT pg_advisory_unlock(hashtext(?))", {key});
  return st;
}

Status PgDb::Checkpoint() {
  std::vector<std::string> tables;
  RETURN_IF_ERROR(Read([&](Tx& tx) -> Status {
    tables.clear();
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT tablename FROM pg_tables WHERE schemaname = "
                                         "current_schema()"));
    for (const Row& row : rows) tables.push_back(row.Text(0));
    return Status::Ok();
  }));
  ASSIGN_OR_RETURN(auto conn, Borrow());
  PgTx tx(*conn);
  Status st;
  for (const std::string& table : tables) {
    st = tx.ExecScript("VACUUM " + QuoteIdent(table));  // not in a transaction block
    if (!st.ok()) break;
  }
  Return(std::move(conn));
  return st;
}

int64_t PgDb::retries() const {
  MutexLock lock(mu_);
  return retries_;
}

int64_t PgDb::connections_opened() const {
  MutexLock lock(mu_);
  return connections_opened_;
}

}  // namespace earshot::store
