#include "review/escalation.h"

#include "app/row_states.h"
#include "audio/decode.h"
#include "audit/audit_log.h"
#include "crypto/clip_keys.h"
#include "crypto/seal.h"
#include "review/plays.h"
#include "rights/subjects.h"
#include "util/random.h"

namespace earshot::review {
namespace {

Status NoSuchCase() {
  return NotFound("no_such_case", "no such escalation case");
}

struct CaseRow {
  EscalationState state;
  std::string subject_id, clip_id, requested_by_id;
};

Result<CaseRow> FindCase(store::Tx& tx, const std::string& case_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT state, subject_id, clip_id, requested_by "
                                       "FROM escalations WHERE id = ?",
                                       {case_id}));
  if (rows.empty()) return NoSuchCase();
  ASSIGN_OR_RETURN(
      const EscalationState state,
      ParseStored(kEscalationStates, rows[0].Text(0), "bad_case_state", "escalation " + case_id));
  return CaseRow{state, rows[0].Text(1), rows[0].Text(2), rows[0].IsNull(3) ? "" : rows[0].Text(3)};
}

}  // namespace

Status ApplyFlags(store::Tx& tx, Context& ctx, const staff::StaffMember& reviewer,
                  const std::string& task_id, const std::string& clip_id,
                  const std::set<std::string>& flags, const std::string& note) {
  const int64_t now = ctx.clock().NowMs();
  if (flags.count("intimate") || flags.count("pii_audible")) {
    RETURN_IF_ERROR(tx.Exec("UPDATE tasks SET state = ?, completed_at = ? WHERE "
                            "clip_id = ? AND id <> ? AND state IN (?, ?)",
                            {Sql(TaskState::kWithdrawn), now, clip_id, task_id,
                             Sql(TaskState::kQueued), Sql(TaskState::kLeased)})
                        .status());
    RETURN_IF_ERROR(audit::Append(tx, ctx, reviewer.pseudonym, "clip.withdraw", task_id,
                                  flags.count("intimate") ? "flag=intimate" : "flag=pii_audible"));
  }
  if (flags.count("pii_audible")) {
    RETURN_IF_ERROR(tx.Exec("INSERT INTO redaction_misses (clip_id, stream_id, reported_at) "
                            "SELECT id, stream_id, ? FROM clips WHERE id = ?",
                            {now, clip_id})
                        .status());
  }
  if (flags.count("distress")) {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT subject_id FROM clips WHERE id = ?", {clip_id}));
    if (rows.empty()) return NotFound("no_such_clip", "the clip is gone");
    const std::string subject_id = rows[0].Text(0);
    ASSIGN_OR_RETURN(std::string key, rights::SubjectKey(tx, ctx, subject_id));
    const std::string id = NewId(ctx.rng(), "esc");
    RETURN_IF_ERROR(
        tx.Exec("INSERT INTO escalations (id, clip_id, subject_id, note_sealed, state, opened_at, "
                "due_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                {id, clip_id, subject_id, crypto::SealText(key, note, "escnote:" + id, ctx.rng()),
                 Sql(EscalationState::kOpen), now, now + ctx.config().escalation_sla_ms})
            .status());
    RETURN_IF_ERROR(audit::Append(tx, ctx, reviewer.pseudonym, "escalation.open", id));
  }
  return Status::Ok();
}

void CountFlags(Context& ctx, const std::set<std::string>& flags) {
  if (flags.count("pii_audible")) ctx.metrics().Add("earshot_redaction_misses_total");
  if (flags.count("distress")) ctx.metrics().Add("earshot_escalations_opened_total");
}

