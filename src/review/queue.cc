#include "review/queue.h"

#include <nlohmann/json.hpp>

#include "app/row_states.h"
#include "audio/decode.h"
#include "audio/peaks.h"
#include "audit/audit_log.h"
#include "crypto/clip_keys.h"
#include "crypto/seal.h"
#include "review/consensus.h"
#include "review/double_review.h"
#include "review/escalation.h"
#include "review/gold.h"
#include "review/plays.h"
#include "review/servable.h"
#include "review/workload.h"
#include "rights/subjects.h"
#include "store/claim.h"
#include "util/encoding.h"
#include "util/json_limits.h"
#include "util/word_errors.h"

namespace earshot::review {
namespace {

Status NoSuchTask() {
  return NotFound("no_such_task", "no such task is leased to you");
}

// Unwraps a clip's own key through its subject's key.
Result<std::string> ClipKey(store::Tx& tx, Context& ctx, const std::string& subject_id,
                            const std::string& clip_id, const std::string& wrapped) {
  ASSIGN_OR_RETURN(std::string subject_key, rights::SubjectKey(tx, ctx, subject_id));
  return crypto::UnwrapClipKey(subject_key, wrapped, clip_id);
}

struct LiveLease {
  std::string clip_id;
  std::string subject_id;
  std::string recording_id;
  std::string blob_name;
  std::string wrapped_key;
  bool gold = false;  // a gold task (review/gold.h)
};

// The task if `reviewer` holds its live lease and the clip is de-identified.
Result<LiveLease> FindLiveLease(store::Tx& tx, Context& ctx, const staff::StaffMember& reviewer,
                                const std::string& task_id) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT c.id, c.subject_id, c.recording_id, c.blob_name, "
                            "c.wrapped_key, t.gold FROM tasks t JOIN clips c ON c.id = t.clip_id "
                            "JOIN recordings r ON r.id = c.recording_id "
                            "WHERE t.id = ? AND t.state = ? AND t.reviewer_id = ? "
                            "AND t.lease_until >= ? AND c.deidentified = 1 "
                            "AND c.blob_name IS NOT NULL AND r.state = ?",
                            {task_id, Sql(TaskState::kLeased), reviewer.id, ctx.clock().NowMs(),
                             Sql(RecordingState::kStored)}));
  if (rows.empty()) return NoSuchTask();
  return LiveLease{rows[0].Text(0), rows[0].Text(1), rows[0].Text(2),
                   rows[0].Text(3), rows[0].Text(4), rows[0].Int(5) != 0};
}

// The columns TaskFromRow reads, from tasks t, clips c and streams s.
constexpr const char* kTaskColumns =
    "t.id, c.id, c.subject_id, c.wrapped_key, c.masked_text_sealed, c.duration_ms, s.name, "
    "t.lease_until, t.adjudication";

// The reviews of a clip, oldest first, for its adjudicator (gold reviews,
// review/gold.h, are not among them).
Result<std::vector<ReviewAnswers>> ReviewsOf(store::Tx& tx, Context& ctx,
                                             const std::string& subject_id,
                                             const std::string& clip_id) {
  ASSIGN_OR_RETURN(std::string subject_key, rights::SubjectKey(tx, ctx, subject_id));
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT a.id, a.transcript_sealed, a.intended, a.heard_accurately, "
                            "a.responded_appropriately FROM annotations a JOIN tasks t ON "
                            "t.id = a.task_id WHERE a.clip_id = ? AND t.gold = 0 "
                            "ORDER BY a.created_at, a.id",
                            {clip_id}));
  std::vector<ReviewAnswers> out;
  for (const auto& r : rows) {
    ASSIGN_OR_RETURN(std::string text,
                     crypto::OpenText(subject_key, r.Text(1), "anntext:" + r.Text(0)));
    out.push_back({std::move(text), StoredAnswer(r, 2), StoredAnswer(r, 3), StoredAnswer(r, 4)});
  }
  return out;
}

