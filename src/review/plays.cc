#include "review/plays.h"

#include "audio/decode.h"
#include "audit/audit_log.h"
#include "util/random.h"

namespace earshot::review {
namespace {

Result<PlayOutcome> Refuse(store::Tx& tx, Context& ctx, const PlayRequest& play, Status why) {
  RETURN_IF_ERROR(audit::Append(tx, ctx, play.pseudonym, play.audit_action + ".refused",
                                play.audit_target + " " + why.reason()));
  return PlayOutcome{false, 0, std::move(why)};
}

// A watermark number no listen has yet. With 2^32 numbers a clash is rare
// until billions of listens; eight draws make a failure a matter of
// exhaustion, which is reported rather than reused.
Result<uint32_t> NewMark(store::Tx& tx, Context& ctx) {
  for (int attempt = 0; attempt < 8; ++attempt) {
    uint8_t b[4];
    ctx.rng().Fill(b, sizeof b);
    const uint32_t mark =
        (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | uint32_t{b[3]};
    ASSIGN_OR_RETURN(
        auto taken, tx.Query("SELECT 1 FROM listens WHERE mark = ?", {static_cast<int64_t>(mark)}));
    if (taken.empty()) return mark;
  }
  return Unavailable("marks_exhausted", "no free watermark number was found");
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
  ASSIGN_OR_RETURN(const uint32_t mark, NewMark(tx, ctx));
  RETURN_IF_ERROR(tx.Exec("INSERT INTO listens (id, recording_id, clip_id, reviewer_pseudonym, "
                          "purpose, at, bytes_served, mark) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          {NewId(ctx.rng(), "lsn"), play.recording_id, play.clip_id, play.pseudonym,
                           play.purpose, ctx.clock().NowMs(), static_cast<int64_t>(count),
                           static_cast<int64_t>(mark)})
                      .status());
  // The audit event keeps the mark too: it outlives the listen row when the
  // person recorded erases everything, and a leak can still be traced.
  RETURN_IF_ERROR(audit::Append(tx, ctx, play.pseudonym, play.audit_action, play.audit_target,
                                "mark=" + std::to_string(mark)));
  return PlayOutcome{true, mark, Status::Ok()};
}

Result<PlayOutcome> ContinuePlay(store::Tx& tx, Context& ctx, const PlayRequest& play,
                                 uint64_t count, uint64_t total) {
  const int64_t now = ctx.clock().NowMs();
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, bytes_served, at, mark FROM listens WHERE "
                                       "clip_id = ? AND reviewer_pseudonym = ? AND purpose = ? "
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
  // A play from before watermarks gets its number now.
  uint32_t mark = 0;
  if (rows[0].IsNull(3)) {
    ASSIGN_OR_RETURN(mark, NewMark(tx, ctx));
  } else {
    mark = static_cast<uint32_t>(rows[0].Int(3));
  }
  RETURN_IF_ERROR(tx.Exec("UPDATE listens SET bytes_served = ?, mark = ? WHERE id = ?",
                          {served, static_cast<int64_t>(mark), rows[0].Text(0)})
                      .status());
  RETURN_IF_ERROR(
      audit::Append(tx, ctx, play.pseudonym, play.audit_action + ".range", play.audit_target));
  return PlayOutcome{false, mark, Status::Ok()};
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

ByteSlice MarkedSlice(Context& ctx, audio::Pcm16 clip, uint32_t mark,
                      const std::optional<ByteRangeSpec>& range) {
  ctx.watermarker().Embed(clip, mark);
  return SliceBytes(audio::EncodeWav(clip), range);
}

}  // namespace earshot::review
