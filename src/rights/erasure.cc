#include "rights/erasure.h"

#include <optional>
#include <vector>

#include "app/row_states.h"
#include "audit/audit_log.h"
#include "review/queue.h"
#include "review/training_export.h"
#include "util/log.h"

namespace earshot::rights {
namespace {

struct Pending {
  std::string id;
  std::string subject_id;
  std::string recording_id;  // empty: the whole subject
};

// Clause selecting the recordings an erasure covers.
std::string Scope(const Pending& e) {
  return e.recording_id.empty() ? "SELECT id FROM recordings WHERE subject_id = ?"
                                : "SELECT id FROM recordings WHERE id = ? AND subject_id = ?";
}

store::Params ScopeParams(const Pending& e) {
  if (e.recording_id.empty()) return {e.subject_id};
  return {e.recording_id, e.subject_id};
}

// Deletes the blobs (raw audio and clips) of everything in scope. Idempotent.
Status DeleteBlobs(Context& ctx, const Pending& e) {
  std::vector<std::string> names;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    names.clear();  // a transaction may be re-run (store/db.h)
    ASSIGN_OR_RETURN(auto recs, tx.Query("SELECT blob_name FROM recordings WHERE id IN (" +
                                             Scope(e) + ") AND blob_name IS NOT NULL",
                                         ScopeParams(e)));
    ASSIGN_OR_RETURN(auto clips, tx.Query("SELECT blob_name FROM clips WHERE recording_id IN (" +
                                              Scope(e) + ") AND blob_name IS NOT NULL",
                                          ScopeParams(e)));
    for (const auto& r : recs) names.push_back(r.Text(0));
    for (const auto& r : clips) names.push_back(r.Text(0));
    return Status::Ok();
  }));
  for (const auto& name : names) RETURN_IF_ERROR(ctx.blobs().Delete(name));
  return Status::Ok();
}

// Deletes every row in scope, leaves tombstones, completes the erasure.
Result<int64_t> DeleteRows(Context& ctx, const Pending& e) {
  int64_t erased = 0;
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    const int64_t now = ctx.clock().NowMs();
    const std::string recs = "(" + Scope(e) + ")";
    const std::string clips = "(SELECT id FROM clips WHERE recording_id IN " + recs + ")";
    const std::string tasks = "(SELECT id FROM tasks WHERE clip_id IN " + clips + ")";
    const store::Params p = ScopeParams(e);
    // Tombstones first (they name only random recording ids).
    const store::Value tomb_subject =
        e.recording_id.empty() ? store::Null() : store::Value(e.subject_id);
    ASSIGN_OR_RETURN(auto ids, tx.Query(Scope(e), p));
    for (const auto& r : ids) {
      RETURN_IF_ERROR(tx.Exec("INSERT INTO tombstones (recording_id, subject_id, erased_at) "
                              "VALUES (?, ?, ?) ON CONFLICT (recording_id) DO NOTHING",
                              {r.Text(0), tomb_subject, now})
                          .status());
    }
    erased = static_cast<int64_t>(ids.size());
    // Exported utterances of it are cut from it and listed as tombstones by
    // the next training export (review/training_export.h).
    RETURN_IF_ERROR(review::WithdrawFromExports(
        tx, ctx,
        e.recording_id.empty() ? review::ExportScope::kSubject : review::ExportScope::kRecording,
        e.recording_id.empty() ? e.subject_id : e.recording_id));
    // Cases and redaction misses go too: erasure is not suspended by a case
    // (its note and clip are the person's data).
    for (const std::string& sql : {"DELETE FROM escalations WHERE clip_id IN " + clips,
                                   "DELETE FROM redaction_misses WHERE clip_id IN " + clips,
                                   "DELETE FROM consensus WHERE clip_id IN " + clips,
                                   "DELETE FROM gold_results WHERE clip_id IN " + clips,
                                   "DELETE FROM gold_clips WHERE clip_id IN " + clips,
                                   "DELETE FROM annotations WHERE clip_id IN " + clips,
                                   "DELETE FROM task_skips WHERE task_id IN " + tasks,
                                   "DELETE FROM tasks WHERE clip_id IN " + clips,
                                   "DELETE FROM listens WHERE recording_id IN " + recs,
                                   "DELETE FROM clips WHERE recording_id IN " + recs,
                                   "DELETE FROM deid_jobs WHERE recording_id IN " + recs,
                                   "DELETE FROM recordings WHERE id IN " + recs}) {
      RETURN_IF_ERROR(tx.Exec(sql, p).status());
    }
    if (e.recording_id.empty()) {
      for (const char* sql : {"DELETE FROM consent_events WHERE subject_id = ?",
                              "DELETE FROM consents WHERE subject_id = ?",
                              "DELETE FROM vault_accounts WHERE subject_id = ?",
                              "UPDATE tombstones SET subject_id = NULL WHERE subject_id = ?",
                              "DELETE FROM subjects WHERE id = ?"}) {
        RETURN_IF_ERROR(tx.Exec(sql, {e.subject_id}).status());
      }
    }
    RETURN_IF_ERROR(tx.Exec("UPDATE erasures SET state = ?, completed_at = ? WHERE id = ?",
                            {Sql(ErasureState::kDone), now, e.id})
                        .status());
    return audit::Append(tx, ctx, "subject",
                         e.recording_id.empty() ? "subject.erased" : "recording.erased", e.id,
                         "recordings=" + std::to_string(erased));
  }));
  return erased;
}

