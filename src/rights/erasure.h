// Erasure (DESIGN.md invariant 7). Deleting a recording or a whole subject
// removes every derived row and blob (clips, transcripts, annotations,
// listens, jobs) and, for a subject, destroys the data key first so whatever
// is not yet deleted is already unreadable. Each erasure is a recorded,
// resumable job: a crash mid-way is finished by ResumePendingErasures.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/row_states.h"

namespace earshot::rights {

struct ErasureReceipt {
  std::string erasure_id;
  int64_t recordings_erased = 0;
  int64_t completed_at_ms = 0;
};

// NotFound("no_such_recording") if it is not the subject's.
Result<ErasureReceipt> EraseRecording(Context& ctx, const std::string& subject_id,
                                      const std::string& recording_id);

// Erases everything held about the subject, including the account link.
Result<ErasureReceipt> EraseSubject(Context& ctx, const std::string& subject_id);

// One erasure as the privacy officers' console lists it: no subject or
// recording id.
struct ErasureRecord {
  std::string id;
  bool whole_subject = false;  // else one recording
  ErasureState state = ErasureState::kPending;
  int64_t requested_at_ms = 0;
  std::optional<int64_t> completed_at_ms;
};

// The latest `limit` erasures, newest first.
Result<std::vector<ErasureRecord>> RecentErasures(Context& ctx, int64_t limit);

// Finishes erasures interrupted by a crash. Returns how many were finished.
Result<int64_t> ResumePendingErasures(Context& ctx);

}  // namespace earshot::rights