Result<LeasedTask> TaskFromRow(store::Tx& tx, Context& ctx, const store::Row& r) {
  ASSIGN_OR_RETURN(std::string clip_key, ClipKey(tx, ctx, r.Text(2), r.Text(1), r.Text(3)));
  ASSIGN_OR_RETURN(std::string masked,
                   crypto::OpenText(clip_key, r.Text(4), "cliptext:" + r.Text(1)));
  LeasedTask task;
  task.task_id = r.Text(0);
  task.stream_name = r.Text(6);
  task.duration_ms = r.Int(5);
  task.masked_hypothesis = std::move(masked);
  task.lease_expires_at_ms = r.Int(7);
  task.adjudication = r.Int(8) != 0;
  if (task.adjudication) {
    ASSIGN_OR_RETURN(task.reviews, ReviewsOf(tx, ctx, r.Text(2), r.Text(1)));
  }
  return task;
}

}  // namespace

Result<std::vector<LeasedTask>> ListLeases(Context& ctx, const staff::StaffMember& reviewer) {
  std::vector<LeasedTask> out;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    out.clear();  // a transaction may be re-run (store/db.h)
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query(std::string("SELECT ") + kTaskColumns +
                                  " FROM tasks t JOIN clips c ON c.id = t.clip_id "
                                  "JOIN recordings r ON r.id = c.recording_id AND r.state = ? "
                                  "JOIN streams s ON s.id = c.stream_id "
                                  "WHERE t.state = ? AND t.reviewer_id = ? AND t.lease_until >= ? "
                                  "AND c.deidentified = 1 AND c.blob_name IS NOT NULL "
                                  "ORDER BY t.lease_until, t.id",
                              {Sql(RecordingState::kStored), Sql(TaskState::kLeased), reviewer.id,
                               ctx.clock().NowMs()}));
    for (const auto& row : rows) {
      ASSIGN_OR_RETURN(LeasedTask task, TaskFromRow(tx, ctx, row));
      out.push_back(std::move(task));
    }
    return Status::Ok();
  }));
  return out;
}

// The leased task `task_id` as its reviewer sees it.
Result<LeasedTask> LoadTask(store::Tx& tx, Context& ctx, const std::string& task_id) {
  ASSIGN_OR_RETURN(auto row, store::QueryOne(tx,
                                             std::string("SELECT ") + kTaskColumns +
                                                 " FROM tasks t JOIN clips c ON c.id = t.clip_id "
                                                 "JOIN streams s ON s.id = c.stream_id "
                                                 "WHERE t.id = ?",
                                             {task_id}, "task"));
  return TaskFromRow(tx, ctx, row);
}