Result<ErasureReceipt> Finish(Context& ctx, const Pending& e) {
  RETURN_IF_ERROR(DeleteBlobs(ctx, e));
  ASSIGN_OR_RETURN(int64_t erased, DeleteRows(ctx, e));
  // Flush the write-ahead log so no page image of deleted rows lingers in it.
  Status cp = ctx.db().Checkpoint();
  if (!cp.ok()) LogWarn("checkpoint_deferred", {{"reason", cp.reason()}});
  ctx.metrics().Add("earshot_erasures_total", 1, "scope",
                    e.recording_id.empty() ? "subject" : "recording");
  return ErasureReceipt{e.id, erased, ctx.clock().NowMs()};
}

// An erasure of the same scope already under way (a retry after a failure).
Result<std::optional<Pending>> FindPending(store::Tx& tx, const std::string& subject_id,
                                           const std::string& recording_id) {
  ASSIGN_OR_RETURN(auto rows,
                   recording_id.empty()
                       ? tx.Query("SELECT id FROM erasures WHERE subject_id = ? AND "
                                  "recording_id IS NULL AND state = ?",
                                  {subject_id, Sql(ErasureState::kPending)})
                       : tx.Query("SELECT id FROM erasures WHERE subject_id = ? AND "
                                  "recording_id = ? AND state = ?",
                                  {subject_id, recording_id, Sql(ErasureState::kPending)}));
  if (rows.empty()) return std::optional<Pending>();
  return std::optional<Pending>(Pending{rows[0].Text(0), subject_id, recording_id});
}

// Records the erasure (or finds the one under way) and, for a subject,
// destroys the data key at once.
Result<Pending> Begin(Context& ctx, const std::string& subject_id,
                      const std::string& recording_id) {
  const Pending fresh{NewId(ctx.rng(), "era"), subject_id, recording_id};
  Pending e = fresh;
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    e = fresh;  // a transaction may be re-run (store/db.h)
    if (!recording_id.empty()) {
      ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT state FROM recordings WHERE id = ? AND "
                                           "subject_id = ?",
                                           {recording_id, subject_id}));
      if (rows.empty()) return NotFound("no_such_recording", "no such recording");
    } else {
      ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT 1 FROM subjects WHERE id = ?", {subject_id}));
      if (rows.empty()) return NotFound("unknown_subject", "no data is held");
    }
    ASSIGN_OR_RETURN(auto pending, FindPending(tx, subject_id, recording_id));
    if (pending) {
      e = *pending;
      return Status::Ok();
    }
    if (!recording_id.empty()) {
      RETURN_IF_ERROR(tx.Exec("UPDATE recordings SET state = ? WHERE id = ?",
                              {Sql(RecordingState::kErasing), recording_id})
                          .status());
      // Stop everything that could still copy the recording.
      RETURN_IF_ERROR(
          review::WithdrawReview(tx, ctx, review::WithdrawScope::kRecording, recording_id)
              .status());
    } else {
      RETURN_IF_ERROR(
          review::WithdrawReview(tx, ctx, review::WithdrawScope::kSubject, subject_id).status());
      RETURN_IF_ERROR(tx.Exec("UPDATE recordings SET state = ? WHERE subject_id = ?",
                              {Sql(RecordingState::kErasing), subject_id})
                          .status());
      // Crypto-shred: without the wrapped key nothing of the subject decrypts.
      RETURN_IF_ERROR(
          tx.Exec("UPDATE subjects SET wrapped_key = '' WHERE id = ?", {subject_id}).status());
    }
    const store::Value rec = recording_id.empty() ? store::Null() : store::Value(recording_id);
    return tx
        .Exec(
            "INSERT INTO erasures (id, subject_id, recording_id, state, requested_at, "
            "completed_at) VALUES (?, ?, ?, ?, ?, NULL)",
            {e.id, subject_id, rec, Sql(ErasureState::kPending), ctx.clock().NowMs()})
        .status();
  }));
  return e;
}

}  // namespace

Result<ErasureReceipt> EraseRecording(Context& ctx, const std::string& subject_id,
                                      const std::string& recording_id) {
  ASSIGN_OR_RETURN(Pending e, Begin(ctx, subject_id, recording_id));
  return Finish(ctx, e);
}

Result<ErasureReceipt> EraseSubject(Context& ctx, const std::string& subject_id) {
  ASSIGN_OR_RETURN(Pending e, Begin(ctx, subject_id, ""));
  return Finish(ctx, e);
}

Result<int64_t> ResumePendingErasures(Context& ctx) {
  std::vector<Pending> pending;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    pending.clear();  // a transaction may be re-run (store/db.h)
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, subject_id, recording_id FROM erasures "
                                         "WHERE state = ? ORDER BY requested_at",
                                         {Sql(ErasureState::kPending)}));
    for (const auto& r : rows) pending.push_back({r.Text(0), r.Text(1), r.Text(2)});
    return Status::Ok();
  }));
  for (const auto& e : pending) RETURN_IF_ERROR(Finish(ctx, e).status());
  return static_cast<int64_t>(pending.size());
}

Result<std::vector<ErasureRecord>> RecentErasures(Context& ctx, int64_t limit) {
  std::vector<ErasureRecord> out;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    out.clear();
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, recording_id IS NULL, state, requested_at, "
                                         "completed_at FROM erasures "
                                         "ORDER BY requested_at DESC LIMIT ?",
                                         {limit}));
    for (const auto& r : rows) {
      ASSIGN_OR_RETURN(
          const ErasureState state,
          ParseStored(kErasureStates, r.Text(2), "bad_erasure_state", "erasure " + r.Text(0)));
      ErasureRecord e{r.Text(0), r.Int(1) != 0, state, r.Int(3), std::nullopt};
      if (!r.IsNull(4)) e.completed_at_ms = r.Int(4);
      out.push_back(std::move(e));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace earshot::rights
