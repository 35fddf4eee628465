// What makes a clip servable to a reviewer now, as SQL shared by the task
// queue (review/queue.h) and gold tasks (review/gold.h), so the two cannot
// drift apart: the recording stored, the subject's key not shredded, the
// subject's human_review consent active, the clip de-identified and not
// purged, its stream's region not paused, and the reviewer never given the
// clip before (under any task: skipped, held, reviewed, or heard).
//
// The fragments name clips c, recordings r, subjects sub, streams s and
// consents k; append Joins() after "FROM ... clips c" and Conditions() after
// a WHERE, each with its parameters in that order.
#pragma once

#include <string>

#include "staff/staff.h"
#include "store/db.h"

namespace earshot::review {

struct SqlPart {
  std::string sql;
  store::Params params;
};

// " JOIN recordings r ... JOIN consents k ..." for clip c.
SqlPart ServableJoins();

// " AND c.deidentified = 1 AND ..." for clip c and `reviewer`. Where
// `relisten_single` a reviewer who heard a single-review clip under a lease
// that ran out may be given it again (their one review is still wanted);
// gold tasks pass false (a gold clip heard before is not a fair test).
SqlPart ServableConditions(const staff::StaffMember& reviewer, bool relisten_single);

// Appends `part`'s parameters to `params`.
void AppendParams(store::Params& params, const SqlPart& part);

}  // namespace earshot::review
