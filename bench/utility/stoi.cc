#include "utility/stoi.h"

#include <algorithm>
#include <cmath>
#include <complex>

#include "audio/decode.h"
#include "audio/fft.h"

namespace earshot::bench {
namespace {

constexpr int kRate = 10000;
constexpr size_t kFrame = 256, kHop = 128, kFft = 512;
constexpr int kBandsCount = 15;
constexpr double kMinHz = 150;
constexpr size_t kSegment = 30;
constexpr double kBetaDb = -15, kDynamicRangeDb = 40;

std::vector<double> Window() {
  // numpy's hanning(258)[1:-1], as the reference implementation uses.
  std::vector<double> w(kFrame);
  for (size_t i = 0; i < kFrame; ++i) {
    w[i] = 0.5 - 0.5 * std::cos(2 * M_PI * static_cast<double>(i + 1) / (kFrame + 1));
  }
  return w;
}

std::vector<float> To10k(const std::vector<float>& x, int rate) {
  if (rate == kRate) return x;
  auto r = audio::Resample(x, rate, kRate);
  return r.ok() ? *r : std::vector<float>{};
}

// Drops the frames of both signals more than 40 dB below the clean one's
// loudest frame and overlap-adds the rest back into signals.
void DropSilence(std::vector<float>& x, std::vector<float>& y) {
  const std::vector<double> w = Window();
  std::vector<double> energy_db;
  std::vector<size_t> starts;
  for (size_t s = 0; s + kFrame <= x.size(); s += kHop) {
    double e = 0;
    for (size_t i = 0; i < kFrame; ++i) e += std::pow(w[i] * x[s + i], 2);
    energy_db.push_back(20 * std::log10(std::sqrt(e) + 1e-12));
    starts.push_back(s);
  }
  if (starts.empty()) {
    x.clear();
    y.clear();
    return;
  }
  const double loudest = *std::max_element(energy_db.begin(), energy_db.end());
  std::vector<float> xs, ys;
  size_t kept = 0;
  for (size_t f = 0; f < starts.size(); ++f) {
    if (energy_db[f] <= loudest - kDynamicRangeDb) continue;
    const size_t out = kept * kHop;
    xs.resize(out + kFrame, 0.0f);
    ys.resize(out + kFrame, 0.0f);
    for (size_t i = 0; i < kFrame; ++i) {
      xs[out + i] += static_cast<float>(w[i] * x[starts[f] + i]);
      ys[out + i] += static_cast<float>(w[i] * y[starts[f] + i]);
    }
    ++kept;
  }
  x = std::move(xs);
  y = std::move(ys);
}

// Per frame, the envelope of each third-octave band.
std::vector<std::vector<double>> BandEnvelopes(const std::vector<float>& x) {
  const std::vector<double> w = Window();
  const auto bands = StoiBandBins();
  std::vector<std::vector<double>> out;
  std::vector<std::complex<double>> f(kFft);
  for (size_t s = 0; s + kFrame <= x.size(); s += kHop) {
    std::fill(f.begin(), f.end(), 0.0);
    for (size_t i = 0; i < kFrame; ++i) f[i] = w[i] * x[s + i];
    audio::Fft(f);
    std::vector<double> env(kBandsCount);
    for (int b = 0; b < kBandsCount; ++b) {
      double e = 0;
      for (int k = bands[b].first; k < bands[b].second; ++k) e += std::norm(f[k]);
      env[b] = std::sqrt(e);
    }
    out.push_back(env);
  }
  return out;
}

}  // namespace

std::vector<std::pair<int, int>> StoiBandBins() {
  std::vector<std::pair<int, int>> out;
  auto nearest = [](double hz) {
    return static_cast<int>(std::lround(hz * kFft / kRate));  // bins are fs / nfft apart
  };
  for (int k = 0; k < kBandsCount; ++k) {
    out.emplace_back(nearest(kMinHz * std::pow(2.0, (2.0 * k - 1) / 6)),
                     nearest(kMinHz * std::pow(2.0, (2.0 * k + 1) / 6)));
  }
  return out;
}

std::optional<double> Stoi(const std::vector<float>& clean, const std::vector<float>& processed,
                           int sample_rate) {
  if (clean.size() != processed.size() || sample_rate <= 0) return std::nullopt;
  std::vector<float> x = To10k(clean, sample_rate), y = To10k(processed, sample_rate);
  y.resize(x.size(), 0.0f);
  DropSilence(x, y);
  const auto ex = BandEnvelopes(x), ey = BandEnvelopes(y);
  if (ex.size() < kSegment) return std::nullopt;
  const double clip = 1 + std::pow(10, -kBetaDb / 20);
  double sum = 0;
  size_t count = 0;
  for (size_t m = kSegment; m <= ex.size(); ++m) {
    for (int b = 0; b < kBandsCount; ++b) {
      double nx = 0, ny = 0;
      for (size_t t = m - kSegment; t < m; ++t) {
        nx += ex[t][b] * ex[t][b];
        ny += ey[t][b] * ey[t][b];
      }
      const double scale = std::sqrt(nx) / (std::sqrt(ny) + 1e-12);
      double xa[kSegment], ya[kSegment], mx = 0, my = 0;
      for (size_t t = 0; t < kSegment; ++t) {
        xa[t] = ex[m - kSegment + t][b];
        ya[t] = std::min(scale * ey[m - kSegment + t][b], clip * xa[t]);
        mx += xa[t] / kSegment;
        my += ya[t] / kSegment;
      }
      double sxy = 0, sxx = 0, syy = 0;
      for (size_t t = 0; t < kSegment; ++t) {
        sxy += (xa[t] - mx) * (ya[t] - my);
        sxx += (xa[t] - mx) * (xa[t] - mx);
        syy += (ya[t] - my) * (ya[t] - my);
      }
      sum += sxy / (std::sqrt(sxx) * std::sqrt(syy) + 1e-12);
      ++count;
    }
  }
  return sum / static_cast<double>(count);
}

}  // namespace earshot::bench