Result<std::optional<LeasedTask>> LeaseNext(Context& ctx, const staff::StaffMember& reviewer,
                                            LeaseKind kind) {
  std::optional<LeasedTask> out;
  bool gold = false;
  Status st = ctx.db().Write([&](store::Tx& tx) -> Status {
    out.reset();
    gold = false;
    const int64_t now = ctx.clock().NowMs();
    // A gold task that ran out is withdrawn, its reviewer kept (they were
    // given the clip); any other goes back to the queue.
    RETURN_IF_ERROR(tx.Exec("UPDATE tasks SET state = ?, completed_at = ? "
                            "WHERE state = ? AND lease_until < ? AND gold = 1",
                            {Sql(TaskState::kWithdrawn), now, Sql(TaskState::kLeased), now})
                        .status());
    RETURN_IF_ERROR(tx.Exec("UPDATE tasks SET state = ?, reviewer_id = NULL "
                            "WHERE state = ? AND lease_until < ?",
                            {Sql(TaskState::kQueued), Sql(TaskState::kLeased), now})
                        .status());
    ASSIGN_OR_RETURN(auto held, tx.Query("SELECT COUNT(*) FROM tasks WHERE state = ? "
                                         "AND reviewer_id = ?",
                                         {Sql(TaskState::kLeased), reviewer.id}));
    if (held[0].Int(0) >= kMaxLeasesPerReviewer) {
      return Conflict("lease_limit", "finish or skip a leased task before taking another");
    }
    ASSIGN_OR_RETURN(ShiftStatus shift, Shift(tx, ctx, reviewer));
    RETURN_IF_ERROR(MayLease(shift, held[0].Int(0), now));
    const SqlPart joins = ServableJoins();
    const SqlPart where = ServableConditions(reviewer, /*relisten_single=*/true);
    store::Params params;
    AppendParams(params, joins);
    params.push_back(Sql(TaskState::kQueued));
    params.push_back(int64_t{kind == LeaseKind::kAdjudication ? 1 : 0});
    AppendParams(params, where);
    ASSIGN_OR_RETURN(
        auto rows,
        tx.Query(std::string("SELECT ") + kTaskColumns +
                     ", c.stream_id, s.gold_share FROM tasks t JOIN clips c ON "
                     "c.id = t.clip_id" +
                     joins.sql + "WHERE t.state = ? AND t.adjudication = ? AND t.gold = 0" +
                     where.sql + "ORDER BY t.created_at, t.id LIMIT 1" + store::ForClaim(tx, "t"),
                 params));
    if (rows.empty()) return Status::Ok();
    const int64_t until = now + ctx.config().lease_ms;
    std::optional<std::string> gold_task;
    if (kind == LeaseKind::kReview) {
      ASSIGN_OR_RETURN(gold_task,
                       LeaseGoldTask(tx, ctx, reviewer, rows[0].Text(9), rows[0].Real(10), until));
    }
    LeasedTask task;
    if (gold_task) {
      // The ordinary task stays queued for the next reviewer.
      ASSIGN_OR_RETURN(task, LoadTask(tx, ctx, *gold_task));
      gold = true;
    } else {
      ASSIGN_OR_RETURN(task, TaskFromRow(tx, ctx, rows[0]));
      task.lease_expires_at_ms = until;
      // Guarded by the state read: a reviewer who lost the race changes no
      // row, and the claim re-runs for the next task (store/claim.h).
      ASSIGN_OR_RETURN(int64_t changed,
                       tx.Exec("UPDATE tasks SET state = ?, reviewer_id = ?, lease_until = ? "
                               "WHERE id = ? AND state = ?",
                               {Sql(TaskState::kLeased), reviewer.id, until, task.task_id,
                                Sql(TaskState::kQueued)}));
      RETURN_IF_ERROR(store::ClaimedOne(changed));
    }
    RETURN_IF_ERROR(audit::Append(tx, ctx, reviewer.pseudonym, "task.lease", task.task_id));
    out = std::move(task);
    return Status::Ok();
  });
  RETURN_IF_ERROR(st);
  if (out) ctx.metrics().Add("earshot_tasks_leased_total");
  if (gold) ctx.metrics().Add("earshot_gold_tasks_leased_total");
  return out;
}

namespace {

// The decrypted clip of a task whose live lease `reviewer` holds. A miss is
// audited (task.audio_denied) and returns NotFound("no_such_task").
Result<std::pair<LiveLease, audio::Pcm16>> LoadLeasedClip(Context& ctx,
                                                          const staff::StaffMember& reviewer,
                                                          const std::string& task_id) {
  LiveLease lease;
  std::string clip_key;
  Status st = ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(lease, FindLiveLease(tx, ctx, reviewer, task_id));
    ASSIGN_OR_RETURN(clip_key,
                     ClipKey(tx, ctx, lease.subject_id, lease.clip_id, lease.wrapped_key));
    return Status::Ok();
  });
  if (!st.ok()) {
    if (st.code() == Code::kNotFound) {
      (void)ctx.db().Write([&](store::Tx& tx) {
        return audit::Append(tx, ctx, reviewer.pseudonym, "task.audio_denied", task_id);
      });
    }
    return st;
  }
  ASSIGN_OR_RETURN(std::string sealed, ctx.blobs().Get(lease.blob_name));
  ASSIGN_OR_RETURN(std::string bytes, crypto::OpenClipAudio(clip_key, sealed, lease.clip_id));
  return std::pair{std::move(lease), audio::PcmFromBytes(bytes)};
}

}  // namespace

Result<int64_t> RenewLease(Context& ctx, const staff::StaffMember& reviewer,
                           const std::string& task_id) {
  const int64_t until = ctx.clock().NowMs() + ctx.config().lease_ms;
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    RETURN_IF_ERROR(FindLiveLease(tx, ctx, reviewer, task_id).status());
    return tx.Exec("UPDATE tasks SET lease_until = ? WHERE id = ?", {until, task_id}).status();
  }));
  return until;
}