Result<std::vector<EscalationCase>> ListOpenCases(Context& ctx) {
  std::vector<EscalationCase> cases;
  const int64_t now = ctx.clock().NowMs();
  Status st = ctx.db().Read([&](store::Tx& tx) -> Status {
    cases.clear();  // a transaction may be re-run (store/db.h)
    ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT e.id, e.state, e.opened_at, e.due_at, e.note_sealed, "
                 "e.subject_id, c.masked_text_sealed, c.duration_ms, c.id, "
                 "s.pseudonym, c.wrapped_key, e.requested_at, e.reason_sealed, "
                 "a.pseudonym, e.approved_at FROM escalations e JOIN clips c ON c.id = e.clip_id "
                 "LEFT JOIN staff s ON s.id = e.requested_by "
                 "LEFT JOIN staff a ON a.id = e.approved_by "
                 "WHERE e.state <> ? ORDER BY e.opened_at",
                 {Sql(EscalationState::kClosed)}));
    for (const auto& row : rows) {
      EscalationCase c;
      c.id = row.Text(0);
      ASSIGN_OR_RETURN(c.state, ParseStored(kEscalationStates, row.Text(1), "bad_case_state",
                                            "escalation " + c.id));
      c.opened_at_ms = row.Int(2);
      c.due_at_ms = row.Int(3);
      c.overdue = c.state == EscalationState::kOpen && now > c.due_at_ms;
      // A subject being erased has no key any more: their case is gone.
      auto subject_key = rights::SubjectKey(tx, ctx, row.Text(5));
      if (!subject_key.ok()) continue;
      const std::string& key = *subject_key;
      ASSIGN_OR_RETURN(c.note, crypto::OpenText(key, row.Text(4), "escnote:" + c.id));
      ASSIGN_OR_RETURN(std::string clip_key, crypto::UnwrapClipKey(key, row.Text(10), row.Text(8)));
      ASSIGN_OR_RETURN(c.masked_text,
                       crypto::OpenText(clip_key, row.Text(6), "cliptext:" + row.Text(8)));
      c.duration_ms = row.Int(7);
      if (!row.IsNull(9)) c.requested_by = row.Text(9);
      if (!row.IsNull(11)) c.requested_at_ms = row.Int(11);
      if (!row.IsNull(12)) {
        ASSIGN_OR_RETURN(c.reason, crypto::OpenText(key, row.Text(12), "escreason:" + c.id));
      }
      if (!row.IsNull(13)) c.approved_by = row.Text(13);
      if (!row.IsNull(14)) c.approved_at_ms = row.Int(14);
      cases.push_back(std::move(c));
    }
    return Status::Ok();
  });
  RETURN_IF_ERROR(st);
  return cases;
}

Result<ByteSlice> CaseAudio(Context& ctx, const staff::StaffMember& officer,
                            const std::string& case_id, const std::optional<ByteRangeSpec>& range) {
  std::string clip_id, recording_id, blob_name, clip_key;
  Status st = ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(CaseRow c, FindCase(tx, case_id));
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT recording_id, blob_name, wrapped_key FROM clips "
                                         "WHERE id = ? AND blob_name IS NOT NULL",
                                         {c.clip_id}));
    if (rows.empty()) return NotFound("clip_deleted", "the case's clip was deleted");
    clip_id = c.clip_id;
    recording_id = rows[0].Text(0);
    blob_name = rows[0].Text(1);
    ASSIGN_OR_RETURN(std::string subject_key, rights::SubjectKey(tx, ctx, c.subject_id));
    ASSIGN_OR_RETURN(clip_key, crypto::UnwrapClipKey(subject_key, rows[0].Text(2), clip_id));
    return Status::Ok();
  });
  RETURN_IF_ERROR(st);
  ASSIGN_OR_RETURN(std::string sealed, ctx.blobs().Get(blob_name));
  ASSIGN_OR_RETURN(std::string bytes, crypto::OpenClipAudio(clip_key, sealed, clip_id));
  audio::Pcm16 clip = audio::PcmFromBytes(bytes);
  ByteSlice slice = SliceBytes(audio::EncodeWav(clip), range);
  if (!slice.satisfiable) return slice;
  const PlayRequest play{
      clip_id, recording_id, officer.pseudonym, "escalation", "escalation.listen", case_id, 0};
  PlayOutcome outcome;
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(outcome,
                     RecordPlayBytes(tx, ctx, play, slice.first, slice.bytes.size(), slice.total));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(outcome.refusal);
  return MarkedSlice(ctx, std::move(clip), outcome.mark, range);
}

