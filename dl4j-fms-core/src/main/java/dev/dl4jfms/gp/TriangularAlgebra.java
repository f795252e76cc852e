package dev.dl4jfms.gp;

import org.nd4j.linalg.api.blas.BlasException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Cholesky factorisation and triangular inverses built only from ND4J operations that are known to be correct and
 * fast (see environment.md): LAPACK {@code potrf} for the factor and {@code triangularSolve} on small diagonal
 * blocks, everything else matrix products. ND4J's own {@code cholesky}/{@code inverse}/{@code logdet} and the BLAS
 * {@code trsm} wrapper are deliberately not used.
 *
 * <p>Why an explicit inverse: {@code triangularSolve} with many right-hand sides costs seconds at n = 500, while the
 * GP needs {@code K_y^-1} (for the gradient) and {@code L^-1 k*} for 1,000 candidates. A recursive block inverse
 * {@code [[A,0],[B,C]]^-1 = [[A^-1,0],[-C^-1 B A^-1, C^-1]]} turns that into matrix products.
 */
final class TriangularAlgebra {

    /** Below this size the inverse of a triangular block comes from {@code triangularSolve} against the identity. */
    static final int BASE_BLOCK = 16;

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
        long n = symmetric.rows();
        double jitter = 0.0;
        INDArray mask = lowerMask(n, symmetric.dataType());
        for (int attempt = 0; attempt <= retries; attempt++) {
            INDArray copy = symmetric.dup('f');
            if (jitter > 0) {
                copy.addi(identity(n, symmetric.dataType()).mul(jitter));
            }
            try {
                Nd4j.getBlasWrapper().lapack().potrf(copy, true);
                copy.muli(mask); // potrf leaves the strict upper triangle untouched
                if (!Double.isFinite(copy.sumNumber().doubleValue())) {
                    throw new BlasException("non-finite Cholesky factor");
                }
                return new Cholesky(copy, jitter);
            } catch (BlasException | IllegalStateException e) {
                jitter = jitter == 0.0 ? 1e-6 : jitter * 10;
            }
        }
        throw new GpNumericalException("kernel matrix (n=" + n + ") is not positive definite even with jitter "
                + jitter / 10);
    }

    /** Inverse of a lower-triangular matrix, by recursive 2x2 blocking (matrix products only above BASE_BLOCK). */
    static INDArray lowerInverse(INDArray lower) {
        long n = lower.rows();
        DataType dt = lower.dataType();
        if (n <= BASE_BLOCK) {
            return Nd4j.linalg().triangularSolve(lower.dup(), identity(n, dt), true, false);
        }
        long h = n / 2;
        INDArray a = lower.get(NDArrayIndex.interval(0, h), NDArrayIndex.interval(0, h));
        INDArray b = lower.get(NDArrayIndex.interval(h, n), NDArrayIndex.interval(0, h));
        INDArray c = lower.get(NDArrayIndex.interval(h, n), NDArrayIndex.interval(h, n));
        INDArray aInv = lowerInverse(a.dup());
        INDArray cInv = lowerInverse(c.dup());
        INDArray result = Nd4j.zeros(dt, n, n);
        result.get(NDArrayIndex.interval(0, h), NDArrayIndex.interval(0, h)).assign(aInv);
        result.get(NDArrayIndex.interval(h, n), NDArrayIndex.interval(h, n)).assign(cInv);
        result.get(NDArrayIndex.interval(h, n), NDArrayIndex.interval(0, h))
                .assign(cInv.mmul(b.dup()).mmul(aInv).negi());
        return result;
    }

    /** Identity matrix (shared, do not modify); cached because creating one costs milliseconds at n = 500. */
    static synchronized INDArray identity(long n, DataType dt) {
        String key = "I" + n + dt;
        return CACHE.computeIfAbsent(key, k -> Nd4j.eye(n).castTo(dt));
    }

    /** Lower-triangular mask of ones including the diagonal (shared, do not modify). */
    static synchronized INDArray lowerMask(long n, DataType dt) {
        String key = "T" + n + dt;
        return CACHE.computeIfAbsent(key, k -> Nd4j.tri((int) n).castTo(dt));
    }

    private static final int CACHE_LIMIT = 64;
    @SuppressWarnings("serial")
    private static final java.util.Map<String, INDArray> CACHE = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, INDArray> eldest) {
            return size() > CACHE_LIMIT;
        }
    };

    /** A lower Cholesky factor and the jitter added to the diagonal before factorising. */
    record Cholesky(INDArray lower, double jitter) {
    }
}
