// Retention (DESIGN.md invariant 10) and blob housekeeping, run periodically
// by the server and on demand by `earshot sweep`. Time comes from ctx.clock().
#pragma once

#include "app/context.h"

namespace earshot::rights {

struct SweepResult {
  int64_t raw_deleted = 0;    // recordings whose raw audio passed retention
  int64_t clips_deleted = 0;  // clips past config.clip_retention_days after review
};

// Deletes raw audio older than the subject's retention (or, if they chose
// none, the stream's default; "never" keeps it) counted from the earlier of
// capture and receipt; and clips whose review ended more than
// clip_retention_days ago. Rows stay (for the subject's listing and metrics),
// their audio and masked text go.
Result<SweepResult> RunRetentionSweep(Context& ctx);

// Removes blob files that no row references (left by a crash between the blob
// write and the commit) and leftover temporary files, if last modified before
// `older_than_ms` (so in-flight writes are not touched). That bound is
// wall-clock Unix ms, as file times are, not ctx.clock(). Returns the count.
Result<int64_t> SweepOrphanBlobs(Context& ctx, int64_t older_than_ms);

// How old an unreferenced blob must be before it counts as an orphan: another
// process (a concurrent `earshot ingest`) may have written a blob it has not
// committed yet; no ingest takes anywhere near this long.
constexpr int64_t kOrphanGraceMs = 10 * kMsPerMinute;

}  // namespace earshot::rights
