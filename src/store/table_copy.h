// Copying a deployment's rows from the embedded SQLite database into another
// database of the same schema version (`earshot migrate-store`, usually into
// PostgreSQL). Resumable: each page of rows is inserted in one target
// transaction together with the progress row that says how far the table
// has come (table store_copy_progress in the target), so a copy killed at
// any point goes on where it stopped when run again, with no row twice and
// none missing. Rows the target's migrations made (the audit chain's state
// and head) are replaced by the source's when a table is started.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "store/db.h"

namespace earshot::store {

struct TableCount {
  std::string table;
  int64_t source_rows = 0;
  int64_t target_rows = 0;
};

struct CopyOptions {
  int64_t page_rows = 500;
  // Called after each page committed (table, rows copied so far). Returning
  // an error stops the copy there (the fault seam of the resume tests).
  std::function<Status(const std::string& table, int64_t rows)> after_page;
};

// REQUIRES: `from` is SQLite (its rowids order the pages) and both are
// migrated to the same version (InvalidArgument("schema_mismatch") if not).
// Returns the row counts of every table, source and target, after the copy.
Result<std::vector<TableCount>> CopyTables(Db& from, Db& to, const CopyOptions& options = {});

}  // namespace earshot::store
