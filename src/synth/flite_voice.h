// Synthetic speech with known words, from flite's voices, entirely in memory.
// Used by `earshot demo` and by tests to make realistic assistant requests;
// never part of the review path. Thread-safe (flite is serialised internally).
#pragma once

#include <string>
#include <vector>

#include "audio/pcm.h"
#include "util/status.h"

namespace earshot::synth {

// The four flite voices: "slt", "rms", "awb", "kal".
const std::vector<std::string>& VoiceNames();

// Speaks `text` with `voice`; 16 kHz mono (kal's 8 kHz output is resampled).
// InvalidArgument("unknown_voice") for a voice not in VoiceNames().
Result<audio::Pcm16> Speak(const std::string& voice, const std::string& text);

}  // namespace earshot::synth
