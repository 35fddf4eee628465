// Linear prediction for the anonymizers: autocorrelation and Levinson-Durbin,
// Burg's method, and the roots of a prediction polynomial. Pure functions;
// thread-safe.
#pragma once

#include <complex>
#include <vector>

namespace earshot::privacy::anonymize {

// sum x[i] * y[i] over i < n.
double Dot(const double* x, const double* y, size_t n);

// Prediction coefficients a[0..order] (a[0] = 1) of `frame` by the
// autocorrelation method, so that A(z) = sum a[k] z^-k whitens the frame.
// A silent or degenerate frame (zero energy, or a reflection coefficient whose
// magnitude reaches 1) returns the coefficients found before it, padded with
// zeros: the result is always minimum-phase. REQUIRES: order >= 1.
std::vector<double> LpcCoefficients(const double* frame, size_t n, int order);

// The same by Burg's method (the VoicePrivacy Challenge's script uses it, via
// librosa.lpc): each reflection coefficient minimizes the forward and
// backward prediction errors of the frame itself, with no window implied
// beyond the frame's, so resonances come out sharper than by the
// autocorrelation method on a short frame. Always minimum-phase (each
// |k| <= 1); a silent frame returns a[0] = 1 alone. REQUIRES: order >= 1.
std::vector<double> BurgCoefficients(const double* frame, size_t n, int order);

// The roots of the monic polynomial z^N + a[1] z^(N-1) + ... + a[N], i.e. the
// poles of 1/A(z). Aberth-Ehrlich iteration; `guess` (may be empty) seeds it,
// e.g. with the previous frame's roots. Complex roots come out as exact
// conjugate pairs and real roots with a zero imaginary part.
// `converged` (may be null) says whether every root was found to 1e-10; if
// the seeded run fails, the search restarts from scratch before giving up.
std::vector<std::complex<double>> PolynomialRoots(const std::vector<double>& a,
                                                  const std::vector<std::complex<double>>& guess,
                                                  bool* converged = nullptr);

// The real coefficients a[0..N] (a[0] = 1) of prod (1 - r z^-1) over `roots`,
// which must be closed under conjugation.
std::vector<double> PolynomialFromRoots(const std::vector<std::complex<double>>& roots);

}  // namespace earshot::privacy::anonymize
