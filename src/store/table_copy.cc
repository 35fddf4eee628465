#include "store/table_copy.h"

namespace earshot::store {
namespace {

Result<int64_t> SchemaVersion(Db& db) {
  int64_t version = 0;
  RETURN_IF_ERROR(db.Read([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT MAX(version) FROM schema_migrations"));
    version = rows.at(0).Int(0);
    return Status::Ok();
  }));
  return version;
}

struct Table {
  std::string name;
  std::vector<std::string> columns;
};

// The source's tables in the order they were created, which is an order in
// which every referenced table comes before the tables that reference it.
// Sealed blobs kept in the database are not rows to copy here: they move
// through the BlobStore interface (`earshot migrate-store` copies and checks
// them), whichever store each side keeps them in.
Result<std::vector<Table>> SourceTables(Db& from) {
  std::vector<Table> tables;
  RETURN_IF_ERROR(from.Read([&](Tx& tx) -> Status {
    tables.clear();
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query("SELECT name FROM sqlite_master WHERE type = 'table' "
                              "AND name NOT LIKE 'sqlite_%' AND name NOT IN "
                              "('schema_migrations', 'store_copy_progress', 'sealed_blobs') "
                              "ORDER BY rowid"));
    for (const Row& row : rows) {
      Table t{row.Text(0), {}};
      ASSIGN_OR_RETURN(auto cols,
                       tx.Query("SELECT name FROM pragma_table_info(?) ORDER BY cid", {t.name}));
      for (const Row& c : cols) t.columns.push_back(c.Text(0));
      tables.push_back(std::move(t));
    }
    return Status::Ok();
  }));
  return tables;
}

std::string Join(const std::vector<std::string>& names, const std::string& each) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i)
    out += (i ? ", " : "") + (each.empty() ? names[i] : each);
  return out;
}

Result<int64_t> CountRows(Db& db, const std::string& table) {
  int64_t n = 0;
  RETURN_IF_ERROR(db.Read([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COUNT(*) FROM " + table));
    n = rows.at(0).Int(0);
    return Status::Ok();
  }));
  return n;
}

// PostgreSQL's serial columns continue after the copied ids.
Status AdvanceSequences(Db& to) {
  if (to.dialect() != Dialect::kPostgres) return Status::Ok();
  return to.Write([](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto serials,
                     tx.Query("SELECT table_name, column_name FROM information_schema.columns "
                              "WHERE table_schema = current_schema() AND column_default LIKE "
                              "'nextval(%'"));
    for (const Row& s : serials) {
      const std::string table = s.Text(0), column = s.Text(1);
      RETURN_IF_ERROR(tx.Query("SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT "
                               "MAX(" +
                                   column + ") FROM " + table + "), 0) + 1, false)",
                               {table, column})
                          .status());
    }
    return Status::Ok();
  });
}

}  // namespace

Result<std::vector<TableCount>> CopyTables(Db& from, Db& to, const CopyOptions& options) {
  if (from.dialect() != Dialect::kSqlite) {
    return InvalidArgument("migrate_from_sqlite",
                           "--from must be the embedded SQLite database (migrate-store moves a "
                           "deployment off the default)");
  }
  ASSIGN_OR_RETURN(int64_t from_version, SchemaVersion(from));
  ASSIGN_OR_RETURN(int64_t to_version, SchemaVersion(to));
  if (from_version != to_version) {
    return InvalidArgument("schema_mismatch", "the source is at schema version " +
                                                  std::to_string(from_version) +
                                                  ", the target at " + std::to_string(to_version));
  }
  RETURN_IF_ERROR(to.Write([](Tx& tx) {
    return tx.ExecScript(
        "CREATE TABLE IF NOT EXISTS store_copy_progress (name TEXT PRIMARY KEY, "
        "last_rowid BIGINT NOT NULL, copied BIGINT NOT NULL, done INTEGER NOT NULL)");
  }));
  ASSIGN_OR_RETURN(std::vector<Table> tables, SourceTables(from));
  std::vector<TableCount> counts;
  for (const Table& table : tables) {
    const std::string insert = "INSERT INTO " + table.name + " (" + Join(table.columns, "") +
                               ") VALUES (" + Join(table.columns, "?") + ")";
    const std::string select = "SELECT rowid, " + Join(table.columns, "") + " FROM " + table.name +
                               " WHERE rowid > ? ORDER BY rowid LIMIT ?";
    // Started: the target's own rows of this table go (the migrations' seed
    // rows), in the transaction that records the start.
    int64_t last = 0, copied = 0;
    bool done = false;
    RETURN_IF_ERROR(to.Write([&](Tx& tx) -> Status {
      ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT last_rowid, copied, done FROM "
                                           "store_copy_progress WHERE name = ?",
                                           {table.name}));
      if (!rows.empty()) {
        last = rows[0].Int(0);
        copied = rows[0].Int(1);
        done = rows[0].Int(2) != 0;
        return Status::Ok();
      }
      last = copied = 0;
      done = false;
      RETURN_IF_ERROR(tx.Exec("DELETE FROM " + table.name).status());
      return tx
          .Exec(
              "INSERT INTO store_copy_progress (name, last_rowid, copied, done) "
              "VALUES (?, 0, 0, 0)",
              {table.name})
          .status();
    }));
    while (!done) {
      std::vector<Row> page;
      RETURN_IF_ERROR(from.Read([&](Tx& tx) -> Status {
        ASSIGN_OR_RETURN(page, tx.Query(select, {last, options.page_rows}));
        return Status::Ok();
      }));
      const int64_t page_last = page.empty() ? last : page.back().Int(0);
      RETURN_IF_ERROR(to.Write([&](Tx& tx) -> Status {
        for (const Row& row : page) {
          Params values;
          for (size_t c = 1; c < row.size(); ++c) values.push_back(row.value(c));
          RETURN_IF_ERROR(tx.Exec(insert, values).status());
        }
        return tx
            .Exec(
                "UPDATE store_copy_progress SET last_rowid = ?, copied = copied + ?, done = ? "
                "WHERE name = ?",
                {page_last, static_cast<int64_t>(page.size()),
                 static_cast<int64_t>(page.empty() ? 1 : 0), table.name})
            .status();
      }));
      done = page.empty();
      last = page_last;
      copied += static_cast<int64_t>(page.size());
      if (!done && options.after_page) RETURN_IF_ERROR(options.after_page(table.name, copied));
    }
    TableCount count{table.name, 0, 0};
    ASSIGN_OR_RETURN(count.source_rows, CountRows(from, table.name));
    ASSIGN_OR_RETURN(count.target_rows, CountRows(to, table.name));
    counts.push_back(count);
  }
  RETURN_IF_ERROR(AdvanceSequences(to));
  return counts;
}

}  // namespace earshot::store
