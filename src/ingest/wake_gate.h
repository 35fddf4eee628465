// The wake-word gate (DESIGN.md invariant 2): on a stream with a wake word,
// a recording in which keyphrase spotting does not hear it in the first
// seconds is an accidental activation. Its audio is never stored; only the
// count earshot_accidental_activations_total remains.
#pragma once

#include <string>

#include "audio/pcm.h"
#include "ingest/streams.h"

namespace earshot::ingest {

constexpr int64_t kWakeWindowMs = 3000;  // where the wake word must be heard

// True if the stream has no wake word or its wake word is heard in the first
// kWakeWindowMs. Unavailable("asr_model") if the spotter cannot be loaded.
// Thread-safe: spotters (one pocketsphinx decoder each) are pooled per wake
// word and threshold, and each is used by one thread at a time.
Result<bool> WakeWordHeard(const StreamSpec& stream, const audio::Pcm16& pcm);

}  // namespace earshot::ingest
