#include "sv/mfcc.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

namespace earshot::sv {
namespace {

using Complex = std::complex<double>;

// Keeps log() finite on digital silence and on bands a resampler left empty.
// Even +-1 LSB noise puts ~100 in every FFT bin, so only true silence hits it.
constexpr double kPowerFloor = 1.0;
// Frames with mean power under ~1 LSB^2 are digital silence, whatever the VAD says.
constexpr double kSilenceDb = 3.0;

struct FrameGeometry {
  int length = 0;
  int hop = 0;
  int fft_size = 0;
  int count = 0;
};

FrameGeometry Geometry(size_t num_samples, int sample_rate, const MfccOptions& options) {
  FrameGeometry g;
  g.length = static_cast<int>(std::lround(options.frame_ms * sample_rate / 1000.0));
  g.hop = static_cast<int>(std::lround(options.hop_ms * sample_rate / 1000.0));
  g.fft_size = 1;
  while (g.fft_size < g.length) g.fft_size *= 2;
  if (num_samples >= static_cast<size_t>(g.length)) {
    g.count = 1 + static_cast<int>((num_samples - g.length) / g.hop);
  }
  return g;
}

// In-place iterative radix-2 FFT on split real/imaginary arrays (plain
// doubles keep the butterfly in registers). REQUIRES: re.size() == im.size()
// == twiddle.size() * 2, a power of two; twiddle[k] = exp(-2 pi i k / n).
void Fft(std::vector<double>& re, std::vector<double>& im, const std::vector<Complex>& twiddle) {
  const size_t n = re.size();
  for (size_t i = 1, j = 0; i < n; ++i) {
    size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j |= bit;
    if (i < j) std::swap(re[i], re[j]), std::swap(im[i], im[j]);
  }
  for (size_t len = 2; len <= n; len <<= 1) {
    const size_t half = len / 2, step = n / len;
    for (size_t i = 0; i < n; i += len) {
      for (size_t k = 0; k < half; ++k) {
        const double wr = twiddle[k * step].real(), wi = twiddle[k * step].imag();
        const size_t a = i + k, b = a + half;
        const double vr = re[b] * wr - im[b] * wi;
        const double vi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - vr;
        im[b] = im[a] - vi;
        re[a] += vr;
        im[a] += vi;
      }
    }
  }
}

std::vector<Complex> Twiddles(int n) {
  std::vector<Complex> t(n / 2);
  for (int k = 0; k < n / 2; ++k) t[k] = std::polar(1.0, -2.0 * std::numbers::pi * k / n);
  return t;
}

double HzToMel(double hz) {
  return 2595.0 * std::log10(1.0 + hz / 700.0);
}

// A triangular filter over FFT bins [first_bin, first_bin + weights.size()).
struct MelFilter {
  int first_bin = 0;
  std::vector<double> weights;
};

// Triangular filters, equally spaced on the mel scale, evaluated at each FFT
// bin's exact frequency so narrow low filters are never empty.
std::vector<MelFilter> MelFilterbank(int fft_size, int sample_rate, const MfccOptions& options) {
  const double high = std::min(options.high_hz, sample_rate / 2.0);
  const double mel_low = HzToMel(options.low_hz);
  const double mel_step = (HzToMel(high) - mel_low) / (options.num_filters + 1);
  std::vector<MelFilter> filters(options.num_filters);
  for (int m = 0; m < options.num_filters; ++m) {
    const double left = mel_low + m * mel_step;
    const double centre = left + mel_step;
    const double right = centre + mel_step;
    for (int b = 0; b <= fft_size / 2; ++b) {
      const double mel = HzToMel(static_cast<double>(b) * sample_rate / fft_size);
      if (mel <= left || mel >= right) continue;
      if (filters[m].weights.empty()) filters[m].first_bin = b;
      filters[m].weights.push_back(mel <= centre ? (mel - left) / mel_step
                                                 : (right - mel) / mel_step);
    }
  }
  return filters;
}

std::vector<double> HammingWindow(int length) {
  std::vector<double> w(length);
  for (int i = 0; i < length; ++i) {
    w[i] = 0.54 - 0.46 * std::cos(2.0 * std::numbers::pi * i / (length - 1));
  }
  return w;
}

// Energy of each frame in dB (after DC removal), for the VAD.
std::vector<double> FrameEnergiesDb(const std::vector<int16_t>& samples, const FrameGeometry& g) {
  std::vector<double> db(g.count);
  for (int f = 0; f < g.count; ++f) {
    const int16_t* x = samples.data() + static_cast<size_t>(f) * g.hop;
    double mean = 0.0;
    for (int i = 0; i < g.length; ++i) mean += x[i];
    mean /= g.length;
    double energy = 0.0;
    for (int i = 0; i < g.length; ++i) energy += (x[i] - mean) * (x[i] - mean);
    db[f] = 10.0 * std::log10(energy / g.length + kPowerFloor);
  }
  return db;
}

// DCT-II with orthonormal scaling, rows = cepstral index.
Frames DctMatrix(int num_cepstra, int num_filters, bool drop_c0) {
  Frames dct(num_cepstra, std::vector<float>(num_filters));
  const int first = drop_c0 ? 1 : 0;
  for (int c = 0; c < num_cepstra; ++c) {
    const int k = c + first;
    const double scale = std::sqrt((k == 0 ? 1.0 : 2.0) / num_filters);
    for (int m = 0; m < num_filters; ++m) {
      dct[c][m] =
          static_cast<float>(scale * std::cos(std::numbers::pi * k * (m + 0.5) / num_filters));
    }
  }
  return dct;
}

// Regression deltas over +-2 frames, edges replicated.
Frames Deltas(const Frames& x) {
  const int n = static_cast<int>(x.size());
  Frames d(n, std::vector<float>(n ? x[0].size() : 0, 0.0f));
  for (int t = 0; t < n; ++t) {
    for (int k = 1; k <= 2; ++k) {
      const auto& next = x[std::min(t + k, n - 1)];
      const auto& prev = x[std::max(t - k, 0)];
      for (size_t j = 0; j < d[t].size(); ++j) d[t][j] += k * (next[j] - prev[j]) / 10.0f;
    }
  }
  return d;
}

void NormalizeInPlace(Frames& frames, bool mean, bool variance) {
  if (frames.empty() || (!mean && !variance)) return;
  const size_t dim = frames[0].size();
  for (size_t j = 0; j < dim; ++j) {
    double sum = 0.0, sum_sq = 0.0;
    for (const auto& f : frames) {
      sum += f[j];
      sum_sq += static_cast<double>(f[j]) * f[j];
    }
    const double mu = sum / frames.size();
    const double var = std::max(sum_sq / frames.size() - mu * mu, 1e-8);
    const double shift = mean ? mu : 0.0;
    const double scale = variance ? 1.0 / std::sqrt(var) : 1.0;
    for (auto& f : frames) f[j] = static_cast<float>((f[j] - shift) * scale);
  }
}

}  // namespace

int FeatureDimension(const MfccOptions& options) {
  return options.num_cepstra * (1 + options.delta_order);
}

Frames LogMelSpectrogram(const std::vector<int16_t>& samples, int sample_rate,
                         const MfccOptions& options) {
  const FrameGeometry g = Geometry(samples.size(), sample_rate, options);
  const std::vector<MelFilter> filters = MelFilterbank(g.fft_size, sample_rate, options);
  const std::vector<double> window = HammingWindow(g.length);
  Frames out(g.count, std::vector<float>(options.num_filters));
  const std::vector<Complex> twiddle = Twiddles(g.fft_size);
  std::vector<double> re(g.fft_size), im(g.fft_size);
  std::vector<double> power(g.fft_size / 2 + 1);
  for (int f = 0; f < g.count; ++f) {
    const size_t start = static_cast<size_t>(f) * g.hop;
    double mean = 0.0;
    for (int i = 0; i < g.length; ++i) mean += samples[start + i];
    mean /= g.length;
    std::fill(re.begin(), re.end(), 0.0);
    std::fill(im.begin(), im.end(), 0.0);
    for (int i = 0; i < g.length; ++i) {
      // Pre-emphasis within the frame, first sample against itself (as Kaldi).
      const double prev = samples[start + std::max(i - 1, 0)] - mean;
      const double cur = samples[start + i] - mean;
      re[i] = (cur - options.preemphasis * prev) * window[i];
    }
    Fft(re, im, twiddle);
    for (size_t b = 0; b < power.size(); ++b) power[b] = re[b] * re[b] + im[b] * im[b];
    for (int m = 0; m < options.num_filters; ++m) {
      const MelFilter& filter = filters[m];
      double e = 0.0;
      for (size_t i = 0; i < filter.weights.size(); ++i) {
        e += filter.weights[i] * power[filter.first_bin + i];
      }
      out[f][m] = static_cast<float>(std::log(std::max(e, kPowerFloor)));
    }
  }
  return out;
}

Frames Mfcc(const std::vector<int16_t>& samples, int sample_rate, const MfccOptions& options) {
  const Frames log_mel = LogMelSpectrogram(samples, sample_rate, options);
  if (log_mel.empty()) return {};
  const Frames dct = DctMatrix(options.num_cepstra, options.num_filters, options.drop_c0);
  Frames ceps(log_mel.size(), std::vector<float>(options.num_cepstra));
  for (size_t t = 0; t < log_mel.size(); ++t) {
    for (int c = 0; c < options.num_cepstra; ++c) {
      double acc = 0.0;
      for (int m = 0; m < options.num_filters; ++m) acc += dct[c][m] * log_mel[t][m];
      ceps[t][c] = static_cast<float>(acc);
    }
  }
  std::vector<Frames> streams = {ceps};  // statics, deltas, delta-deltas, ...
  for (int o = 1; o <= options.delta_order; ++o) streams.push_back(Deltas(streams.back()));

  const FrameGeometry g = Geometry(samples.size(), sample_rate, options);
  const std::vector<double> db = FrameEnergiesDb(samples, g);
  const double loudest = *std::max_element(db.begin(), db.end());
  Frames out;
  for (size_t t = 0; t < ceps.size(); ++t) {
    if (db[t] < kSilenceDb) continue;
    if (options.vad_drop_db > 0 && db[t] < loudest - options.vad_drop_db) continue;
    std::vector<float> v;
    v.reserve(FeatureDimension(options));
    for (const Frames& stream : streams) v.insert(v.end(), stream[t].begin(), stream[t].end());
    out.push_back(std::move(v));
  }
  NormalizeInPlace(out, options.normalize_mean, options.normalize_variance);
  return out;
}

}  // namespace earshot::sv