Result<ClipOutline> TaskPeaks(Context& ctx, const staff::StaffMember& reviewer,
                              const std::string& task_id, int buckets) {
  ASSIGN_OR_RETURN(auto loaded, LoadLeasedClip(ctx, reviewer, task_id));
  ClipOutline out;
  out.peaks = audio::Peaks(loaded.second, buckets);
  out.duration_ms = loaded.second.DurationMs();
  std::string stored;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, store::QueryOne(tx, "SELECT bleeps FROM clips WHERE id = ?",
                                               {loaded.first.clip_id}, "clip"));
    stored = row.Text(0);
    return Status::Ok();
  }));
  const auto parsed = nlohmann::json::parse(stored, nullptr, false);
  if (parsed.is_array()) {
    for (const auto& r : parsed) {
      if (r.is_array() && r.size() == 2 && r[0].is_number_integer() && r[1].is_number_integer()) {
        out.bleeps.emplace_back(r[0].get<int64_t>(), r[1].get<int64_t>());
      }
    }
  }
  return out;
}

Result<ByteSlice> TaskAudio(Context& ctx, const staff::StaffMember& reviewer,
                            const std::string& task_id, const std::optional<ByteRangeSpec>& range) {
  ASSIGN_OR_RETURN(auto loaded, LoadLeasedClip(ctx, reviewer, task_id));
  const LiveLease& lease = loaded.first;
  ByteSlice slice = SliceBytes(audio::EncodeWav(loaded.second), range);
  if (!slice.satisfiable) return slice;  // no byte leaves: nothing to count
  // The lease is checked again where the play is recorded: consent may have
  // been revoked (or the lease lost) while the clip was being decrypted.
  const PlayRequest play{lease.clip_id,
                         lease.recording_id,
                         reviewer.pseudonym,
                         "review",
                         "task.listen",
                         task_id,
                         ctx.config().max_plays_per_task};
  PlayOutcome outcome;
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    RETURN_IF_ERROR(FindLiveLease(tx, ctx, reviewer, task_id).status());
    ASSIGN_OR_RETURN(outcome,
                     RecordPlayBytes(tx, ctx, play, slice.first, slice.bytes.size(), slice.total));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(outcome.refusal);
  if (outcome.started) ctx.metrics().Add("earshot_listens_total");
  return MarkedSlice(ctx, std::move(loaded.second), outcome.mark, range);
}

Result<AnnotationInput> ParseAnnotation(const std::string& text) {
  using nlohmann::json;
  auto bad = [](const std::string& msg) { return InvalidArgument("malformed_annotation", msg); };
  if (!IsValidUtf8(text)) return bad("annotation is not valid UTF-8");
  if (!JsonNestingWithin(text)) return bad("annotation nests too deeply");
  json obj = json::parse(text, nullptr, false);
  if (obj.is_discarded() || !obj.is_object()) return bad("annotation must be a JSON object");
  AnnotationInput in;
  auto it = obj.find("transcript");
  if (it == obj.end() || !it->is_string()) return bad("transcript (string) is required");
  in.transcript = it->get<std::string>();
  if (in.transcript.size() > 4096) return bad("transcript is longer than 4096 bytes");
  // Each question needs an answer; "cant_tell" is one (stored as no answer),
  // a missing or null one is not (issue 13: a clip submitted untouched must
  // not count as reviewed). Unanswered ones are named after every other
  // check, so a malformed body is still called malformed.
  std::string unanswered;
  for (auto [key, field] :
       {std::pair{"intended", &in.intended}, std::pair{"heard_accurately", &in.heard_accurately},
        std::pair{"responded_appropriately", &in.responded_appropriately}}) {
    auto f = obj.find(key);
    if (f == obj.end() || f->is_null()) {
      unanswered += (unanswered.empty() ? "" : ", ") + std::string(key);
    } else if (f->is_boolean()) {
      *field = f->get<bool>();
    } else if (!f->is_string() || f->get<std::string>() != kCantTell) {
      return bad(std::string(key) + " must be true, false or \"cant_tell\"");
    }
  }
  if (auto n = obj.find("note"); n != obj.end() && !n->is_null()) {
    if (!n->is_string() || n->get<std::string>().size() > 2000) {
      return bad("note must be a string of at most 2000 bytes");
    }
    in.note = n->get<std::string>();
  }
  if (auto g = obj.find("gold"); g != obj.end() && !g->is_null()) {
    if (!g->is_boolean()) return bad("gold must be true or false");
    in.mark_gold = g->get<bool>();
  }
  if (auto f = obj.find("flags"); f != obj.end() && !f->is_null()) {
    if (!f->is_array()) return bad("flags must be an array");
    for (const auto& flag : *f) {
      static const std::set<std::string> kFlags = {"distress", "intimate", "pii_audible",
                                                   "not_speech"};
      if (!flag.is_string() || !kFlags.count(flag.get<std::string>())) {
        return bad("flags may hold distress, intimate, pii_audible, not_speech");
      }
      in.flags.insert(flag.get<std::string>());
    }
  }
  if (!unanswered.empty()) {
    return InvalidArgument("missing_answer", "not answered: " + unanswered +
                                                 " (each takes true, false or \"cant_tell\")");
  }
  return in;
}

