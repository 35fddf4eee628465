// The backend factory: where a deployment's rows and sealed blobs live,
// chosen by URL (`--db`, `--blobs`; docs/operations.md, "Storage URLs").
//
//   --db     ""  or a path              SQLite: <data_dir>/earshot.db, or that file
//            sqlite:///abs/path.db      SQLite at an absolute path
//            sqlite:relative/path.db    SQLite relative to the working directory
//            postgresql://user@host:port/db[?schema=S&pool=N&...]
//                                       PostgreSQL (also postgres://); `schema` and
//                                       `pool` are earshot's, the rest libpq's
//   --blobs  ""                         files under <data_dir>/blobs with SQLite;
//                                       the database with PostgreSQL (the one
//                                       store every server and worker sees)
//            files                      encrypted files under <data_dir>/blobs
//            files:///abs/dir           encrypted files under that directory
//                                       (with PostgreSQL: a mount every host shares)
//            postgresql                 sealed blobs in the database (needs a
//                                       PostgreSQL --db)
#pragma once

#include <memory>
#include <string>

#include "store/blob_store.h"
#include "store/db.h"

namespace earshot::store {

enum class Backend { kSqlite, kPostgres };

struct DbLocation {
  Backend backend = Backend::kSqlite;
  std::string sqlite_path;  // kSqlite
  std::string conninfo;     // kPostgres: the URL without earshot's parameters
  std::string schema;       // kPostgres
  int pool_size = 0;        // kPostgres; 0: the caller's default
};

// InvalidArgument("bad_db_url") for a scheme earshot does not know or a
// malformed parameter.
Result<DbLocation> ParseDbUrl(const std::string& url, const std::string& data_dir);

// Opens (and does not migrate) the database `url` names. `default_pool` is
// the PostgreSQL pool size when the URL does not set one.
Result<std::unique_ptr<Db>> OpenDb(const std::string& url, const std::string& data_dir,
                                   int default_pool);

// Opens the blob store `url` names; `db` is the deployment's database (for
// blobs kept in it).
Result<std::unique_ptr<BlobStore>> OpenBlobStore(const std::string& url,
                                                 const std::string& data_dir, Db& db);

// `url` with any password replaced by "***", for logs and errors.
std::string RedactUrl(const std::string& url);

}  // namespace earshot::store
