package dev.dl4jfms.gp;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.blas.BlasException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Cholesky factorisation and triangular inverses built only from ND4J operations that are known to be correct and
 * fast (see environment.md): LAPACK {@code potrf} for the factor and {@code triangularSolve} on small diagonal
 * blocks, everything else matrix products. ND4J's own {@code cholesky}/{@code inverse}/{@code logdet} and its BLAS
 * {@code trsm} wrapper are deliberately not used; on the CPU backend OpenBLAS's {@code potrf}, {@code potri} and
 * {@code trsm} are called directly on the arrays' buffers.
 *
 * <p>Why an explicit inverse: ND4J's {@code triangularSolve} with many right-hand sides costs seconds at n = 500,
 * while the gradient of the GP needs {@code K_y^-1}. On the CPU backend LAPACK's {@code potri} computes it from the
 * factor (and BLAS {@code trsm} solves for the predictive variances); elsewhere a recursive block inverse
 * {@code [[A,0],[B,C]]^-1 = [[A^-1,0],[-C^-1 B A^-1, C^-1]]} turns it into matrix products.
 *
 * <p>The direct OpenBLAS calls are trusted only after {@link OpenBlasKernelCheck} has checked them once against a
 * plain-Java factor: on AVX-512 CPUs the OpenBLAS 0.3.19 bundled with ND4J returns wrong factors and solves, and
 * there the factor is computed in plain Java instead ({@link Kernels#PLAIN_JAVA}, logged once).
 */
final class TriangularAlgebra {

    /** Below this size the inverse of a triangular block comes from {@code triangularSolve} against the identity. */
    static final int BASE_BLOCK = 32;

    private TriangularAlgebra() {
    }

    /**
     * Lower Cholesky factor of {@code symmetric} (not modified). Retries with jitter {@code 1e-6 I}, then x10, up to
     * {@code retries} times.
     *
     * @return the factor and the jitter that was finally added (0 when none was needed)
     * @throws GpNumericalException when every attempt fails
     */
    static Cholesky cholesky(INDArray symmetric, int retries) {
        return cholesky(symmetric, 0.0, retries);
    }

    /**
     * Lower Cholesky factor of {@code symmetric + diagonalShift I} ({@code symmetric} is not modified): one f-order
     * copy that LAPACK factorises in place, the shift added on a strided view of its diagonal (no n×n identity
     * temporaries). Retries with jitter {@code 1e-6 I}, then x10, up to {@code retries} times.
     *
     * @return the factor and the jitter that was finally added on top of the shift (0 when none was needed)
     * @throws GpNumericalException when every attempt fails
     */
    static Cholesky cholesky(INDArray symmetric, double diagonalShift, int retries) {
        long n = symmetric.rows();
        double jitter = 0.0;
        INDArray mask = lowerMask(n, symmetric.dataType());
        for (int attempt = 0; attempt <= retries; attempt++) {
            INDArray copy = symmetric.dup('f');
            if (diagonalShift + jitter != 0.0) {
                diagonal(copy).addi(diagonalShift + jitter);
            }
            try {
                potrfLowerInPlace(copy);
                copy.muli(mask); // potrf leaves the strict upper triangle untouched
                // A finite factor has a finite, positive diagonal; the diagonal is n values, not n² to scan.
                INDArray d = diagonal(copy);
                double minDiag = d.minNumber().doubleValue();
                if (!(minDiag > 0) || !Double.isFinite(d.maxNumber().doubleValue())) {
                    throw new BlasException("non-finite or non-positive Cholesky diagonal");
                }
                return new Cholesky(copy, jitter);
            } catch (BlasException | IllegalStateException e) {
                jitter = jitter == 0.0 ? 1e-6 : jitter * 10;
            }
        }
        throw new GpNumericalException("kernel matrix (n=" + n + ") is not positive definite even with jitter "
                + jitter / 10);
    }

    /**
     * LAPACK {@code potrf} (lower) on a dense f-order square matrix, in place. On the CPU backend LAPACKE is called
     * directly on the array's buffer: ND4J's wrapper zeroes the upper triangle afterwards with one {@code putScalar}
     * per element, which made it 3–20× slower than the factorisation itself at n = 128…500 (docs/benchmarks.md);
     * the caller masks the upper triangle with one array op instead. Other backends (CUDA) use ND4J's wrapper.
     *
     * @throws BlasException when the matrix is not positive definite (LAPACK info ≠ 0)
     */
    static void potrfLowerInPlace(INDArray fOrder) {
        if (KERNELS == Kernels.ND4J) {
            Nd4j.getBlasWrapper().lapack().potrf(fOrder, true);
            return;
        }
        if (!isDenseFOrder(fOrder) || fOrder.columns() != fOrder.rows()) {
            throw new IllegalArgumentException("potrf needs a dense f-order square matrix");
        }
        if (KERNELS == Kernels.PLAIN_JAVA) {
            if (!OpenBlasKernelCheck.choleskyLowerInPlace(fOrder)) {
                throw new BlasException("plain-Java Cholesky: matrix not positive definite");
            }
            return;
        }
        int info = lapackeLower(fOrder, "potrf", (m, a) -> openblas.LAPACKE_dpotrf(openblas.LAPACK_COL_MAJOR,
                (byte) 'L', m, (DoublePointer) a, m), (m, a) -> openblas.LAPACKE_spotrf(openblas.LAPACK_COL_MAJOR,
                (byte) 'L', m, (FloatPointer) a, m));
        if (info != 0) {
            throw new BlasException("potrf failed: info = " + info);
        }
    }

    /** A LAPACKE routine on a square column-major matrix: (order n, buffer) → info. */
    private interface LapackeCall {
        int call(int n, Pointer buffer);
    }

    /** Calls the double or float LAPACKE routine on {@code square}'s buffer in place; returns LAPACK's info. */
    private static int lapackeLower(INDArray square, String routine, LapackeCall dbl, LapackeCall flt) {
        int n = (int) square.rows();
        Pointer buffer = square.data().addressPointer();
        return switch (square.dataType()) {
            case DOUBLE -> dbl.call(n, buffer);
            case FLOAT -> flt.call(n, buffer);
            default -> throw new IllegalArgumentException(routine + " needs FLOAT or DOUBLE, got "
                    + square.dataType());
        };
    }

    /** Whether an array's buffer holds exactly its elements in column-major order (LAPACK/BLAS can take it as is). */
    private static boolean isDenseFOrder(INDArray a) {
        return a.ordering() == 'f' && a.offset() == 0 && !a.isView();
    }

    /** Which implementation factorises and solves (chosen once per JVM). */
    enum Kernels {
        /** OpenBLAS {@code potrf}, {@code potri}, {@code trsm} called on array buffers: CPU backend, check passed. */
        DIRECT_OPENBLAS,
        /**
         * CPU backend whose OpenBLAS kernels failed {@link OpenBlasKernelCheck} (AVX-512 kernels of 0.3.19): the
         * factor in plain Java, solves and inverses by the block inverse (matrix products only).
         */
        PLAIN_JAVA,
        /** Other backends (CUDA): ND4J's {@code potrf} wrapper and the block inverse. */
        ND4J
    }

    /** The implementation this JVM uses; the system property {@code dl4jfms.gp.kernels} overrides it (tests). */
    static final Kernels KERNELS = chooseKernels();

    private static Kernels chooseKernels() {
        String forced = System.getProperty("dl4jfms.gp.kernels");
        if (forced != null && !forced.isBlank()) {
            return Kernels.valueOf(forced.trim());
        }
        if (!"CpuBackend".equals(Nd4j.getBackend().getClass().getSimpleName())) {
            return Kernels.ND4J;
        }
        try {
            Class.forName("org.bytedeco.openblas.global.openblas");
        } catch (ClassNotFoundException | LinkageError e) {
            return Kernels.PLAIN_JAVA;
        }
        return OpenBlasKernelCheck.directKernelsAgree() ? Kernels.DIRECT_OPENBLAS : Kernels.PLAIN_JAVA;
    }

    /** A strided view of the diagonal of a square matrix (writes go to the matrix), for c and f order alike. */
    static INDArray diagonal(INDArray square) {
        long n = square.rows();
        if (square.columns() != n || square.offset() != 0 || square.stride(0) * square.stride(1) != n) {
            throw new IllegalArgumentException("diagonal view needs a dense square matrix, got shape "
                    + java.util.Arrays.toString(square.shape()));
        }
        return Nd4j.create(square.data(), new long[] {n}, new long[] {n + 1}, 0, 'c');
    }

    /** Inverse of a lower-triangular matrix, by recursive 2x2 blocking (matrix products only above BASE_BLOCK). */
    static INDArray lowerInverse(INDArray lower) {
        long n = lower.rows();
        INDArray result = Nd4j.zeros(lower.dataType(), n, n);
        lowerInverseInto(lower, result, 0, n);
        return result;
    }

    /**
     * Writes the inverse of the diagonal block {@code [from, to)} of {@code lower} into the same block of
     * {@code out}: the blocks are one-level views of the two top-level arrays (ND4J mishandles views of views), so
     * the recursion allocates only the off-diagonal products.
     */
    private static void lowerInverseInto(INDArray lower, INDArray out, long from, long to) {
        long n = to - from;
        if (n <= BASE_BLOCK) {
            INDArray block = lower.get(NDArrayIndex.interval(from, to), NDArrayIndex.interval(from, to)).dup('c');
            out.get(NDArrayIndex.interval(from, to), NDArrayIndex.interval(from, to))
                    .assign(Nd4j.linalg().triangularSolve(block, identity(n, lower.dataType()), true, false));
            return;
        }
        long mid = from + n / 2;
        lowerInverseInto(lower, out, from, mid);
        lowerInverseInto(lower, out, mid, to);
        INDArray b = lower.get(NDArrayIndex.interval(mid, to), NDArrayIndex.interval(from, mid));
        INDArray aInv = out.get(NDArrayIndex.interval(from, mid), NDArrayIndex.interval(from, mid));
        INDArray cInv = out.get(NDArrayIndex.interval(mid, to), NDArrayIndex.interval(mid, to));
        out.get(NDArrayIndex.interval(mid, to), NDArrayIndex.interval(from, mid))
                .assign(cInv.mmul(b).mmul(aInv).negi());
    }

    /** Identity matrix (shared, do not modify); cached because creating one costs milliseconds at n = 500. */
    static synchronized INDArray identity(long n, DataType dt) {
        String key = "I" + n + dt;
        return CACHE.computeIfAbsent(key, k -> dev.dl4jfms.nd.Workspaces.outside(() -> Nd4j.eye(n).castTo(dt)));
    }

    /** Lower-triangular mask of ones including the diagonal (shared, do not modify). */
    static synchronized INDArray lowerMask(long n, DataType dt) {
        String key = "T" + n + dt;
        // Nd4j.tri(1) returns [[0]] in ND4J 1.0.0-M2.1 (a one-observation fit then "failed" every Cholesky).
        return CACHE.computeIfAbsent(key, k -> dev.dl4jfms.nd.Workspaces.outside(
                () -> n == 1 ? Nd4j.ones(dt, 1, 1) : Nd4j.tri((int) n).castTo(dt)));
    }

    private static final int CACHE_LIMIT = 64;
    @SuppressWarnings("serial")
    private static final java.util.Map<String, INDArray> CACHE = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, INDArray> eldest) {
            return size() > CACHE_LIMIT;
        }
    };

    /**
     * The factor of a bordered matrix ({@link Cholesky#extend}) and what the border left behind: {@code V = L^-1 C}
     * [n, k] and the factor {@code L₂} of the new corner (with them, callers extend their own solves by the new rows).
     */
    record Bordered(Cholesky factor, INDArray projection, Cholesky corner) {
    }

    /**
     * A lower Cholesky factor {@code L} of {@code K_y}, the jitter added to the diagonal before factorising, and the
     * solves and the inverse built on it. On the CPU backend they are OpenBLAS calls on {@code L}; elsewhere they are
     * products with {@code L^-1}, computed once per factor on first use and kept, so the two solves of a conditioning
     * and every later prediction share it. (The GP's first use is in the same scope as {@code L}: the cached inverse
     * lives wherever {@code L} lives.) Not thread-safe.
     */
    static final class Cholesky {
        private final INDArray lower;
        private final double jitter;
        private INDArray lowerInverse;

        Cholesky(INDArray lower, double jitter) {
            this.lower = lower;
            this.jitter = jitter;
        }

        /** The factor L (lower triangle, zeros above). */
        INDArray lower() {
            return lower;
        }

        /**
         * Jitter that was added to the diagonal on top of the requested shift (0 when none was needed); for a factor
         * made by {@link #extend}, the largest on any diagonal entry (the old factor's plus any the new corner needed).
         */
        double jitter() {
            return jitter;
        }

        /**
         * The factor of the bordered matrix {@code [[A, C], [Cᵀ, D]]} where {@code A = L Lᵀ} is this factor's matrix,
         * {@code C} [n, k] the cross block and {@code D} [k, k] the new corner (its diagonal shift already added):
         * {@code [[L, 0], [Vᵀ, L₂]]} with {@code V = L^-1 C} and {@code L₂ Lᵀ₂ = D - Vᵀ V}. Costs one triangular
         * solve (n²k) and a k×k factorisation instead of an (n+k)³/3 one; the result equals the factor of the whole
         * matrix up to rounding. The corner is retried with jitter like {@link TriangularAlgebra#cholesky}.
         *
         * @return the grown factor with {@code V} and {@code L₂}
         * @throws GpNumericalException when the corner's Schur complement is not positive definite even with jitter
         */
        Bordered extend(INDArray cross, INDArray corner, int retries) {
            long n = lower.rows();
            long k = corner.rows();
            if (cross.rows() != n || cross.columns() != k || corner.columns() != k) {
                throw new IllegalArgumentException("extend needs C [" + n + ", k] and D [k, k], got "
                        + java.util.Arrays.toString(cross.shape()) + " and " + java.util.Arrays.toString(corner.shape()));
            }
            INDArray v = solve(cross, false);                               // [n, k]
            INDArray schur = corner.sub(v.transpose().mmul(v));             // [k, k]
            Cholesky cornerFactor = cholesky(schur, jitter, retries); // potrf reads its lower triangle only
            INDArray grown = Nd4j.create(lower.dataType(), new long[] {n + k, n + k}, 'f'); // zeros
            grown.get(NDArrayIndex.interval(0, n), NDArrayIndex.interval(0, n)).assign(lower);
            grown.get(NDArrayIndex.interval(n, n + k), NDArrayIndex.interval(0, n)).assign(v.transpose());
            grown.get(NDArrayIndex.interval(n, n + k), NDArrayIndex.interval(n, n + k)).assign(cornerFactor.lower());
            return new Bordered(new Cholesky(grown, jitter + cornerFactor.jitter()), v, cornerFactor);
        }

        /**
         * {@code L^-1 B} (or {@code L^-T B} when {@code transposed}) for {@code B} [n, m] (not modified). On the CPU
         * backend one BLAS {@code trsm} call (n²m flops) on an f-order copy of {@code B}.
         */
        INDArray solve(INDArray rhs, boolean transposed) {
            long n = lower.rows();
            if (rhs.rank() != 2 || rhs.rows() != n || rhs.dataType() != lower.dataType()) {
                throw new IllegalArgumentException("solve needs B [" + n + ", m] of type " + lower.dataType()
                        + ", got " + java.util.Arrays.toString(rhs.shape()) + " " + rhs.dataType());
            }
            if (KERNELS != Kernels.DIRECT_OPENBLAS) {
                INDArray inverse = lowerInverse();
                return (transposed ? inverse.transpose() : inverse).mmul(rhs);
            }
            INDArray a = isDenseFOrder(lower) ? lower : lower.dup('f');
            INDArray b = rhs.dup('f');
            int rows = (int) n;
            int cols = (int) rhs.columns();
            int trans = transposed ? openblas.CblasTrans : openblas.CblasNoTrans;
            switch (a.dataType()) {
                case DOUBLE -> openblas.cblas_dtrsm(openblas.CblasColMajor, openblas.CblasLeft, openblas.CblasLower,
                        trans, openblas.CblasNonUnit, rows, cols, 1.0, (DoublePointer) a.data().addressPointer(),
                        rows, (DoublePointer) b.data().addressPointer(), rows);
                case FLOAT -> openblas.cblas_strsm(openblas.CblasColMajor, openblas.CblasLeft, openblas.CblasLower,
                        trans, openblas.CblasNonUnit, rows, cols, 1.0f, (FloatPointer) a.data().addressPointer(),
                        rows, (FloatPointer) b.data().addressPointer(), rows);
                default -> throw new IllegalArgumentException("trsm needs FLOAT or DOUBLE, got " + a.dataType());
            }
            return b;
        }

        /**
         * {@code (L Lᵀ)^-1} as a dense symmetric matrix. On the CPU backend one LAPACKE {@code potri} call (about
         * n³/3 flops, in place on an f-order copy, lower triangle only, mirrored with two array ops); elsewhere
         * {@code L^-T L^-1}, one GEMM.
         */
        INDArray inverse() {
            if (KERNELS != Kernels.DIRECT_OPENBLAS) {
                INDArray inverse = lowerInverse();
                return inverse.transpose().mmul(inverse);
            }
            INDArray inv = lower.dup('f');
            int info = lapackeLower(inv, "potri", (m, a) -> openblas.LAPACKE_dpotri(openblas.LAPACK_COL_MAJOR,
                    (byte) 'L', m, (DoublePointer) a, m), (m, a) -> openblas.LAPACKE_spotri(
                    openblas.LAPACK_COL_MAJOR, (byte) 'L', m, (FloatPointer) a, m));
            if (info != 0) {
                throw new GpNumericalException("potri failed: info = " + info + " (n=" + lower.rows() + ")");
            }
            // potri wrote the lower triangle; the strict upper one still holds L's zeros. Mirror: A + Aᵀ - diag(A).
            INDArray diag = diagonal(inv).dup();
            INDArray full = inv.add(inv.transpose()); // a fresh dense array: its diagonal view is valid
            diagonal(full).assign(diag);
            return full;
        }

        /** {@code L^-1} by the recursive block inverse (backends without direct LAPACK), computed once. */
        private INDArray lowerInverse() {
            if (lowerInverse == null) {
                lowerInverse = TriangularAlgebra.lowerInverse(lower);
            }
            return lowerInverse;
        }
    }
}