Status Annotate(Context& ctx, const staff::StaffMember& reviewer, const std::string& task_id,
                const AnnotationInput& input) {
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(LiveLease lease, FindLiveLease(tx, ctx, reviewer, task_id));
    ASSIGN_OR_RETURN(std::string subject_key, rights::SubjectKey(tx, ctx, lease.subject_id));
    const std::string id = NewId(ctx.rng(), "ann");
    const int64_t now = ctx.clock().NowMs();
    std::string flags;
    for (const auto& f : input.flags) flags += (flags.empty() ? "" : ",") + f;
    // The machine's (masked) hypothesis against what the reviewer heard, as
    // counts only: the quality report's word error rate needs no text.
    ASSIGN_OR_RETURN(auto masked_rows, tx.Query("SELECT masked_text_sealed FROM clips WHERE id = ?",
                                                {lease.clip_id}));
    ASSIGN_OR_RETURN(std::string clip_key,
                     ClipKey(tx, ctx, lease.subject_id, lease.clip_id, lease.wrapped_key));
    ASSIGN_OR_RETURN(std::string masked, crypto::OpenText(clip_key, masked_rows.at(0).Text(0),
                                                          "cliptext:" + lease.clip_id));
    const WordErrors we = CountWordErrors(input.transcript, masked);
    const bool scored = we.reference_words > 0 && !input.flags.count("not_speech");
    RETURN_IF_ERROR(
        tx.Exec("INSERT INTO annotations (id, task_id, clip_id, reviewer_id, transcript_sealed, "
                "note_sealed, intended, heard_accurately, responded_appropriately, flags, "
                "created_at, hyp_errors, ref_words) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {id, task_id, lease.clip_id, reviewer.id,
                 crypto::SealText(subject_key, input.transcript, "anntext:" + id, ctx.rng()),
                 crypto::SealText(subject_key, input.note, "annnote:" + id, ctx.rng()),
                 AnswerValue(input.intended), AnswerValue(input.heard_accurately),
                 AnswerValue(input.responded_appropriately), flags, now,
                 scored ? store::Value(we.errors) : store::Null(),
                 scored ? store::Value(we.reference_words) : store::Null()})
            .status());
    RETURN_IF_ERROR(tx.Exec("UPDATE tasks SET state = ?, completed_at = ? WHERE id = ?",
                            {Sql(TaskState::kDone), now, task_id})
                        .status());
    const ReviewAnswers answers{input.transcript, input.intended, input.heard_accurately,
                                input.responded_appropriately};
    if (input.mark_gold && reviewer.role != staff::Role::kLead) {
      return Forbidden("not_a_lead", "only a lead marks a clip gold");
    }
    if (lease.gold) {
      // Scored against the known answer; no consensus, no disagreement, and
      // the clip's retention is not restarted (review/gold.h).
      RETURN_IF_ERROR(
          ScoreGoldTask(tx, ctx, task_id, lease.clip_id, reviewer.id, subject_key, answers));
    } else {
      ASSIGN_OR_RETURN(Settlement settle,
                       SettleDisagreement(tx, ctx, lease.clip_id, id, subject_key, answers));
      if (settle != Settlement::kNone) {
        RETURN_IF_ERROR(audit::Append(
            tx, ctx, reviewer.pseudonym,
            settle == Settlement::kThirdReview ? "task.third_review" : "task.adjudication",
            task_id));
      }
      RETURN_IF_ERROR(RebuildConsensus(tx, ctx, lease.clip_id, subject_key, masked));
      // The clip's review ends with its last review (retention counts from then).
      RETURN_IF_ERROR(tx.Exec("UPDATE clips SET review_ended_at = ? WHERE id = ? AND NOT EXISTS "
                              "(SELECT 1 FROM tasks WHERE clip_id = ? AND state IN (?, ?))",
                              {now, lease.clip_id, lease.clip_id, Sql(TaskState::kQueued),
                               Sql(TaskState::kLeased)})
                          .status());
    }
    if (input.mark_gold) {
      RETURN_IF_ERROR(MarkGold(tx, ctx, reviewer, lease.clip_id, subject_key));
    }
    RETURN_IF_ERROR(audit::Append(tx, ctx, reviewer.pseudonym, "task.annotate", task_id,
                                  flags.empty() ? "" : "flags=" + flags));
    return ApplyFlags(tx, ctx, reviewer, task_id, lease.clip_id, input.flags, input.note);
  }));
  ctx.metrics().Add("earshot_tasks_done_total");
  CountFlags(ctx, input.flags);
  for (const auto& f : input.flags) ctx.metrics().Add("earshot_flags_total", 1, "flag", f);
  return Status::Ok();
}

