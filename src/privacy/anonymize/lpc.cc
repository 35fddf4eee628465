#include "privacy/anonymize/lpc.h"

#include <algorithm>
#include <cmath>

namespace earshot::privacy::anonymize {
namespace {

using Complex = std::complex<double>;

// p(z) and p'(z) of the monic polynomial with coefficients a (a[0] = 1).
void Evaluate(const std::vector<double>& a, Complex z, Complex& p, Complex& dp) {
  p = 1.0;
  dp = 0.0;
  for (size_t k = 1; k < a.size(); ++k) {
    dp = dp * z + p;
    p = p * z + a[k];
  }
}

// 1 / z without libgcc's fully IEEE-checked complex division (the roots are
// finite and apart; this is the hot loop of the anonymizer).
inline Complex Reciprocal(Complex z) {
  const double n = z.real() * z.real() + z.imag() * z.imag();
  return {z.real() / n, -z.imag() / n};
}

// Starting points on a circle of the roots' mean radius (Cauchy bound scaled).
std::vector<Complex> InitialGuess(const std::vector<double>& a) {
  const size_t n = a.size() - 1;
  double radius = 0.0;
  for (size_t k = 1; k <= n; ++k) {
    radius = std::max(radius, std::pow(std::abs(a[k]), 1.0 / static_cast<double>(k)));
  }
  radius = std::clamp(radius, 0.5, 1.0);
  std::vector<Complex> z(n);
  for (size_t k = 0; k < n; ++k) {
    const double angle =
        2.0 * M_PI * (static_cast<double>(k) + 0.25) / static_cast<double>(n) + 0.4;
    z[k] = std::polar(radius, angle);
  }
  return z;
}

// Makes the root set closed under conjugation: each root with a small
// imaginary part becomes real; the others are paired with their nearest
// conjugate partner and both set to the pair's mean.
void Symmetrize(std::vector<Complex>& z) {
  std::vector<bool> done(z.size(), false);
  for (size_t i = 0; i < z.size(); ++i) {
    if (done[i]) continue;
    done[i] = true;
    if (std::abs(z[i].imag()) < 1e-7 * std::max(1.0, std::abs(z[i]))) {
      z[i] = z[i].real();
      continue;
    }
    size_t best = z.size();
    double best_d = 0.0;
    for (size_t j = i + 1; j < z.size(); ++j) {
      if (done[j] || (z[j].imag() > 0) == (z[i].imag() > 0)) continue;
      const double d = std::abs(z[j] - std::conj(z[i]));
      if (best == z.size() || d < best_d) {
        best = j;
        best_d = d;
      }
    }
    if (best == z.size()) {  // unpaired (numerically lost): keep it real
      z[i] = z[i].real();
      continue;
    }
    const Complex mean = (z[i] + std::conj(z[best])) * 0.5;
    z[i] = mean;
    z[best] = std::conj(mean);
    done[best] = true;
  }
}

// Aberth-Ehrlich iterations on `z` in place; true once every step is below
// 1e-10.
bool Aberth(const std::vector<double>& a, std::vector<Complex>& z, int max_iterations) {
  const size_t n = z.size();
  for (int it = 0; it < max_iterations; ++it) {
    double largest_step = 0.0;
    for (size_t i = 0; i < n; ++i) {
      Complex p, dp;
      Evaluate(a, z[i], p, dp);
      if (p == 0.0) continue;
      const Complex ratio = p * Reciprocal(dp);
      Complex repulsion = 0.0;
      for (size_t j = 0; j < n; ++j) {
        if (j != i) repulsion += Reciprocal(z[i] - z[j]);
      }
      const Complex step = ratio * Reciprocal(1.0 - ratio * repulsion);
      if (!std::isfinite(step.real()) || !std::isfinite(step.imag())) continue;
      z[i] -= step;
      largest_step = std::max(largest_step, std::norm(step));
    }
    if (largest_step < 1e-20) return true;
  }
  return false;
}

}  // namespace

double Dot(const double* x, const double* y, size_t n) {
  // Four independent sums: the compiler may not reorder one (strict IEEE),
  // and one chain of dependent adds is four times slower.
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += x[i] * y[i];
    s1 += x[i + 1] * y[i + 1];
    s2 += x[i + 2] * y[i + 2];
    s3 += x[i + 3] * y[i + 3];
  }
  for (; i < n; ++i) s0 += x[i] * y[i];
  return (s0 + s1) + (s2 + s3);
}

