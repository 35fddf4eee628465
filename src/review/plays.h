// Plays of a clip by staff: every byte of audio served to a reviewer or a
// privacy officer belongs to a counted, audited play (DESIGN.md invariant 6;
// issue 11 found byte ranges that fetched a clip with no play at all).
//
// The rule, for a request of bytes [first, first + count) of a clip whose
// WAV is `total` bytes:
//  - first == 0 starts a new play: no Range, "bytes=0-", "bytes=00-", or a
//    suffix range as long as the clip. It counts against the play limit
//    (when there is one), writes a listen the person recorded can see, and
//    an audit event.
//  - first > 0 continues the caller's latest play of the clip, only while
//    that play is live (it started at most Config::play_live_ms ago) and
//    while the bytes served under it, these included, stay within
//    kPlayByteAllowance times the clip's size. Each continuation is audited;
//    it writes no new listen.
// A refused play is audited too. Each listen draws a unique random 32-bit
// watermark number, and every byte served under it is cut from the clip
// marked with that number, so that a leaked copy names the listen.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/context.h"
#include "audio/pcm.h"
#include "store/db.h"
#include "util/byte_range.h"

namespace earshot::review {

// A player may fetch a clip again within one play (a seek back after its
// cache dropped the bytes), never more than twice over.
constexpr int64_t kPlayByteAllowance = 2;

struct PlayRequest {
  std::string clip_id;
  std::string recording_id;
  std::string pseudonym;     // the staff member listening
  std::string purpose;       // "review" or "escalation", as listens store it
  std::string audit_action;  // e.g. "task.listen"; refusals append ".refused"
  std::string audit_target;  // the task or case id
  int64_t max_plays = 0;     // 0: no limit
};

struct PlayOutcome {
  bool started = false;  // a new play (a listen) was recorded
  // The watermark the bytes must carry: the listen's own, new or continued
  // (privacy/watermark/watermark.h). Set when refusal is Ok.
  uint32_t mark = 0;
  // Not Ok when the bytes may not be served: Conflict("play_limit") past the
  // limit, Conflict("no_live_play") for a range when no play of the
  // caller's is live, Conflict("play_bytes_exhausted") past the allowance.
  // The refusal's audit event is in the transaction, so the caller commits
  // it and then refuses.
  Status refusal;
};

// Records `count` bytes from `first` of a `total`-byte clip per the rule
// above. Safe to re-run when the transaction is retried.
// REQUIRES: `tx` is a write transaction; 0 < count, first + count <= total.
Result<PlayOutcome> RecordPlayBytes(store::Tx& tx, Context& ctx, const PlayRequest& play,
                                    uint64_t first, uint64_t count, uint64_t total);

// The bytes of `range` of the clip as a WAV marked with `mark`: what a
// recorded play serves. The marked WAV is as long as the clip's own, so the
// range resolves as it did when the play was recorded.
ByteSlice MarkedSlice(Context& ctx, audio::Pcm16 clip, uint32_t mark,
                      const std::optional<ByteRangeSpec>& range);

}  // namespace earshot::review
