#include "review/workload.h"

#include "app/row_states.h"
#include "audit/audit_log.h"

namespace earshot::review {

Result<ShiftStatus> Shift(store::Tx& tx, Context& ctx, const staff::StaffMember& reviewer) {
  const Config& config = ctx.config();
  const int64_t now = ctx.clock().NowMs();
  ShiftStatus s;
  s.cap = config.shift_clip_cap;
  s.distress_cap = config.shift_distress_cap;
  // Flags are stored comma-joined; the padding makes the match whole-word.
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COUNT(*), SUM(CASE WHEN ',' || flags || ',' LIKE "
                                       "'%,distress,%' THEN 1 ELSE 0 END) FROM annotations "
                                       "WHERE reviewer_id = ? AND created_at > ?",
                                       {reviewer.id, now - config.shift_ms}));
  s.done = rows[0].Int(0);
  s.distress = rows[0].IsNull(1) ? 0 : rows[0].Int(1);
  ASSIGN_OR_RETURN(auto breaks, tx.Query("SELECT until FROM reviewer_breaks WHERE reviewer_id = ?",
                                         {reviewer.id}));
  if (!breaks.empty() && breaks[0].Int(0) > now) s.break_until_ms = breaks[0].Int(0);
  return s;
}

Result<ShiftStatus> GetShift(Context& ctx, const staff::StaffMember& reviewer) {
  ShiftStatus s;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(s, Shift(tx, ctx, reviewer));
    return Status::Ok();
  }));
  return s;
}

Status MayLease(const ShiftStatus& s, int64_t held, int64_t now_ms) {
  if (s.break_until_ms > now_ms) {
    return Conflict("on_break", "you are on a break; clips resume when it ends");
  }
  if (s.done + held >= s.cap) {
    return Conflict("shift_cap_reached", "you have reviewed this shift's maximum of clips");
  }
  if (s.distress >= s.distress_cap) {
    return Conflict("distress_cap_reached",
                    "you have heard this shift's maximum of distressing clips; please take a "
                    "break and talk to your lead");
  }
  return Status::Ok();
}

Result<ShiftStatus> TakeBreak(Context& ctx, const staff::StaffMember& reviewer) {
  ShiftStatus s;
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    const int64_t until = ctx.clock().NowMs() + ctx.config().break_ms;
    RETURN_IF_ERROR(
        tx.Exec("DELETE FROM reviewer_breaks WHERE reviewer_id = ?", {reviewer.id}).status());
    RETURN_IF_ERROR(tx.Exec("INSERT INTO reviewer_breaks (reviewer_id, until) VALUES (?, ?)",
                            {reviewer.id, until})
                        .status());
    // A break releases the leases held: nobody's clip waits on it.
    RETURN_IF_ERROR(tx.Exec("UPDATE tasks SET state = ?, reviewer_id = NULL "
                            "WHERE state = ? AND reviewer_id = ?",
                            {Sql(TaskState::kQueued), Sql(TaskState::kLeased), reviewer.id})
                        .status());
    RETURN_IF_ERROR(audit::Append(tx, ctx, reviewer.pseudonym, "review.break", "self"));
    ASSIGN_OR_RETURN(s, Shift(tx, ctx, reviewer));
    return Status::Ok();
  }));
  return s;
}

Result<ShiftStatus> EndBreak(Context& ctx, const staff::StaffMember& reviewer) {
  ShiftStatus s;
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(int64_t ended, tx.Exec("DELETE FROM reviewer_breaks WHERE reviewer_id = ? "
                                            "AND until > ?",
                                            {reviewer.id, ctx.clock().NowMs()}));
    if (ended == 0) return Conflict("not_on_break", "you are not on a break");
    RETURN_IF_ERROR(audit::Append(tx, ctx, reviewer.pseudonym, "review.break_end", "self"));
    ASSIGN_OR_RETURN(s, Shift(tx, ctx, reviewer));
    return Status::Ok();
  }));
  return s;
}

}  // namespace earshot::review
