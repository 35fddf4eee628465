// McAdams-coefficient voice anonymization, the signal-processing baseline of
// the VoicePrivacy Challenge (Patino et al. 2021): per 20 ms frame (10 ms hop,
// square-root Hann analysis and synthesis windows), linear prediction of
// order 20; each complex pole's angle phi becomes phi^alpha (conjugates
// mirrored; magnitudes and real poles kept); the frame's residual is
// re-filtered through the new all-pole filter and overlap-added.
// Unlike the challenge's script, the first and last frames are kept (the
// signal is padded), so the output has exactly the input's length and
// alpha = 1 reproduces the input (to rounding, unless a pole lay beyond
// max_pole_radius). Thread-safe (no shared state).
#pragma once

#include <complex>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace earshot::privacy::anonymize {

struct McAdamsOptions {
  double alpha = 0.8;               // REQUIRES: 0 < alpha <= 1 (phi^alpha then stays in [0, pi])
  int order = 20;                   // linear prediction order
  int hop_ms = 10;                  // frames are two hops long (20 ms), so the windows sum to one
  double max_pole_radius = 0.9995;  // poles are pulled inside this circle: always stable
  // Beyond the baseline (anonymizer.h "mcadams-vtl"):
  // Every moved angle is multiplied by this (up to a knee at 7/8 of the band,
  // then warped linearly onto pi): a linear frequency scaling on top of the
  // power warp, as a longer (< 1) or shorter (> 1) vocal tract would give.
  double angle_scale = 1.0;
  // How each frame's prediction polynomial is found: earshot uses the
  // autocorrelation method; the challenge's script uses Burg's (lpc.h).
  // The two envelopes differ by a median 1.1 dB, and the attacker's EER by
  // one trial (docs/privacy-eval.md compares them).
  enum class Lpc { kAutocorrelation, kBurg };
  Lpc lpc = Lpc::kAutocorrelation;
  // Each re-filtered frame gets its original energy back (earshot's way);
  // the challenge's script lets the moved resonances change it.
  bool keep_frame_energy = true;
  // Without keep_frame_energy, the whole output is scaled to the input's
  // energy (the script scales it to full scale instead), so a clip's level,
  // and with it the bleeps' and the watermark's, stays where it was.
  bool normalize_level = true;
};

struct McAdamsStats {
  int64_t frames = 0;
  int64_t silent_frames = 0;       // no energy: nothing to move, kept as they are
  int64_t flat_frames = 0;         // no resonance at all (e.g. a lone click): kept as they are
  int64_t unconverged_frames = 0;  // root finder restarted and still short of tolerance
  int64_t clamped_poles = 0;       // poles pulled inside max_pole_radius
};

// The new all-pole filter for one frame: the roots of the prediction
// polynomial `a` (a[0] = 1; `guess` seeds the root finder and receives the
// roots found), each complex pole's angle raised to `alpha` and multiplied by
// options.angle_scale, every magnitude kept below options.max_pole_radius.
// The result is always a stable filter.
std::vector<double> McAdamsFilter(const std::vector<double>& a, double alpha,
                                  const McAdamsOptions& options,
                                  std::vector<std::complex<double>>& guess,
                                  McAdamsStats* stats = nullptr);

// Number of frames McAdams uses for `n` samples.
size_t McAdamsFrames(size_t n, int sample_rate, const McAdamsOptions& options);

// Transforms `samples` (any scale; NaN and Inf are read as 0) in place; the
// length is unchanged. `stats` may be null.
void McAdams(std::vector<float>& samples, int sample_rate, const McAdamsOptions& options,
             McAdamsStats* stats = nullptr);

}  // namespace earshot::privacy::anonymize
