package dev.dl4jfms.gp;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A known-answer check of the OpenBLAS kernels that {@link TriangularAlgebra} calls directly ({@code potrf},
 * {@code trsm}), run once per JVM before they are trusted, and the plain-Java Cholesky used when they fail it.
 *
 * <p>Why: the OpenBLAS 0.3.19 that ND4J 1.0.0-M2.1 bundles picks its kernels by CPU at run time, and on AVX-512
 * CPUs (core type SkylakeX / Cooperlake) its triangular kernels return wrong numbers — a solve off by a factor of
 * 20, a positive definite kernel matrix reported as indefinite (reproduced here with {@code OPENBLAS_CORETYPE=SkylakeX};
 * the same class of bug as OpenBLAS issues #1643 and #2986). The check factorises a fixed, well-conditioned
 * matrix of order 96 and solves 40 right-hand sides with both, and compares with the plain-Java factor; a relative
 * error above {@code 1e-8} (rounding is ~1e-14) means the kernels cannot be used. {@code OPENBLAS_CORETYPE=Haswell}
 * selects kernels that pass.
 */
final class OpenBlasKernelCheck {

    private static final Logger log = LoggerFactory.getLogger(OpenBlasKernelCheck.class);
    static final int ORDER = 96;
    static final int RIGHT_HAND_SIDES = 40;
    static final double TOLERANCE = 1e-8;

    private OpenBlasKernelCheck() {
    }

    /** Whether OpenBLAS's double {@code potrf} and {@code trsm} agree with plain Java on the check matrix. */
    static boolean directKernelsAgree() {
        try {
            double[] a = checkMatrix(ORDER);
            double[] expected = a.clone();
            if (!choleskyLowerInPlace(expected, ORDER)) {
                throw new IllegalStateException("the check matrix must be positive definite");
            }
            for (int j = 1; j < ORDER; j++) {
                java.util.Arrays.fill(expected, j * ORDER, j * ORDER + j, 0.0); // strict upper triangle of column j
            }
            INDArray factor = Nd4j.create(a, new long[] {ORDER, ORDER}, 'f');
            int info = openblas.LAPACKE_dpotrf(openblas.LAPACK_COL_MAJOR, (byte) 'L', ORDER,
                    (DoublePointer) factor.data().addressPointer(), ORDER);
            double factorError = info != 0 ? Double.POSITIVE_INFINITY : lowerRelativeError(factor, expected);
            // right-hand sides: the first columns of the check matrix itself (column-major prefix)
            INDArray rhs = Nd4j.create(java.util.Arrays.copyOf(a, ORDER * RIGHT_HAND_SIDES),
                    new long[] {ORDER, RIGHT_HAND_SIDES}, 'f');
            INDArray solved = rhs.dup('f');
            INDArray lower = Nd4j.create(expected, new long[] {ORDER, ORDER}, 'f');
            openblas.cblas_dtrsm(openblas.CblasColMajor, openblas.CblasLeft, openblas.CblasLower,
                    openblas.CblasNoTrans, openblas.CblasNonUnit, ORDER, RIGHT_HAND_SIDES, 1.0,
                    (DoublePointer) lower.data().addressPointer(), ORDER, (DoublePointer) solved.data().addressPointer(),
                    ORDER);
            // L (L^-1 B) must give B back
            double solveError = lower.mmul(solved).sub(rhs).norm2Number().doubleValue()
                    / rhs.norm2Number().doubleValue();
            boolean agree = factorError <= TOLERANCE && solveError <= TOLERANCE;
            if (!agree) {
                log.warn("OpenBLAS's Cholesky/triangular-solve kernels on this CPU give wrong results (potrf info {}, "
                                + "relative factor error {}, solve residual {}; OPENBLAS_CORETYPE={}): the GP uses "
                                + "its plain-Java Cholesky instead, correct but slower. Set OPENBLAS_CORETYPE=Haswell "
                                + "to get working fast kernels.", info, factorError, solveError,
                        System.getenv("OPENBLAS_CORETYPE"));
            }
            return agree;
        } catch (RuntimeException | LinkageError e) {
            log.warn("OpenBLAS kernel check could not run ({}); the GP uses its plain-Java Cholesky", e.toString());
            return false;
        }
    }

    /** A fixed symmetric positive definite matrix (column-major): B Bᵀ / n + I with B from a fixed generator. */
    static double[] checkMatrix(int n) {
        double[] b = new double[n * n];
        long state = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < b.length; i++) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            b[i] = ((state >>> 11) * 0x1.0p-53) - 0.5;
        }
        double[] a = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += b[i + k * n] * b[j + k * n];
                }
                a[i + j * n] = s / n + (i == j ? 1.0 : 0.0);
            }
        }
        return a;
    }

    private static double lowerRelativeError(INDArray factor, double[] expected) {
        int n = (int) factor.rows();
        double err = 0;
        double norm = 0;
        for (int j = 0; j < n; j++) {
            for (int i = j; i < n; i++) {
                double d = factor.getDouble(i, j) - expected[i + j * n];
                err += d * d;
                norm += expected[i + j * n] * expected[i + j * n];
            }
        }
        return Math.sqrt(err / norm);
    }

    /**
     * Plain-Java lower Cholesky of a column-major symmetric matrix, in place (the lower triangle is read; the strict
     * upper triangle is left as it was).
     *
     * @return false when the matrix is not (numerically) positive definite
     */
    static boolean choleskyLowerInPlace(double[] a, int n) {
        for (int j = 0; j < n; j++) {
            double d = a[j + j * n];
            for (int k = 0; k < j; k++) {
                d -= a[j + k * n] * a[j + k * n];
            }
            if (!(d > 0) || !Double.isFinite(d)) {
                return false;
            }
            double ljj = Math.sqrt(d);
            a[j + j * n] = ljj;
            for (int k = 0; k < j; k++) {
                double ljk = a[j + k * n];
                if (ljk != 0) {
                    int col = k * n;
                    for (int i = j + 1; i < n; i++) {
                        a[i + j * n] -= a[i + col] * ljk;
                    }
                }
            }
            for (int i = j + 1; i < n; i++) {
                a[i + j * n] /= ljj;
            }
        }
        return true;
    }

    /**
     * Plain-Java lower Cholesky of a dense f-order square ND4J array, in place (computed in double, written back in
     * the array's type).
     *
     * @return false when it is not positive definite (the array is then left unchanged)
     */
    static boolean choleskyLowerInPlace(INDArray fOrder) {
        int n = (int) fOrder.rows();
        double[] a = fOrder.castTo(DataType.DOUBLE).dup('f').data().asDouble();
        if (a.length != n * n) {
            throw new IllegalArgumentException("expected a dense " + n + "x" + n + " matrix, got " + a.length
                    + " values");
        }
        if (!choleskyLowerInPlace(a, n)) {
            return false;
        }
        fOrder.assign(Nd4j.create(a, new long[] {n, n}, 'f').castTo(fOrder.dataType()));
        return true;
    }
}
