// Voice anonymization: named chains of signal transforms, with their random
// parameters drawn per clip from a seeded generator (so any result can be
// reproduced from its seed; the pipeline draws the seed from the CSPRNG and
// keeps it nowhere).
//
// Chains:
//   "mcadams"          the VoicePrivacy baseline: one alpha per clip, drawn
//                      uniformly from [alpha_min, alpha_max].
//   "mcadams-vtl"      the same, then every pole angle warped by a second
//                      draw from [0.85, 1.15] (scaled, with a knee below pi;
//                      McAdamsOptions::angle_scale), a vocal-tract-length
//                      change: two random dimensions per clip instead of one.
// Other transforms were measured and not kept (docs/privacy-eval.md).
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
  // McAdamsOptions::lpc and keep_frame_energy: the challenge's script's
  // ways (Burg's LPC, free frame gains), measured in issue 16 and not the
  // default. With the level kept from clipping, free gains raise STOI and
  // lower the WER but let the attacker link more (docs/privacy-eval.md).
  bool burg = false;
  bool keep_frame_energy = true;
};

struct AnonymizeReport {
  std::string chain;
  double alpha = 0.0;  // the clip's McAdams coefficient
  double angle_scale = 1.0;
  int64_t frames = 0;
  int64_t clamped_poles = 0;
};

// The chains Anonymize accepts, default first.
const std::vector<std::string>& KnownChains();

// InvalidArgument("bad_chain") for an unknown chain name,
// InvalidArgument("bad_alpha") for alphas outside [0.3, 1] or min > max.
Status ValidateSettings(const AnonymizeSettings& settings);

// The anonymized clip: same rate, same length. `report` may be null.
Result<audio::Pcm16> Anonymize(const audio::Pcm16& in, const AnonymizeSettings& settings,
                               uint64_t seed, AnonymizeReport* report = nullptr);

}  // namespace earshot::privacy::anonymize
