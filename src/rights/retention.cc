#include "rights/retention.h"

#include <set>
#include <vector>

#include "app/row_states.h"
#include "ingest/streams.h"
#include "util/log.h"

namespace earshot::rights {
namespace {

struct Expired {
  std::string id;
  std::string blob_name;
};

Result<std::vector<Expired>> ExpiredRecordings(Context& ctx, int64_t now) {
  std::vector<Expired> out;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    out.clear();  // a transaction may be re-run (store/db.h)
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT r.id, r.blob_name, r.captured_at, r.received_at, "
                                         "sub.retention, s.retention_default FROM recordings r "
                                         "JOIN subjects sub ON sub.id = r.subject_id "
                                         "JOIN streams s ON s.id = r.stream_id "
                                         "WHERE r.blob_name IS NOT NULL AND r.state = ?",
                                         {Sql(RecordingState::kStored)}));
    for (const auto& r : rows) {
      const std::string retention = r.IsNull(4) ? r.Text(5) : r.Text(4);
      auto days = ingest::RetentionDays(retention);
      if (!days) continue;
      const int64_t age_from = std::min(r.Int(2), r.Int(3));
      if (age_from + *days * kMsPerDay < now) out.push_back({r.Text(0), r.Text(1)});
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace

Result<SweepResult> RunRetentionSweep(Context& ctx) {
  SweepResult result;
  const int64_t now = ctx.clock().NowMs();
  ASSIGN_OR_RETURN(auto expired, ExpiredRecordings(ctx, now));
  for (const auto& e : expired) {
    // Row first: once blob_name is NULL nothing will try to read the blob.
    RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) {
      return tx
          .Exec("UPDATE recordings SET blob_name = NULL WHERE id = ? AND blob_name = ?",
                {e.id, e.blob_name})
          .status();
    }));
    RETURN_IF_ERROR(ctx.blobs().Delete(e.blob_name));
    ++result.raw_deleted;
  }
  std::vector<Expired> clips;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    clips.clear();  // a transaction may be re-run (store/db.h)
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, blob_name FROM clips WHERE blob_name IS NOT "
                                         "NULL AND review_ended_at IS NOT NULL AND "
                                         "review_ended_at < ?",
                                         {now - ctx.config().clip_retention_days * kMsPerDay}));
    for (const auto& r : rows) clips.push_back({r.Text(0), r.Text(1)});
    return Status::Ok();
  }));
  for (const auto& c : clips) {
    RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) {
      return tx
          .Exec("UPDATE clips SET blob_name = NULL, masked_text_sealed = '' WHERE id = ?", {c.id})
          .status();
    }));
    RETURN_IF_ERROR(ctx.blobs().Delete(c.blob_name));
    ++result.clips_deleted;
  }
  ctx.metrics().Add("earshot_retention_raw_deleted_total", result.raw_deleted);
  ctx.metrics().Add("earshot_retention_clips_deleted_total", result.clips_deleted);
  return result;
}

Result<int64_t> SweepOrphanBlobs(Context& ctx, int64_t older_than_ms) {
  // A page of the store at a time, each checked against the rows that
  // reference it: memory stays bounded however many blobs there are.
  int64_t removed = 0;
  std::string cursor;
  do {
    ASSIGN_OR_RETURN(auto page, ctx.blobs().List(cursor, store::BlobStore::kListPage));
    std::set<std::string> referenced;
    RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
      referenced.clear();
      for (const auto& entry : page.entries) {
        if (entry.modified_ms >= older_than_ms) continue;
        ASSIGN_OR_RETURN(auto rows,
                         tx.Query("SELECT 1 FROM recordings WHERE blob_name = ? UNION ALL "
                                  "SELECT 1 FROM clips WHERE blob_name = ? LIMIT 1",
                                  {entry.name, entry.name}));
        if (!rows.empty()) referenced.insert(entry.name);
      }
      return Status::Ok();
    }));
    for (const auto& entry : page.entries) {
      if (referenced.count(entry.name) || entry.modified_ms >= older_than_ms) continue;
      RETURN_IF_ERROR(ctx.blobs().Remove(entry));
      ++removed;
    }
    cursor = std::move(page.next);
  } while (!cursor.empty());
  if (removed > 0) LogInfo("orphan_blobs_removed", {{"count", std::to_string(removed)}});
  return removed;
}

}  // namespace earshot::rights
