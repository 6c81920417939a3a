"""Fits the polynomial used for ln(1 + f) in src/sensitivity/kernel.rs.

ln(1 + f) = f * q(f) for f in [sqrt(1/2) - 1, sqrt(2) - 1]; q of degree 7 is
interpolated at Chebyshev nodes in high precision (mpmath), rounded to f32,
and its error measured when evaluated by Horner's rule in f32.

Usage: python3 benches/fit_log_poly.py   (needs numpy and mpmath)
"""

import mpmath as mp
import numpy as np

mp.mp.dps = 40
A = np.sqrt(0.5) - 1
B = np.sqrt(2) - 1
DEGREE = 7


def main():
    k = np.arange(DEGREE + 1)
    nodes = (A + B) / 2 + (B - A) / 2 * np.cos((2 * k + 1) * np.pi / (2 * (DEGREE + 1)))
    vals = np.array([float(mp.log1p(mp.mpf(x)) / mp.mpf(x)) for x in nodes])
    coef = np.polynomial.polynomial.polyfit(nodes, vals, DEGREE).astype(np.float32)
    xs = np.linspace(A, B, 40001)
    ref = np.array([float(mp.log1p(mp.mpf(x))) for x in xs])
    f = xs.astype(np.float32)
    q = np.full_like(f, coef[-1])
    for c in coef[-2::-1]:
        q = q * f + np.float32(c)
    err = np.max(np.abs((f * q).astype(np.float64) - ref))
    print("const LOG1P_Q: [f32; %d] = [" % (DEGREE + 1))
    for c in coef:
        print("    %r," % float(c))
    print("];")
    print("largest absolute error of f * q(f) in f32: %.2e" % err)


if __name__ == "__main__":
    main()
