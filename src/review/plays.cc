#include "review/plays.h"

#include "audit/audit_log.h"
#include "util/random.h"

namespace earshot::review {
namespace {

Result<PlayOutcome> Refuse(store::Tx& tx, Context& ctx, const PlayRequest& play, Status why) {
  RETURN_IF_ERROR(audit::Append(tx, ctx, play.pseudonym, play.audit_action + ".refused",
                                play.audit_target + " " + why.reason()));
  return PlayOutcome{false, std::move(why)};
}

Result<PlayOutcome> StartPlay(store::Tx& tx, Context& ctx, const PlayRequest& play,
                              uint64_t count) {
  if (play.max_plays > 0) {
    ASSIGN_OR_RETURN(auto plays, tx.Query("SELECT COUNT(*) FROM listens WHERE clip_id = ? AND "
                                          "reviewer_pseudonym = ? AND purpose = ?",
                                          {play.clip_id, play.pseudonym, play.purpose}));
    if (plays[0].Int(0) >= play.max_plays) {
      return Refuse(tx, ctx, play,
                    Conflict("play_limit", "this clip has been played the most times allowed"));
    }
  }
  RETURN_IF_ERROR(tx.Exec("INSERT INTO listens (id, recording_id, clip_id, reviewer_pseudonym, "
                          "purpose, at, bytes_served) VALUES (?, ?, ?, ?, ?, ?, ?)",
                          {NewId(ctx.rng(), "lsn"), play.recording_id, play.clip_id, play.pseudonym,
                           play.purpose, ctx.clock().NowMs(), static_cast<int64_t>(count)})
                      .status());
  RETURN_IF_ERROR(audit::Append(tx, ctx, play.pseudonym, play.audit_action, play.audit_target));
  return PlayOutcome{true, Status::Ok()};
}

Result<PlayOutcome> ContinuePlay(store::Tx& tx, Context& ctx, const PlayRequest& play,
                                 uint64_t count, uint64_t total) {
  const int64_t now = ctx.clock().NowMs();
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, bytes_served, at FROM listens WHERE clip_id = ? "
                                       "AND reviewer_pseudonym = ? AND purpose = ? "
                                       "ORDER BY at DESC, id DESC LIMIT 1",
                                       {play.clip_id, play.pseudonym, play.purpose}));
  if (rows.empty() || rows[0].Int(2) + ctx.config().play_live_ms < now) {
    return Refuse(tx, ctx, play,
                  Conflict("no_live_play", "start playing from the beginning of the clip"));
  }
  const int64_t served = rows[0].Int(1) + static_cast<int64_t>(count);
  if (served > kPlayByteAllowance * static_cast<int64_t>(total)) {
    return Refuse(tx, ctx, play,
                  Conflict("play_bytes_exhausted",
                           "this play has fetched the clip already; start a new play"));
  }
  RETURN_IF_ERROR(
      tx.Exec("UPDATE listens SET bytes_served = ? WHERE id = ?", {served, rows[0].Text(0)})
          .status());
  RETURN_IF_ERROR(
      audit::Append(tx, ctx, play.pseudonym, play.audit_action + ".range", play.audit_target));
  return PlayOutcome{false, Status::Ok()};
}

}  // namespace

Result<PlayOutcome> RecordPlayBytes(store::Tx& tx, Context& ctx, const PlayRequest& play,
                                    uint64_t first, uint64_t count, uint64_t total) {
  if (count == 0 || first + count > total) {
    return Internal("bad_play_bytes", "a play was asked for bytes outside the clip");
  }
  if (first == 0) return StartPlay(tx, ctx, play, count);
  return ContinuePlay(tx, ctx, play, count, total);
}

}  // namespace earshot::review
