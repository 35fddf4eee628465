// Intake: validate, normalise, seal and store one recording, then decide
// whether it becomes a review candidate. Either everything is stored durably
// or nothing is (a blob written before a failed commit is removed).
#pragma once

#include <string>
#include <string_view>

#include "app/context.h"
#include "ingest/metadata.h"
#include "ingest/streams.h"

namespace earshot::ingest {

struct IntakeOutcome {
  std::string recording_id;  // empty if discarded
  bool discarded = false;    // accidental activation: nothing was stored
  int64_t duration_ms = 0;
  bool review_candidate = false;  // a de-identification job was queued
};

// Stores the recording for `stream`. Errors (nothing stored on any of them):
// Forbidden("no_store_consent"); Unsupported("undecodable_audio");
// InvalidArgument("empty_audio"); TooLarge("audio_too_long");
// Internal/Unavailable on storage failure. Each rejection is counted in
// earshot_recordings_rejected_total{reason}.
// On a stream with a wake word that is not heard in the first seconds, the
// recording is an accidental activation: nothing of it is stored (no audio,
// no row), earshot_accidental_activations_total is counted, and the outcome
// says discarded.
// A recording becomes a review candidate only if the subject's human_review
// consent held at capture and holds now, the stream's region is not paused,
// and the sampler draws it at the stream's rate.
Result<IntakeOutcome> IngestRecording(Context& ctx, const Stream& stream,
                                      const RecordingMetadata& meta, std::string_view audio);

// Counts a rejection that happened before IngestRecording (e.g. bad key).
void CountRejection(Context& ctx, const std::string& reason);

}  // namespace earshot::ingest
