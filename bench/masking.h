// A psychoacoustic masking threshold for the watermark's audibility report
// (issue 16): Johnston's model (J. D. Johnston, "Transform coding of audio
// signals using perceptual noise criteria", IEEE JSAC 6(2), 1988), the
// simultaneous-masking model behind MPEG-1's psychoacoustic model 1:
// - power spectrum of 32 ms Hann frames (512 samples at 16 kHz), summed into
//   critical bands one Bark wide (Zwicker's Bark formula);
// - spread across bands with Schroeder's spreading function;
// - lowered by a tonality-dependent offset, alpha (14.5 + z) dB for a tone
//   masker and 5.5 dB for noise, alpha from the frame's spectral flatness
//   (SFM / -60 dB, at most 1);
// - divided by the spreading function's own gain (Johnston's renormalisation);
// - never below the absolute threshold of hearing (Terhardt's formula), with
//   full scale taken as 96 dB SPL (a loud playback: the strictest case).
// Thread-safe (pure functions).
#pragma once

#include <vector>

namespace earshot::bench {

constexpr int kBands = 22;  // Bark bands 0-21 cover 0-8 kHz

struct BandFrame {
  double signal[kBands];     // the clip's energy per band
  double threshold[kBands];  // what it masks per band
  double probe[kBands];      // the energy of the sound tested against it
  double level_db;           // the frame's level, dB re full scale
};

// Per frame (hop 256), bands of `signal` and its threshold, and of `probe`
// (the same length: here the mark, marked minus clean). Samples at 16 kHz,
// full scale 1.0.
std::vector<BandFrame> MaskingFrames(const std::vector<float>& signal,
                                     const std::vector<float>& probe);

// The band's frequency range, Hz.
double BandLowHz(int band);

}  // namespace earshot::bench
