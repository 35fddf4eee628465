// `earshot migrate-store`: moves a whole deployment (rows, sealed blobs, the
// audit chain with its anchor) from the embedded default to another store,
// usually PostgreSQL, for users who outgrow one machine. Stop earshot first:
// the source must not change while it is copied.
//
// Resumable (store/table_copy.h; blobs already in the target are checked, not
// copied again) and exclusive (two runs on one target wait for each other).
// Verified at the end: rows per table, every referenced blob byte for byte
// and decrypted with the target's keys, and the audit chain of the target (with the data
// directory's anchor file).
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "cli/commands.h"
#include "rights/vault_check.h"
#include "store/migrations.h"
#include "store/open.h"
#include "store/table_copy.h"

namespace earshot::cli {
namespace {

using nlohmann::json;

struct MigrateArgs {
  std::string data, from, from_blobs, to, to_blobs = "postgresql";
};

// The fault seam of the resume test: EARSHOT_TEST_FAULT=migrate_pages:N stops
// the copy after N pages, as a crash would.
int64_t FaultAfterPages() {
  const char* spec = std::getenv("EARSHOT_TEST_FAULT");
  const std::string prefix = "migrate_pages:";
  if (spec == nullptr || std::string(spec).rfind(prefix, 0) != 0) return -1;
  return std::atoll(spec + prefix.size());
}

// Every valid blob of `from` that `to` lacks, copied; one already there is
// compared instead. Returns {copied, already there}.
Result<std::pair<int64_t, int64_t>> CopyBlobs(store::BlobStore& from, store::BlobStore& to) {
  int64_t copied = 0, present = 0;
  std::string cursor;
  do {
    ASSIGN_OR_RETURN(auto page, from.List(cursor, store::BlobStore::kListPage));
    for (const auto& entry : page.entries) {
      if (!store::IsValidBlobName(entry.name)) continue;  // a stray file
      ASSIGN_OR_RETURN(std::string sealed, from.Get(entry.name));
      auto there = to.Get(entry.name);
      if (there.ok()) {
        if (*there != sealed) {
          return Corruption("blob_differs", "blob " + entry.name + " differs in the target");
        }
        ++present;
        continue;
      }
      if (there.status().code() != Code::kNotFound) return there.status();
      RETURN_IF_ERROR(to.Put(entry.name, sealed));
      ++copied;
    }
    cursor = std::move(page.next);
  } while (!cursor.empty());
  return std::pair{copied, present};
}

int Run(const MigrateArgs& args) {
  if (args.to.empty()) Fail(InvalidArgument("no_target", "--to URL is required"));
  Config from_config = DefaultConfig(args.data);
  from_config.db_url = args.from;
  from_config.blobs_url = args.from_blobs;
  auto source = Context::Open(from_config);
  if (!source.ok()) Fail(source.status());
  auto to_db = store::OpenDb(args.to, args.data, 4);
  if (!to_db.ok()) Fail(to_db.status());
  std::vector<store::TableCount> counts;
  std::pair<int64_t, int64_t> blobs;
  const int64_t fault = FaultAfterPages();
  int64_t pages = 0;
  Status st = (*to_db)->WithExclusiveLock("migrate-store", [&]() -> Status {
    RETURN_IF_ERROR(store::Migrate(**to_db));
    store::CopyOptions options;
    options.after_page = [&](const std::string& table, int64_t rows) -> Status {
      std::fprintf(stderr, "migrate-store: %s: %lld rows\n", table.c_str(),
                   static_cast<long long>(rows));
      if (fault >= 0 && ++pages >= fault) return Internal("fault_injected", "stopped by a test");
      return Status::Ok();
    };
    ASSIGN_OR_RETURN(counts, store::CopyTables((*source)->db(), **to_db, options));
    ASSIGN_OR_RETURN(auto target_blobs, store::OpenBlobStore(args.to_blobs, args.data, **to_db));
    ASSIGN_OR_RETURN(blobs, CopyBlobs((*source)->blobs(), *target_blobs));
    return Status::Ok();
  });
  if (!st.ok()) Fail(st);
  to_db->reset();

  // Verified as a server would open it: the copied key check, the chain.
  Config to_config = DefaultConfig(args.data);
  to_config.db_url = args.to;
  to_config.blobs_url = args.to_blobs;
  auto target = Context::Open(to_config);
  if (!target.ok()) Fail(target.status());
  bool ok = true;
  json tables = json::array();
  for (const auto& c : counts) {
    ok = ok && c.source_rows == c.target_rows;
    tables.push_back({{"table", c.table}, {"source", c.source_rows}, {"target", c.target_rows}});
  }
  auto checked = rights::VerifySealedCopies(**source, **target);
  auto chain = audit::Verify(**target);
  ok = ok && checked.ok() && chain.ok() && chain->ok;
  json report = {
      {"ok", ok},
      {"to", store::RedactUrl(args.to)},
      {"tables", tables},
      {"blobs",
       {{"copied", blobs.first},
        {"already_there", blobs.second},
        {"verified", checked.ok() ? json(*checked) : json(checked.status().message())}}},
      {"audit_chain",
       chain.ok()
           ? json{{"ok", chain->ok}, {"events", chain->head.events}, {"reason", chain->reason}}
           : json{{"ok", false}, {"reason", chain.status().message()}}}};
  std::printf("%s\n", report.dump(2).c_str());
  return ok ? 0 : 1;
}

}  // namespace

void AddMigrateStoreCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "migrate-store",
      "Copy a whole deployment (rows, blobs, audit chain) from SQLite to another store, e.g. "
      "PostgreSQL; resumable, verified at the end. Stop earshot first.");
  auto args = std::make_shared<MigrateArgs>();
  cmd->add_option("--data", args->data, "Data directory (its master key and anchor file)")
      ->required();
  cmd->add_option("--from", args->from, "Source database (default: <data>/earshot.db)");
  cmd->add_option("--from-blobs", args->from_blobs, "Source blobs (default: <data>/blobs)");
  cmd->add_option("--to", args->to, "Target database, e.g. postgresql://user@host/db")->required();
  cmd->add_option("--to-blobs", args->to_blobs,
                  "Target blobs: postgresql (default, in the target database) or files:///dir");
  AddLogLevelOption(*cmd);
  cmd->callback([args] { std::exit(Run(*args)); });
}

}  // namespace earshot::cli