Status RequestDisclosure(Context& ctx, const staff::StaffMember& officer,
                         const std::string& case_id, const std::string& reason) {
  if (reason.empty() || reason.size() > 2000) {
    return InvalidArgument("reason_required", "a disclosure needs a reason (1-2000 characters)");
  }
  return ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(CaseRow c, FindCase(tx, case_id));
    if (c.state != EscalationState::kOpen) {
      return Conflict("bad_case_state", std::string("the case is ") + Sql(c.state));
    }
    ASSIGN_OR_RETURN(std::string key, rights::SubjectKey(tx, ctx, c.subject_id));
    RETURN_IF_ERROR(
        tx.Exec("UPDATE escalations SET state = ?, requested_by = ?, requested_at = ?, "
                "reason_sealed = ? WHERE id = ?",
                {Sql(EscalationState::kDisclosureRequested), officer.id, ctx.clock().NowMs(),
                 crypto::SealText(key, reason, "escreason:" + case_id, ctx.rng()), case_id})
            .status());
    return audit::Append(tx, ctx, officer.pseudonym, "escalation.disclosure_request", case_id);
  });
}

Result<Disclosure> ApproveDisclosure(Context& ctx, const staff::StaffMember& officer,
                                     const std::string& case_id) {
  Disclosure out;
  Status st = ctx.db().Write([&](store::Tx& tx) -> Status {
    out = Disclosure{};  // a transaction may be re-run (store/db.h)
    ASSIGN_OR_RETURN(CaseRow c, FindCase(tx, case_id));
    if (c.state != EscalationState::kDisclosureRequested) {
      return Conflict("bad_case_state", "no disclosure is waiting for approval on this case");
    }
    if (c.requested_by_id == officer.id) {
      // Refused attempts leave a trace too.
      RETURN_IF_ERROR(
          audit::Append(tx, ctx, officer.pseudonym, "escalation.approve_denied", case_id));
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT s.tenant, v.account_sealed FROM subjects s JOIN "
                                         "vault_accounts v ON v.subject_id = s.id WHERE s.id = ?",
                                         {c.subject_id}));
    if (rows.empty()) return NotFound("subject_erased", "the person's data was erased");
    ASSIGN_OR_RETURN(std::string key, rights::SubjectKey(tx, ctx, c.subject_id));
    out.tenant = rows[0].Text(0);
    ASSIGN_OR_RETURN(out.account,
                     crypto::OpenText(key, rows[0].Text(1), "account:" + c.subject_id));
    RETURN_IF_ERROR(
        tx.Exec("UPDATE escalations SET state = ?, approved_by = ?, "
                "approved_at = ? WHERE id = ?",
                {Sql(EscalationState::kDisclosed), officer.id, ctx.clock().NowMs(), case_id})
            .status());
    ASSIGN_OR_RETURN(out.audit_seq, audit::AppendEvent(tx, ctx, officer.pseudonym,
                                                       "escalation.disclose", case_id));
    return Status::Ok();
  });
  RETURN_IF_ERROR(st);
  if (out.account.empty()) {
    return Forbidden("four_eyes", "the officer who asked for a disclosure cannot approve it");
  }
  return out;
}

Status CloseCase(Context& ctx, const staff::StaffMember& officer, const std::string& case_id) {
  return ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(CaseRow c, FindCase(tx, case_id));
    if (c.state == EscalationState::kClosed) {
      return Conflict("bad_case_state", "the case is closed");
    }
    RETURN_IF_ERROR(tx.Exec("UPDATE escalations SET state = ?, closed_at = ? WHERE id = ?",
                            {Sql(EscalationState::kClosed), ctx.clock().NowMs(), case_id})
                        .status());
    return audit::Append(tx, ctx, officer.pseudonym, "escalation.close", case_id);
  });
}

Result<EscalationCounts> CountOpenCases(Context& ctx) {
  EscalationCounts counts;
  Status st = ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COUNT(*), SUM(CASE WHEN state = ? AND due_at < ? "
                                         "THEN 1 ELSE 0 END) FROM escalations WHERE state <> ?",
                                         {Sql(EscalationState::kOpen), ctx.clock().NowMs(),
                                          Sql(EscalationState::kClosed)}));
    counts.open = rows[0].Int(0);
    counts.overdue = rows[0].IsNull(1) ? 0 : rows[0].Int(1);
    return Status::Ok();
  });
  RETURN_IF_ERROR(st);
  return counts;
}

}  // namespace earshot::review
