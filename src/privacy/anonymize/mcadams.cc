#include "privacy/anonymize/mcadams.h"

#include <algorithm>
#include <cmath>
#include <complex>

#include "privacy/anonymize/lpc.h"

namespace earshot::privacy::anonymize {
namespace {

using Complex = std::complex<double>;

// sqrt of the periodic Hann window: applied twice it is a Hann window, and
// Hann windows at half-length hops sum to exactly one.
std::vector<double> SqrtHann(size_t n) {
  std::vector<double> w(n);
  for (size_t i = 0; i < n; ++i) {
    w[i] = std::sqrt(0.5 -
                     0.5 * std::cos(2.0 * M_PI * static_cast<double>(i) / static_cast<double>(n)));
  }
  return w;
}

// Piecewise-linear vocal-tract-length warp of [0, pi] onto itself: angles
// scaled by `beta` up to a knee, then a straight line to pi, so that no pole
// is pushed past Nyquist (capping there would pile conjugate pairs into a
// double pole at pi, a loud resonance at half the sample rate).
double VtlWarp(double phi, double beta) {
  if (beta == 1.0) return phi;
  const double knee = 0.875 * M_PI * std::min(1.0, 1.0 / beta);
  if (phi <= knee) return beta * phi;
  return beta * knee + (M_PI - beta * knee) * (phi - knee) / (M_PI - knee);
}

// New poles: each complex pole's angle raised to alpha, conjugates mirrored,
// magnitudes kept but never beyond max_radius.
std::vector<Complex> MovePoles(const std::vector<Complex>& poles, const McAdamsOptions& o,
                               double alpha, McAdamsStats& stats) {
  std::vector<Complex> out;
  out.reserve(poles.size());
  for (const Complex& p : poles) {
    double radius = std::abs(p);
    if (radius > o.max_pole_radius) {
      radius = o.max_pole_radius;
      ++stats.clamped_poles;
    }
    if (p.imag() == 0.0) {
      out.push_back(p.real() < 0 ? -radius : radius);
      continue;
    }
    const double phi = std::abs(std::arg(p));  // in (0, pi)
    const double moved = VtlWarp(std::pow(phi, alpha), o.angle_scale);
    out.push_back(std::polar(radius, p.imag() > 0 ? moved : -moved));
  }
  return out;
}

// y = x filtered by FIR a (a[0] = 1), zero initial state, in place. `rev`
// holds a[order..1] so each output is one dot product over the past inputs.
void Whiten(std::vector<double>& x, const std::vector<double>& a) {
  const size_t order = a.size() - 1;
  std::vector<double> rev(a.rbegin(), a.rend() - 1);  // a[order], ..., a[1]
  for (size_t i = x.size(); i-- > 0;) {
    const size_t taps = std::min(order, i);
    x[i] += Dot(rev.data() + (order - taps), x.data() + (i - taps), taps);
  }
}

// y = x filtered by the all-pole 1/A(z), zero initial state, in place.
void Colour(std::vector<double>& x, const std::vector<double>& a) {
  const size_t order = a.size() - 1;
  std::vector<double> rev(a.rbegin(), a.rend() - 1);
  for (size_t i = 0; i < x.size(); ++i) {
    const size_t taps = std::min(order, i);
    x[i] -= Dot(rev.data() + (order - taps), x.data() + (i - taps), taps);
  }
}

size_t FrameLength(int sample_rate, int ms) {
  return static_cast<size_t>(sample_rate) * static_cast<size_t>(std::max(ms, 0)) / 1000;
}

}  // namespace

std::vector<double> McAdamsFilter(const std::vector<double>& a, double alpha,
                                  const McAdamsOptions& o, std::vector<Complex>& guess,
                                  McAdamsStats* stats) {
  McAdamsStats ignored;
  bool converged = true;
  guess = PolynomialRoots(a, guess, &converged);
  if (!converged) ++(stats ? *stats : ignored).unconverged_frames;
  return PolynomialFromRoots(MovePoles(guess, o, alpha, stats ? *stats : ignored));
}

size_t McAdamsFrames(size_t n, int sample_rate, const McAdamsOptions& o) {
  const size_t hop = FrameLength(sample_rate, o.hop_ms);
  return n == 0 || hop == 0 ? 0 : (n + hop - 1) / hop + 1;
}

void McAdams(std::vector<float>& samples, int sample_rate, const McAdamsOptions& o,
             McAdamsStats* stats_out) {
  McAdamsStats stats;
  const size_t hop = FrameLength(sample_rate, o.hop_ms);
  const size_t frame = 2 * hop;  // so the squared windows sum to exactly one
  if (samples.empty() || hop == 0) {
    if (stats_out) *stats_out = stats;
    return;
  }
  // Padded so that every input sample lies under two frames: `hop` zeros in
  // front, enough behind to finish the last frame.
  const size_t n = samples.size();
  const size_t frames = McAdamsFrames(n, sample_rate, o);
  std::vector<double> padded(hop + frames * hop + frame, 0.0);
  for (size_t i = 0; i < n; ++i) padded[hop + i] = std::isfinite(samples[i]) ? samples[i] : 0.0;
  std::vector<double> out(padded.size(), 0.0);
  const std::vector<double> window = SqrtHann(frame);
  std::vector<double> buf(frame);
  std::vector<Complex> previous_roots;
  for (size_t m = 0; m < frames; ++m) {
    const size_t start = m * hop;
    double energy = 0.0;
    for (size_t i = 0; i < frame; ++i) {
      buf[i] = padded[start + i] * window[i];
      energy += buf[i] * buf[i];
    }
    ++stats.frames;
    if (!(energy > 1e-6)) {  // silence: nothing to move
      ++stats.silent_frames;
      for (size_t i = 0; i < frame; ++i) out[start + i] += buf[i] * window[i];
      continue;
    }
    std::vector<double> a = o.lpc == McAdamsOptions::Lpc::kBurg
                                ? BurgCoefficients(buf.data(), frame, o.order)
                                : LpcCoefficients(buf.data(), frame, o.order);
    // A recursion that stopped early leaves zero coefficients: roots at the
    // origin, which shape nothing. Drop them.
    while (a.size() > 1 && a.back() == 0.0) a.pop_back();
    if (a.size() == 1) {
      ++stats.flat_frames;
      for (size_t i = 0; i < frame; ++i) out[start + i] += buf[i] * window[i];
      continue;
    }
    const std::vector<double> moved = McAdamsFilter(a, o.alpha, o, previous_roots, &stats);
    Whiten(buf, a);
    Colour(buf, moved);
    // Moving a sharp resonance can change the frame's gain a lot; the frame
    // keeps its energy, so levels (and bleeps) stay where they were.
    double new_energy = 0.0;
    for (size_t i = 0; i < frame; ++i) new_energy += buf[i] * buf[i];
    const double gain = !o.keep_frame_energy ? 1.0
                        : new_energy > 0.0   ? std::sqrt(energy / new_energy)
                                             : 0.0;
    for (size_t i = 0; i < frame; ++i) out[start + i] += buf[i] * gain * window[i];
  }
  double scale = 1.0;
  if (!o.keep_frame_energy && o.normalize_level) {
    double before = 0.0, after = 0.0;
    for (size_t i = 0; i < n; ++i) {
      before += padded[hop + i] * padded[hop + i];
      after += out[hop + i] * out[hop + i];
    }
    scale = after > 0.0 ? std::sqrt(before / after) : 1.0;
  }
  for (size_t i = 0; i < n; ++i) samples[i] = static_cast<float>(out[hop + i] * scale);
  if (stats_out) *stats_out = stats;
}

}  // namespace earshot::privacy::anonymize
