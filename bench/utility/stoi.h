// Short-Time Objective Intelligibility (STOI; C. H. Taal, R. C. Hendriks,
// R. Heusdens, J. Jensen, "An algorithm for intelligibility prediction of
// time-frequency weighted noisy speech", IEEE TASLP 19(7), 2011): how well
// a listener would understand `processed` given the `clean` speech it came
// from, from about 0 (nothing) to 1 (all). Used beside the recognizer's WER
// to measure what the anonymizer costs human reviewers (issue 16).
//
// As published: both signals at 10 kHz; 256-sample Hann frames at half
// overlap; frames more than 40 dB below the clean signal's loudest dropped
// from both; 512-point spectra grouped into 15 one-third-octave bands from
// 150 Hz; per band, segments of 30 frames (384 ms) of the processed
// envelope scaled to the clean one's norm and clipped at 15 dB above it
// (beta = -15 dB); the correlation of the two envelopes, averaged over
// bands and segments. Thread-safe (pure function).
#pragma once

#include <optional>
#include <vector>

namespace earshot::bench {

// REQUIRES: clean.size() == processed.size(). Nothing when fewer than 30
// frames are left after the silent ones are dropped (under 0.4 s of speech).
std::optional<double> Stoi(const std::vector<float>& clean, const std::vector<float>& processed,
                           int sample_rate);

// The published band edges, for the test: band k spans the FFT bins nearest
// 150 * 2^((2k - 1) / 6) Hz up to (not including) the one nearest
// 150 * 2^((2k + 1) / 6) Hz, at 10 kHz with a 512-point FFT.
std::vector<std::pair<int, int>> StoiBandBins();

}  // namespace earshot::bench