std::vector<double> BurgCoefficients(const double* frame, size_t n, int order) {
  std::vector<double> a = {1.0};
  if (n < 2) return a;
  std::vector<double> forward(frame, frame + n), backward(frame, frame + n);
  a.reserve(static_cast<size_t>(order) + 1);
  std::vector<double> previous;
  for (int m = 0; m < order && static_cast<size_t>(m) + 1 < n; ++m) {
    // Errors of the order-m predictor: forward[i] for i in [m+1, n),
    // backward[i - 1] for the same i.
    double num = 0.0, den = 0.0;
    for (size_t i = static_cast<size_t>(m) + 1; i < n; ++i) {
      num += forward[i] * backward[i - 1];
      den += forward[i] * forward[i] + backward[i - 1] * backward[i - 1];
    }
    if (!(den > 0.0)) break;
    const double k = -2.0 * num / den;  // |k| <= 1 by Cauchy-Schwarz
    for (size_t i = n; i-- > static_cast<size_t>(m) + 1;) {
      const double f = forward[i], b = backward[i - 1];
      forward[i] = f + k * b;
      backward[i] = b + k * f;
    }
    previous = a;
    previous.push_back(0.0);
    a.push_back(0.0);
    for (size_t j = 1; j < a.size(); ++j) a[j] = previous[j] + k * previous[a.size() - 1 - j];
    if (std::abs(k) >= 1.0) break;  // the frame is predicted exactly: stop here
  }
  return a;
}

std::vector<double> LpcCoefficients(const double* frame, size_t n, int order) {
  std::vector<double> r(order + 1, 0.0);
  for (int lag = 0; lag <= order; ++lag)
    r[lag] = Dot(frame + lag, frame, n - std::min<size_t>(n, lag));
  std::vector<double> a(order + 1, 0.0), prev(order + 1, 0.0);
  a[0] = 1.0;
  // A tiny white-noise floor keeps near-silent frames well conditioned.
  double err = r[0] * (1.0 + 1e-9);
  if (!(err > 1e-12) || !std::isfinite(err)) return a;
  for (int i = 1; i <= order; ++i) {
    double acc = r[i];
    for (int j = 1; j < i; ++j) acc += a[j] * r[i - j];
    const double k = -acc / err;
    if (!(std::abs(k) < 1.0)) break;  // would not be minimum-phase: stop here
    prev = a;
    for (int j = 1; j < i; ++j) a[j] = prev[j] + k * prev[i - j];
    a[i] = k;
    err *= 1.0 - k * k;
    if (!(err > 0.0)) break;
  }
  return a;
}

std::vector<Complex> PolynomialRoots(const std::vector<double>& a,
                                     const std::vector<Complex>& guess, bool* converged) {
  const size_t n = a.size() - 1;
  std::vector<Complex> z;
  bool ok = false;
  if (guess.size() == n) {
    // A small rotation breaks the guess's conjugate symmetry: from exactly
    // real or exactly paired points the iteration could never leave the
    // real axis.
    const Complex turn = std::polar(0.999, 0.01);
    for (const Complex& g : guess) z.push_back(g * turn);
    ok = Aberth(a, z, 80);
  }
  if (!ok) {  // no guess, or it led nowhere: start afresh, with more patience
    z = InitialGuess(a);
    ok = Aberth(a, z, 300);
  }
  if (converged) *converged = ok;
  Symmetrize(z);
  return z;
}

std::vector<double> PolynomialFromRoots(const std::vector<Complex>& roots) {
  std::vector<Complex> c = {1.0};
  for (const Complex& r : roots) {
    c.push_back(0.0);
    for (size_t k = c.size() - 1; k >= 1; --k) c[k] -= r * c[k - 1];
  }
  std::vector<double> a(c.size());
  for (size_t k = 0; k < c.size(); ++k) a[k] = c[k].real();
  return a;
}

}  // namespace earshot::privacy::anonymize
