// MFCC front end for the speaker-verification attacker (bench/sv).
//
// Contract:
//  - Input is mono 16-bit PCM. The defaults are tuned for 16 kHz; other rates
//    work (frame and hop lengths are in milliseconds, the FFT size is the next
//    power of two of the frame, the mel range is clipped to Nyquist).
//  - Mfcc() returns one feature vector per kept frame, each of
//    FeatureDimension(options) floats. Frames are dropped by an energy voice
//    activity detector (relative to the loudest frame; digital silence, under
//    ~1 LSB^2 mean power, is always dropped); deltas are computed on the full
//    frame sequence before dropping, so context is not spliced.
//  - Mean/variance normalisation is per utterance, over the kept frames only.
//  - An input shorter than one frame, or with no frame above the VAD
//    threshold, yields an empty result; this is not an error.
//  - Pure functions, no global state: safe to call from several threads.
#pragma once

#include <cstdint>
#include <vector>

namespace earshot::sv {

using Frames = std::vector<std::vector<float>>;  // one feature vector per frame

struct MfccOptions {
  double frame_ms = 25.0;
  double hop_ms = 10.0;
  double preemphasis = 0.97;
  int num_filters = 40;
  double low_hz = 100.0;
  double high_hz = 7600.0;    // clipped to sample_rate / 2
  int num_cepstra = 20;       // c0..c19, or c1..c20 when drop_c0
  bool drop_c0 = false;       // after CMVN c0 is the loudness contour: it helped on FSDD
  int delta_order = 2;        // 0: static only, 1: + deltas, 2: + delta-deltas
  double vad_drop_db = 35.0;  // drop frames this far below the loudest; <= 0 keeps all
  bool normalize_mean = true;
  bool normalize_variance = true;
};

// Number of floats in each feature vector that Mfcc() returns.
int FeatureDimension(const MfccOptions& options);

// Log mel filterbank energies of every frame (pre-emphasis, Hamming window,
// power spectrum, triangular mel filters, natural log), before VAD and
// normalisation. One vector of options.num_filters values per frame; the frame
// count is 1 + (n - frame_length) / hop_length, or 0 when n < frame_length.
Frames LogMelSpectrogram(const std::vector<int16_t>& samples, int sample_rate,
                         const MfccOptions& options = {});

// REQUIRES: sample_rate >= 4000; delta_order >= 0.
Frames Mfcc(const std::vector<int16_t>& samples, int sample_rate, const MfccOptions& options = {});

}  // namespace earshot::sv
