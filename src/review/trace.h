// Tracing a leaked recording to the listen it came from (issue 16):
// the deployment's watermark (privacy/watermark/watermark.h) is looked for
// in the audio, and the listen number it carries is looked up: in the
// listens, or, where the person recorded has since erased everything and the
// listen row went with it, in the audit log, which keeps each listen's
// mark. Every trace is audited (watermark.trace). For privacy officers and
// the host's operator only: it names a reviewer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "audio/pcm.h"
#include "privacy/watermark/watermark.h"

namespace earshot::review {

struct TracedListen {
  int64_t mark = 0;
  std::string reviewer;  // pseudonym
  std::string purpose;   // review or escalation
  std::string target;    // the task or case id
  int64_t at_ms = 0;
  std::string stream;   // empty when only the audit log remembers it
  bool erased = false;  // the listen row is gone; the audit log named it
};

struct TraceResult {
  privacy::watermark::Detection detection;
  std::optional<TracedListen> listen;  // set when the mark names a listen
  // Further listens named by the decoder's other CRC-matching payloads: a
  // copy mixed from two reviewers' copies (averaged) names both. A payload
  // that is no listen on record is dropped (noise that passed the CRC).
  std::vector<TracedListen> also;
};

// `actor` is who asks (audited).
Result<TraceResult> TraceLeak(Context& ctx, const audio::Pcm16& suspect, const std::string& actor);

}  // namespace earshot::review
