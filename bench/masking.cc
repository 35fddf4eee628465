#include "masking.h"

#include <algorithm>
#include <cmath>
#include <complex>

#include "audio/fft.h"

namespace earshot::bench {
namespace {

constexpr size_t kFrame = 512, kHop = 256;
constexpr double kRate = 16000;

double Bark(double hz) {
  return 13 * std::atan(0.00076 * hz) + 3.5 * std::atan((hz / 7500) * (hz / 7500));
}

// Schroeder's spreading function, dB, for a maskee `dz` Bark above the masker.
double SpreadDb(double dz) {
  return 15.81 + 7.5 * (dz + 0.474) - 17.5 * std::sqrt(1 + (dz + 0.474) * (dz + 0.474));
}

// Terhardt's threshold in quiet, dB SPL.
double QuietDb(double hz) {
  const double k = std::max(hz, 20.0) / 1000;
  return 3.64 * std::pow(k, -0.8) - 6.5 * std::exp(-0.6 * (k - 3.3) * (k - 3.3)) +
         1e-3 * std::pow(k, 4);
}

std::vector<double> PowerSpectrum(const std::vector<float>& x, size_t start,
                                  const std::vector<double>& window) {
  std::vector<std::complex<double>> f(kFrame);
  for (size_t i = 0; i < kFrame; ++i) f[i] = start + i < x.size() ? window[i] * x[start + i] : 0;
  audio::Fft(f);
  std::vector<double> p(kFrame / 2);
  for (size_t k = 0; k < p.size(); ++k) p[k] = std::norm(f[k]);
  return p;
}

}  // namespace

double BandLowHz(int band) {
  double lo = 0, hi = kRate / 2;  // invert Bark() by bisection
  for (int i = 0; i < 60; ++i) {
    const double mid = (lo + hi) / 2;
    (Bark(mid) < band ? lo : hi) = mid;
  }
  return hi;
}

std::vector<BandFrame> MaskingFrames(const std::vector<float>& signal,
                                     const std::vector<float>& probe) {
  std::vector<double> window(kFrame);
  double window_power = 0;
  for (size_t i = 0; i < kFrame; ++i) {
    window[i] = 0.5 - 0.5 * std::cos(2 * M_PI * static_cast<double>(i) / kFrame);
    window_power += window[i] * window[i];
  }
  // A full-scale sine's energy in the one-sided spectrum: 96 dB SPL.
  const double full_scale = kFrame * window_power * 0.25;
  std::vector<int> band_of(kFrame / 2);
  for (size_t k = 0; k < band_of.size(); ++k) {
    band_of[k] = std::min(kBands - 1, static_cast<int>(Bark(k * kRate / kFrame)));
  }
  // The threshold in quiet per band: its quietest bin, as band energy.
  double quiet[kBands];
  std::fill(quiet, quiet + kBands, 1e300);
  for (size_t k = 1; k < band_of.size(); ++k) {
    const double bin = full_scale * std::pow(10, (QuietDb(k * kRate / kFrame) - 96) / 10);
    quiet[band_of[k]] = std::min(quiet[band_of[k]], bin);
  }
  int bins[kBands] = {};
  for (int b : band_of) ++bins[b];
  for (int b = 0; b < kBands; ++b) quiet[b] *= std::max(1, bins[b]);
  double spread[kBands][kBands], spread_gain[kBands];
  for (int i = 0; i < kBands; ++i) {
    spread_gain[i] = 0;
    for (int j = 0; j < kBands; ++j) {
      spread[i][j] = std::pow(10, SpreadDb(i - j) / 10);
      spread_gain[i] += spread[i][j];
    }
  }
  std::vector<BandFrame> out;
  for (size_t start = 0; start + kFrame <= signal.size(); start += kHop) {
    const std::vector<double> ps = PowerSpectrum(signal, start, window);
    const std::vector<double> pp = PowerSpectrum(probe, start, window);
    BandFrame f{};
    double total = 0, log_sum = 0;
    int counted = 0;
    for (size_t k = 1; k < ps.size(); ++k) {
      f.signal[band_of[k]] += ps[k];
      f.probe[band_of[k]] += pp[k];
      total += ps[k];
      log_sum += std::log10(ps[k] + 1e-20);
      ++counted;
    }
    f.level_db = 10 * std::log10(total / full_scale + 1e-20);
    const double arithmetic = total / counted;
    const double sfm_db = 10 * (log_sum / counted - std::log10(arithmetic + 1e-20));
    const double tonality = std::min(1.0, sfm_db / -60);
    for (int i = 0; i < kBands; ++i) {
      double c = 0;
      for (int j = 0; j < kBands; ++j) c += f.signal[j] * spread[i][j];
      const double offset_db = tonality * (14.5 + (i + 1)) + (1 - tonality) * 5.5;
      const double masked = c * std::pow(10, -offset_db / 10) / spread_gain[i];
      f.threshold[i] = std::max(masked, quiet[i]);
    }
    out.push_back(f);
  }
  return out;
}

}  // namespace earshot::bench
