#include "privacy/watermark/watermark.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstring>

#include "audio/fft.h"
#include "privacy/watermark/conv_code.h"
#include "util/random.h"

namespace earshot::privacy::watermark {
namespace {

using Complex = std::complex<double>;

constexpr double kLowHz = 400, kHighHz = 3300;
constexpr double kPilotShare = 0.3;  // of the mark's power; the rest carries data
constexpr size_t kBlock = 160;       // 10 ms: the loudness the mark follows
constexpr size_t kFrame = 512;       // the detector's whitening frames
constexpr int kRakeReach = 64;       // lags either side of the peak the rake may use
constexpr size_t kChips = kPeriod / kChip;

size_t BinOf(double hz, size_t n) {
  return static_cast<size_t>(std::lround(hz * static_cast<double>(n) / kRate));
}

// One period of keyed noise with a flat spectrum in the band, unit RMS.
std::vector<float> Carrier(std::string_view key, uint64_t nonce) {
  const size_t lo = BinOf(kLowHz, kPeriod), hi = BinOf(kHighHz, kPeriod);
  std::vector<uint8_t> bytes((hi - lo + 1) * 4);
  KeyedStream(key, nonce, bytes.data(), bytes.size());
  std::vector<Complex> spectrum(kPeriod);
  for (size_t k = lo; k <= hi; ++k) {
    uint32_t v;
    std::memcpy(&v, &bytes[(k - lo) * 4], 4);
    const double phase = 2 * M_PI * (v / 4294967296.0);
    spectrum[k] = std::polar(1.0, phase);
    spectrum[kPeriod - k] = std::conj(spectrum[k]);
  }
  audio::Fft(spectrum, /*inverse=*/true);
  double power = 0;
  for (const auto& c : spectrum) power += c.real() * c.real();
  const double scale = 1.0 / std::sqrt(power / kPeriod);
  std::vector<float> out(kPeriod);
  for (size_t i = 0; i < kPeriod; ++i) out[i] = static_cast<float>(spectrum[i].real() * scale);
  return out;
}

// Per block, the mark's amplitude: kStrength times the quietest of the
// block and its two neighbours (so the mark never leads an onset).
std::vector<double> BlockGains(const std::vector<int16_t>& x) {
  const size_t blocks = (x.size() + kBlock - 1) / kBlock;
  std::vector<double> rms(blocks);
  for (size_t b = 0; b < blocks; ++b) {
    double sum = 0;
    const size_t end = std::min(x.size(), (b + 1) * kBlock);
    for (size_t i = b * kBlock; i < end; ++i) sum += static_cast<double>(x[i]) * x[i];
    rms[b] = std::sqrt(sum / static_cast<double>(end - b * kBlock));
  }
  std::vector<double> gain(blocks);
  for (size_t b = 0; b < blocks; ++b) {
    double g = rms[b];
    if (b > 0) g = std::min(g, rms[b - 1]);
    if (b + 1 < blocks) g = std::min(g, rms[b + 1]);
    gain[b] = kStrength * g;
  }
  return gain;
}

// The phase of each short-time spectrum in the band, overlapped back into a
// signal: the speech's spectrum, its loudness and any gain are gone, and
// what is left of a mark is a steady share of every bin.
std::vector<double> Whiten(const std::vector<float>& y) {
  std::vector<double> out(y.size(), 0.0);
  if (y.size() < kFrame) return out;
  const size_t hop = kFrame / 2;
  std::vector<double> window(kFrame);
  for (size_t i = 0; i < kFrame; ++i) {
    window[i] = std::sqrt(0.5 - 0.5 * std::cos(2 * M_PI * static_cast<double>(i) / kFrame));
  }
  const size_t lo = BinOf(kLowHz, kFrame), hi = BinOf(kHighHz, kFrame);
  std::vector<Complex> frame(kFrame);
  for (size_t start = 0; start + kFrame <= y.size(); start += hop) {
    for (size_t i = 0; i < kFrame; ++i) frame[i] = window[i] * y[start + i];
    audio::Fft(frame);
    for (size_t k = 0; k < kFrame; ++k) {
      const bool in_band = (k >= lo && k <= hi) || (k >= kFrame - hi && k <= kFrame - lo);
      const double mag = std::abs(frame[k]);
      frame[k] = in_band && mag > 1e-12 ? frame[k] / mag : Complex(0, 0);
    }
    audio::Fft(frame, /*inverse=*/true);
    for (size_t i = 0; i < kFrame; ++i) out[start + i] += window[i] * frame[i].real();
  }
  return out;
}

// Upper tail of the standard normal.
double UpperTail(double z) {
  return 0.5 * std::erfc(z / std::sqrt(2.0));
}

// The z that 2 * lags * Q(z) brings down to kFalseAlarm.
double ThresholdFor(double lags) {
  double lo = 0, hi = 40;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    (2 * lags * UpperTail(mid) > kFalseAlarm ? lo : hi) = mid;
  }
  return hi;
}

struct WindowResult {
  double z = 0;
  bool inverted = false;
};

// What one window with a mark read, and how strongly it was found.
struct Reading {
  double z = 0;
  std::vector<uint32_t> payloads;
};

}  // namespace

int ChipBit(size_t chip) {
  return static_cast<int>((chip * 41) % kCodedBits);
}

Watermarker::Watermarker(std::string_view key) : pilot_(Carrier(key, 1)), data_(Carrier(key, 2)) {}