Status Skip(Context& ctx, const staff::StaffMember& reviewer, const std::string& task_id) {
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(LiveLease lease, FindLiveLease(tx, ctx, reviewer, task_id));
    if (lease.gold) {
      // Never offered to anyone else (review/gold.h).
      RETURN_IF_ERROR(tx.Exec("UPDATE tasks SET state = ?, completed_at = ? WHERE id = ?",
                              {Sql(TaskState::kWithdrawn), ctx.clock().NowMs(), task_id})
                          .status());
    } else {
      RETURN_IF_ERROR(tx.Exec("UPDATE tasks SET state = ?, reviewer_id = NULL, "
                              "lease_until = 0 WHERE id = ?",
                              {Sql(TaskState::kQueued), task_id})
                          .status());
    }
    RETURN_IF_ERROR(tx.Exec("INSERT INTO task_skips (task_id, reviewer_id) VALUES (?, ?) "
                            "ON CONFLICT (task_id, reviewer_id) DO NOTHING",
                            {task_id, reviewer.id})
                        .status());
    return audit::Append(tx, ctx, reviewer.pseudonym, "task.skip", task_id);
  }));
  ctx.metrics().Add("earshot_tasks_skipped_total");
  return Status::Ok();
}

Result<int64_t> WithdrawReview(store::Tx& tx, Context& ctx, WithdrawScope scope,
                               const std::string& id) {
  // The column of clips, and of recordings, that holds `id`: fixed texts.
  const bool subject = scope == WithdrawScope::kSubject;
  const std::string clip_col = subject ? "subject_id" : "recording_id";
  const std::string recording_col = subject ? "subject_id" : "id";
  const int64_t now = ctx.clock().NowMs();
  ASSIGN_OR_RETURN(int64_t withdrawn,
                   tx.Exec("UPDATE tasks SET state = ?, reviewer_id = NULL, "
                           "completed_at = ? WHERE state IN (?, ?) AND clip_id IN "
                           "(SELECT id FROM clips WHERE " +
                               clip_col + " = ?)",
                           {Sql(TaskState::kWithdrawn), now, Sql(TaskState::kQueued),
                            Sql(TaskState::kLeased), id}));
  RETURN_IF_ERROR(tx.Exec("UPDATE clips SET review_ended_at = ? WHERE " + clip_col +
                              " = ? AND review_ended_at IS NULL",
                          {now, id})
                      .status());
  // Their gold clips stop being gold (review/gold.h).
  RETURN_IF_ERROR(tx.Exec("DELETE FROM gold_clips WHERE clip_id IN (SELECT id FROM clips WHERE " +
                              clip_col + " = ?)",
                          {id})
                      .status());
  RETURN_IF_ERROR(
      tx.Exec("UPDATE deid_jobs SET state = ?, updated_at = ? WHERE state IN "
              "(?, ?) AND recording_id IN (SELECT id FROM recordings WHERE " +
                  recording_col + " = ?)",
              {Sql(JobState::kDropped), now, Sql(JobState::kQueued), Sql(JobState::kRunning), id})
          .status());
  return withdrawn;
}

Result<std::vector<std::pair<std::string, int64_t>>> TaskCounts(Context& ctx) {
  std::vector<std::pair<std::string, int64_t>> out;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    out.clear();  // a transaction may be re-run (store/db.h)
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT state, COUNT(*) FROM tasks GROUP BY state", {}));
    for (const auto& r : rows) out.emplace_back(r.Text(0), r.Int(1));
    return Status::Ok();
  }));
  return out;
}

}  // namespace earshot::review
