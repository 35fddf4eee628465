// Frame by frame, earshot's first McAdams against the VoicePrivacy
// Challenge's script (issue 16): on the same held-out utterances (FSDD
// speakers, LibriVox) and the same coefficient, the two differences the
// script has (docs/privacy-eval.md):
// - its prediction polynomial comes from Burg's method (librosa.lpc), not
//   from the autocorrelation method: how much sharper its resonances are
//   and how far apart the two envelopes lie;
// - it lets each re-filtered frame keep the gain the moved resonances give
//   it, where earshot gave every frame its energy back: how much the
//   frames' levels move.
//
//   build/bin/mcadams_compare [--alpha 0.7] [--utterances 40]
#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>
#include <string>
#include <vector>

#include "eval_corpus.h"
#include "privacy/anonymize/lpc.h"
#include "privacy/anonymize/mcadams.h"

namespace {

using namespace earshot;
using namespace earshot::privacy::anonymize;

double Mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? std::nan("") : s / static_cast<double>(v.size());
}

// 20 log10 |1 / A(e^jw)| at `points` frequencies from 0 to pi.
std::vector<double> EnvelopeDb(const std::vector<double>& a, int points) {
  std::vector<double> out(static_cast<size_t>(points));
  for (int k = 0; k < points; ++k) {
    const double w = M_PI * k / (points - 1);
    std::complex<double> sum = 0;
    for (size_t j = 0; j < a.size(); ++j)
      sum += a[j] * std::polar(1.0, -w * static_cast<double>(j));
    out[static_cast<size_t>(k)] = -20 * std::log10(std::abs(sum) + 1e-12);
  }
  return out;
}

double MeanRadius(const std::vector<double>& a) {
  double sum = 0;
  int n = 0;
  for (const auto& r : PolynomialRoots(a, {})) {
    if (r.imag() > 0) {
      sum += std::abs(r);
      ++n;
    }
  }
  return n ? sum / n : std::nan("");
}

std::vector<double> FrameEnergiesDb(const std::vector<float>& x, size_t hop) {
  std::vector<double> out;
  for (size_t s = 0; s + hop <= x.size(); s += hop) {
    double e = 0;
    for (size_t i = s; i < s + hop; ++i) e += static_cast<double>(x[i]) * x[i];
    out.push_back(10 * std::log10(e + 1e-9));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  double alpha = 0.7;
  int utterances = 40;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--alpha") alpha = std::stod(argv[i + 1]);
    if (flag == "--utterances") utterances = std::stoi(argv[i + 1]);
  }
  std::vector<audio::Pcm16> set;
  eval::Corpus corpus(3);
  for (int u = 0; u < utterances; ++u) {
    const char* speakers[] = {"george", "jackson", "lucas", "nicolas"};
    auto pcm = eval::FsddDigits(EARSHOT_DEFAULT_FSDD, speakers[u % 4], corpus.Digits(5), corpus);
    if (pcm) set.push_back(*pcm);
  }
  for (const auto& clip : eval::LibriVoxClips()) set.push_back(clip.audio);
  if (set.empty()) {
    std::fprintf(stderr, "no utterances: FSDD and LibriVox missing\n");
    return 1;
  }
  constexpr size_t kHop = 160, kFrame = 320;
  std::vector<double> radius_auto, radius_burg, envelope_distance, free_gain_db;
  size_t frames = 0;
  for (const audio::Pcm16& pcm : set) {
    const std::vector<float> x(pcm.samples.begin(), pcm.samples.end());
    // The LPC fits on the transform's own frames (sqrt-Hann windowed, 20 ms).
    for (size_t s = 0; s + kFrame <= x.size(); s += kHop) {
      std::vector<double> frame(kFrame);
      double energy = 0;
      for (size_t i = 0; i < kFrame; ++i) {
        const double w =
            std::sqrt(0.5 - 0.5 * std::cos(2 * M_PI * static_cast<double>(i) / kFrame));
        frame[i] = w * x[s + i];
        energy += frame[i] * frame[i];
      }
      if (energy < 1e3 * kFrame) continue;  // speech frames only (about -50 dBFS)
      ++frames;
      const auto a = LpcCoefficients(frame.data(), kFrame, 20);
      const auto b = BurgCoefficients(frame.data(), kFrame, 20);
      radius_auto.push_back(MeanRadius(a));
      radius_burg.push_back(MeanRadius(b));
      const auto ea = EnvelopeDb(a, 129), eb = EnvelopeDb(b, 129);
      double d = 0, mean_diff = 0;
      for (size_t k = 0; k < ea.size(); ++k) mean_diff += (eb[k] - ea[k]) / ea.size();
      for (size_t k = 0; k < ea.size(); ++k) {
        d += std::pow(eb[k] - ea[k] - mean_diff, 2) / ea.size();  // shape only, not gain
      }
      envelope_distance.push_back(std::sqrt(d));
    }
    // The same clip through the transform with and without each frame's
    // energy given back (Burg both): the level the script's frames move by.
    McAdamsOptions kept, free;
    kept.alpha = free.alpha = alpha;
    kept.lpc = free.lpc = McAdamsOptions::Lpc::kBurg;
    kept.keep_frame_energy = true;
    free.keep_frame_energy = false;
    kept.normalize_level = free.normalize_level = false;
    std::vector<float> yk = x, yf = x;
    McAdams(yk, pcm.sample_rate, kept);
    McAdams(yf, pcm.sample_rate, free);
    const auto ek = FrameEnergiesDb(yk, kHop), ef = FrameEnergiesDb(yf, kHop),
               ex = FrameEnergiesDb(x, kHop);
    for (size_t i = 0; i < ek.size(); ++i) {
      if (ex[i] > 10 * std::log10(1e3 * kHop)) free_gain_db.push_back(ef[i] - ek[i]);
    }
  }
  std::printf("%zu utterances, %zu speech frames of 20 ms, alpha %.2f\n\n", set.size(), frames,
              alpha);
  std::printf(
      "| measure | autocorrelation (earshot's first) | Burg (the script) |\n|---|---|---|\n");
  std::printf("| mean radius of the complex poles | %.3f | %.3f |\n", Mean(radius_auto),
              Mean(radius_burg));
  std::printf("| 95th percentile of that radius | %.3f | %.3f |\n",
              eval::Percentile(radius_auto, 0.95), eval::Percentile(radius_burg, 0.95));
  std::printf(
      "\nEnvelope shape, Burg against autocorrelation (RMS dB over 0-8 kHz, gain removed): "
      "median %.1f, 95th percentile %.1f\n",
      eval::Percentile(envelope_distance, 0.5), eval::Percentile(envelope_distance, 0.95));
  std::vector<double> spread;
  const double m = Mean(free_gain_db);
  for (double g : free_gain_db) spread.push_back(std::abs(g - m));
  std::printf(
      "Frame level with the moved resonances' own gain, against each frame's energy given "
      "back (dB, 10 ms frames): mean %+.1f, 5th percentile %+.1f, 95th %+.1f, mean "
      "absolute deviation from the mean %.1f\n",
      m, eval::Percentile(free_gain_db, 0.05), eval::Percentile(free_gain_db, 0.95), Mean(spread));
  return 0;
}