void Watermarker::Embed(audio::Pcm16& clip, uint32_t payload) const {
  std::vector<int> coded = EncodePayload(payload);
  std::vector<float> sign(kChips);
  for (size_t c = 0; c < kChips; ++c) sign[c] = coded[ChipBit(c)] ? 1.0f : -1.0f;
  const std::vector<double> gain = BlockGains(clip.samples);
  const float pilot_amp = static_cast<float>(std::sqrt(kPilotShare));
  const float data_amp = static_cast<float>(std::sqrt(1 - kPilotShare));
  const size_t n = clip.samples.size();
  for (size_t i = 0; i < n; ++i) {
    // The gain between block centres, interpolated so it never steps.
    const double at = (static_cast<double>(i) + 0.5) / kBlock - 0.5;
    const size_t b = at <= 0 ? 0 : std::min(gain.size() - 1, static_cast<size_t>(at));
    const double frac = std::clamp(at - static_cast<double>(b), 0.0, 1.0);
    const double g = b + 1 < gain.size() ? gain[b] * (1 - frac) + gain[b + 1] * frac : gain[b];
    const size_t m = i & (kPeriod - 1);
    const float w = pilot_amp * pilot_[m] + data_amp * sign[m / kChip] * data_[m];
    const double v = clip.samples[i] + g * w;
    clip.samples[i] = static_cast<int16_t>(std::clamp(std::lround(v), -32768L, 32767L));
  }
}

Detection Watermarker::Detect(const std::vector<float>& samples) const {
  Detection out;
  out.seconds = static_cast<double>(samples.size()) / kRate;
  // Windows of two periods, one period apart; one window for an input of
  // up to three periods (a whole served clip).
  const size_t window = samples.size() <= 3 * kPeriod ? samples.size() : 2 * kPeriod;
  std::vector<size_t> starts = {0};
  for (size_t s = kPeriod; window == 2 * kPeriod && s + kPeriod < samples.size(); s += kPeriod) {
    starts.push_back(s);
  }
  const double lags = static_cast<double>(kPeriod) * static_cast<double>(starts.size());
  out.threshold_z = ThresholdFor(lags);
  // The pilot's spectrum, conjugated, for correlation at every lag.
  std::vector<Complex> pilot(kPeriod);
  for (size_t i = 0; i < kPeriod; ++i) pilot[i] = pilot_[i];
  audio::Fft(pilot);
  WindowResult best;
  std::vector<Reading> readings;
  for (size_t start : starts) {
    const size_t end = std::min(samples.size(), start + window);
    const std::vector<float> part(samples.begin() + static_cast<std::ptrdiff_t>(start),
                                  samples.begin() + static_cast<std::ptrdiff_t>(end));
    const std::vector<double> white = Whiten(part);
    std::vector<double> folded(kPeriod, 0.0);
    for (size_t i = 0; i < white.size(); ++i) folded[i & (kPeriod - 1)] += white[i];
    std::vector<Complex> corr(folded.begin(), folded.end());
    audio::Fft(corr);
    for (size_t k = 0; k < kPeriod; ++k) corr[k] *= std::conj(pilot[k]);
    audio::Fft(corr, /*inverse=*/true);
    double power = 0;
    size_t peak = 0;
    for (size_t t = 0; t < kPeriod; ++t) {
      power += corr[t].real() * corr[t].real();
      if (std::abs(corr[t].real()) > std::abs(corr[peak].real())) peak = t;
    }
    const double sigma = std::sqrt(power / kPeriod);
    if (sigma <= 0) continue;
    const double z = corr[peak].real() / sigma;
    if (std::abs(z) > std::abs(best.z)) best = {z, z < 0};
    // Every window with a mark is read: a long recording may hold several
    // clips, each with its own listen's mark.
    if (std::abs(z) < out.threshold_z) continue;
    // The rake: every lag near the peak at least half as strong, weighted
    // by its correlation (its sign carries the polarity).
    std::vector<std::pair<int, double>> taps;
    for (int j = -kRakeReach; j <= kRakeReach; ++j) {
      const double c = corr[(peak + kPeriod + j) & (kPeriod - 1)].real();
      if (std::abs(c) >= 0.5 * std::abs(corr[peak].real())) taps.emplace_back(j, c / sigma);
    }
    std::vector<double> soft(kCodedBits, 0.0);
    for (const auto& [j, h] : taps) {
      const size_t lag = (peak + kPeriod + j) & (kPeriod - 1);
      for (size_t c = 0; c < kChips; ++c) {
        double sum = 0;
        for (size_t m = c * kChip; m < (c + 1) * kChip; ++m) {
          sum += folded[(m + lag) & (kPeriod - 1)] * data_[m];
        }
        soft[ChipBit(c)] += h * sum;
      }
    }
    readings.push_back({std::abs(z), DecodePayloads(soft, kListSize)});
  }
  out.z = std::abs(best.z);
  out.inverted = best.inverted;
  out.found = out.z >= out.threshold_z;
  out.false_alarm = std::min(1.0, 2 * lags * UpperTail(out.z));
  // The strongest window's readings first, each payload once.
  std::stable_sort(readings.begin(), readings.end(),
                   [](const Reading& a, const Reading& b) { return a.z > b.z; });
  std::vector<uint32_t> payloads;
  for (const Reading& r : readings) {
    for (uint32_t p : r.payloads) {
      if (std::find(payloads.begin(), payloads.end(), p) == payloads.end()) payloads.push_back(p);
    }
  }
  if (out.found && !payloads.empty()) {
    out.payload = payloads.front();
    out.others.assign(payloads.begin() + 1, payloads.end());
  }
  return out;
}

}  // namespace earshot::privacy::watermark
