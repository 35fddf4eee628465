// "What you said" and "what the reviewer heard", for the person recorded
// (issue 13, transparency): the machine's transcript of each recording (the
// product's hypothesis, which only its own subject ever sees whole) and, while
// they exist, the de-identified clips made from it, exactly as a reviewer
// receives them: the bleeped, anonymized audio and the masked text. Scoped to
// `subject_id` like everything in rights/: another subject's clip is NotFound,
// as one that does not exist.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "store/db.h"

namespace earshot::rights {

struct HeardClip {
  std::string id;
  std::string masked_text;  // the text the reviewer saw
  int64_t duration_ms = 0;
};

struct WhatWasHeard {
  std::optional<std::string> transcript;  // absent: the product sent no hypothesis
  std::vector<HeardClip> clips;           // de-identified clips whose audio still exists
};

// Inside a read of the subject's recordings. `subject_key` is SubjectKey's.
Result<WhatWasHeard> ReadWhatWasHeard(store::Tx& tx, const std::string& subject_key,
                                      const std::string& recording_id,
                                      const std::string& meta_sealed);

// The clip's audio as a WAV, as served to a reviewer (not counted as a
// listen: it is the person's own). NotFound("no_such_clip") when the clip is
// not the subject's, not de-identified, or deleted after its review.
Result<std::string> HeardClipWav(Context& ctx, const std::string& subject_id,
                                 const std::string& clip_id);

}  // namespace earshot::rights
