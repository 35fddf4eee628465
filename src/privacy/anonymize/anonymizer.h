// Voice anonymization: named chains of signal transforms, with their random
// parameters drawn per clip from a seeded generator (so any result can be
// reproduced from its seed; the pipeline draws the seed from the CSPRNG and
// keeps it nowhere).
//
// Chains:
//   "mcadams"          the VoicePrivacy baseline: one alpha per clip, drawn
//                      uniformly from [alpha_min, alpha_max].
//   "mcadams-segments" alpha changes along the clip: a new draw every
//                      segment_ms, linearly interpolated between them, so no
//                      single warp can be inverted for the whole clip.
//   "mcadams-segments-bw"  the same, and every pole's magnitude scaled by one
//                      draw from [0.90, 0.97]: wider formant bandwidths blur the
//                      resonances that make a voice recognisable.
//   "mcadams-normalized"  one alpha per clip, chosen (not drawn) so that the
//                      clip's average formant position lands on the same
//                      target for every voice (MeanLogFormantAngle), within
//                      [alpha_min, 1]: every speaker moved to one place
//                      rather than each to a random one.
// Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audio/pcm.h"
#include "util/status.h"

namespace earshot::privacy::anonymize {

struct AnonymizeSettings {
  std::string chain = "mcadams";
  double alpha_min = 0.5;
  double alpha_max = 0.9;
  std::optional<double> alpha;  // fixed alpha (whole clip) instead of draws
  int64_t segment_ms = 400;     // "-segments" chains: distance between alpha draws
  // "mcadams-normalized": the mean ln(formant angle) every clip is moved to.
  double normalize_target = -0.9;
};

struct AnonymizeReport {
  std::string chain;
  double alpha_mean = 0.0;  // mean alpha over the clip's frames
  double radius_scale = 1.0;
  int64_t frames = 0;
  int64_t clamped_poles = 0;
};

// The chains Anonymize accepts, default first.
const std::vector<std::string>& KnownChains();

// InvalidArgument("bad_chain") for an unknown chain name,
// InvalidArgument("bad_alpha") for alphas outside (0, 2] or min > max.
Status ValidateSettings(const AnonymizeSettings& settings);

// The anonymized clip: same rate, same length. `report` may be null.
Result<audio::Pcm16> Anonymize(const audio::Pcm16& in, const AnonymizeSettings& settings,
                               uint64_t seed, AnonymizeReport* report = nullptr);

}  // namespace earshot::privacy::anonymize
