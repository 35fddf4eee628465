// Workload limits per reviewer (issue 5): at most Config::shift_clip_cap
// clips and Config::shift_distress_cap distress-flagged clips in a shift,
// the last Config::shift_ms (a rolling window, so there is no boundary at
// which a fresh cap starts mid-shift). After a distress flag the reviewer is
// offered a break; taking one pauses assignment for Config::break_ms and
// counts against nothing.
// Thread-safe (all state in the database).
#pragma once

#include <cstdint>

#include "app/context.h"
#include "staff/staff.h"
#include "store/db.h"

namespace earshot::review {

struct ShiftStatus {
  int64_t done = 0;  // clips reviewed (annotated) in the window
  int64_t cap = 0;
  int64_t distress = 0;  // of those, flagged distress
  int64_t distress_cap = 0;
  int64_t break_until_ms = 0;  // 0: not on a break
};

Result<ShiftStatus> Shift(store::Tx& tx, Context& ctx, const staff::StaffMember& reviewer);
Result<ShiftStatus> GetShift(Context& ctx, const staff::StaffMember& reviewer);

// Whether the reviewer may take one more clip while holding `held` leases:
// Conflict("on_break"), Conflict("shift_cap_reached") or
// Conflict("distress_cap_reached").
Status MayLease(const ShiftStatus& shift, int64_t held, int64_t now_ms);

// Starts (or extends) a break of Config::break_ms; audited.
Result<ShiftStatus> TakeBreak(Context& ctx, const staff::StaffMember& reviewer);

// Ends the reviewer's break now, so assignment resumes (a reviewer who is
// ready before the time is up); audited review.break_end.
// Conflict("not_on_break") when no break is running.
Result<ShiftStatus> EndBreak(Context& ctx, const staff::StaffMember& reviewer);

}  // namespace earshot::review
