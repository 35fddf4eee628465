// An in-place complex FFT (iterative radix 2), for the few places that need
// a spectrum of a known power-of-two length (the watermark's carriers and its
// detector). Thread-safe (stateless).
#pragma once

#include <complex>
#include <vector>

namespace earshot::audio {

// Forward: X[k] = sum x[n] e^{-2 pi i k n / N}. Inverse: the same with
// +i, divided by N, so Fft(Fft(x), inverse) == x.
// REQUIRES: a.size() is a power of two.
void Fft(std::vector<std::complex<double>>& a, bool inverse = false);

// True when n is a power of two (1, 2, 4, ...).
bool IsPowerOfTwo(size_t n);

}  // namespace earshot::audio
