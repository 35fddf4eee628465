// Erasure (DESIGN.md invariant 7). Deleting a recording or a whole subject
// removes every derived row and blob (clips, transcripts, annotations,
// listens, jobs) and, for a subject, destroys the data key first so whatever
// is not yet deleted is already unreadable. Each erasure is a recorded,
// resumable job: a crash mid-way is finished by ResumePendingErasures.
#pragma once

#include <string>

#include "app/context.h"

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

// Finishes erasures interrupted by a crash. Returns how many were finished.
Result<int64_t> ResumePendingErasures(Context& ctx);

}  // namespace earshot::rights
