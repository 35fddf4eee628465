#include "store/open.h"

#include <cstdlib>

#include "store/db_blob_store.h"
#include "store/pg_db.h"
#include "store/sqlite_db.h"
#include "util/fs.h"

namespace earshot::store {
namespace {

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

Result<std::string> PercentDecode(const std::string& in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) {
      return InvalidArgument("bad_db_url",
                             "a % in the database URL is not followed by two hex digits");
    }
    const std::string hex = in.substr(i + 1, 2);
    char* end = nullptr;
    const long v = std::strtol(hex.c_str(), &end, 16);
    if (hex.size() != 2 || end != hex.c_str() + 2) {
      return InvalidArgument("bad_db_url",
                             "a % in the database URL is not followed by two hex digits");
    }
    out += static_cast<char>(v);
    i += 2;
  }
  return out;
}

bool IsIdentifier(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return !(s[0] >= '0' && s[0] <= '9');
}

// Splits earshot's own query parameters (schema, pool) off a PostgreSQL URL.
Result<DbLocation> ParsePostgres(const std::string& url) {
  DbLocation loc;
  loc.backend = Backend::kPostgres;
  const size_t q = url.find('?');
  loc.conninfo = url.substr(0, q);
  if (q == std::string::npos) return loc;
  std::string kept;
  size_t pos = q + 1;
  while (pos <= url.size()) {
    size_t amp = url.find('&', pos);
    if (amp == std::string::npos) amp = url.size();
    const std::string param = url.substr(pos, amp - pos);
    pos = amp + 1;
    if (param.empty()) continue;
    const size_t eq = param.find('=');
    const std::string key = param.substr(0, eq);
    ASSIGN_OR_RETURN(std::string value,
                     PercentDecode(eq == std::string::npos ? "" : param.substr(eq + 1)));
    if (key == "schema") {
      if (!IsIdentifier(value)) {
        return InvalidArgument("bad_db_url",
                               "schema= must be a lower-case SQL name ([a-z_][a-z0-9_]*)");
      }
      loc.schema = value;
    } else if (key == "pool") {
      char* end = nullptr;
      const long n = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || n < 2 || n > 1000) {
        return InvalidArgument("bad_db_url", "pool= must be a number of connections, 2 to 1000");
      }
      loc.pool_size = static_cast<int>(n);
    } else {
      kept += (kept.empty() ? "?" : "&") + param;
    }
  }
  loc.conninfo += kept;
  return loc;
}

}  // namespace

Result<DbLocation> ParseDbUrl(const std::string& url, const std::string& data_dir) {
  DbLocation loc;
  if (url.empty()) {
    loc.sqlite_path = data_dir + "/earshot.db";
    return loc;
  }
  if (StartsWith(url, "postgresql://") || StartsWith(url, "postgres://")) {
    return ParsePostgres(url);
  }
  if (StartsWith(url, "sqlite://")) {
    loc.sqlite_path = url.substr(9);  // sqlite:///abs -> /abs
    if (loc.sqlite_path.empty() || loc.sqlite_path[0] != '/') {
      return InvalidArgument("bad_db_url",
                             "sqlite:// takes an absolute path: sqlite:///path/to.db");
    }
    return loc;
  }
  if (StartsWith(url, "sqlite:")) {
    loc.sqlite_path = url.substr(7);
    if (loc.sqlite_path.empty()) return InvalidArgument("bad_db_url", "sqlite: needs a path");
    return loc;
  }
  if (url.find("://") != std::string::npos) {
    return InvalidArgument("bad_db_url", "unknown database URL scheme in \"" + RedactUrl(url) +
                                             "\": use a path, sqlite:///path or "
                                             "postgresql://user@host:port/db");
  }
  loc.sqlite_path = url;
  return loc;
}

Result<std::unique_ptr<Db>> OpenDb(const std::string& url, const std::string& data_dir,
                                   int default_pool) {
  ASSIGN_OR_RETURN(DbLocation loc, ParseDbUrl(url, data_dir));
  if (loc.backend == Backend::kSqlite) {
    ASSIGN_OR_RETURN(auto db, SqliteDb::Open(loc.sqlite_path));
    return std::unique_ptr<Db>(std::move(db));
  }
  PgOptions options;
  options.conninfo = loc.conninfo;
  options.schema = loc.schema;
  options.pool_size = loc.pool_size > 0 ? loc.pool_size : default_pool;
  auto db = PgDb::Open(options);
  if (!db.ok()) {
    return Status(db.status().code(), db.status().reason(),
                  db.status().message() + " (database " + RedactUrl(url) + ")");
  }
  return std::unique_ptr<Db>(std::move(db).value());
}

Result<std::unique_ptr<BlobStore>> OpenBlobStore(const std::string& url,
                                                 const std::string& data_dir, Db& db) {
  // With a shared database the default is the store every process sees: a
  // host's own files would hide blobs from the others (and an erasure run
  // elsewhere would take a blob it cannot see for one already deleted).
  if (url.empty() && db.dialect() == Dialect::kPostgres) {
    return std::unique_ptr<BlobStore>(std::make_unique<DbBlobStore>(db));
  }
  if (url.empty() || url == "files" || StartsWith(url, "files://")) {
    const bool explicit_dir = StartsWith(url, "files://");
    const std::string dir = explicit_dir ? url.substr(8) : data_dir + "/blobs";
    if (explicit_dir && (dir.empty() || dir[0] != '/')) {
      return InvalidArgument("bad_blobs_url", "files:// takes an absolute path: files:///dir");
    }
    RETURN_IF_ERROR(EnsureDir(dir));
    return std::unique_ptr<BlobStore>(std::make_unique<FileBlobStore>(dir));
  }
  if (url == "postgresql" || url == "database") {
    if (db.dialect() != Dialect::kPostgres) {
      return InvalidArgument("bad_blobs_url",
                             "--blobs postgresql keeps blobs in a PostgreSQL --db; this "
                             "deployment's database is SQLite (use --blobs files)");
    }
    return std::unique_ptr<BlobStore>(std::make_unique<DbBlobStore>(db));
  }
  return InvalidArgument(
      "bad_blobs_url", "unknown blob store \"" + url + "\": use files, files:///dir or postgresql");
}

std::string RedactUrl(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const size_t at = url.find('@', scheme + 3);
  const size_t slash = url.find('/', scheme + 3);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) {
    // No user info; a password may still be a query parameter.
    const size_t pw = url.find("password=");
    if (pw == std::string::npos) return url;
    const size_t end = url.find('&', pw);
    return url.substr(0, pw) + "password=***" + (end == std::string::npos ? "" : url.substr(end));
  }
  const size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

}  // namespace earshot::store
