package dev.dl4jfms.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.blas.BlasException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The plain-Java Cholesky that replaces OpenBLAS's kernels where they fail the known-answer check, and the factor
 * {@link TriangularAlgebra} returns with whichever kernels this JVM chose (CI machines with AVX-512 take the
 * plain-Java path, this one the direct one): both must reproduce the matrix.
 */
class OpenBlasKernelCheckTest {

    @Test
    void plainJavaFactorReproducesTheMatrixAndRejectsAnIndefiniteOne() {
        int n = 37;
        double[] a = OpenBlasKernelCheck.checkMatrix(n);
        double[] l = a.clone();
        assertTrue(OpenBlasKernelCheck.choleskyLowerInPlace(l, n));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k <= j; k++) {
                    s += l[i + k * n] * l[j + k * n];
                }
                assertEquals(a[i + j * n], s, 1e-12, "(L Lᵀ)[" + i + "," + j + "]");
            }
        }
        double[] indefinite = a.clone();
        indefinite[5 + 5 * n] = -1;
        assertFalse(OpenBlasKernelCheck.choleskyLowerInPlace(indefinite, n));
    }

    @Test
    void factorAndSolvesOfTheChosenKernelsMatchTheMatrixInBothTypes() {
        int n = OpenBlasKernelCheck.ORDER;
        INDArray a = Nd4j.create(OpenBlasKernelCheck.checkMatrix(n), new long[] {n, n}, 'f');
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            INDArray m = a.castTo(dt);
            TriangularAlgebra.Cholesky c = TriangularAlgebra.cholesky(m, 0);
            INDArray l = c.lower();
            double tol = dt == DataType.DOUBLE ? 1e-10 : 1e-4;
            double rel = l.mmul(l.transpose()).sub(m).norm2Number().doubleValue() / m.norm2Number().doubleValue();
            assertTrue(rel < tol, TriangularAlgebra.KERNELS + " " + dt + " factor error " + rel);
            INDArray b = m.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 11)).dup();
            INDArray x = c.solve(b, false);
            double res = l.mmul(x).sub(b).norm2Number().doubleValue() / b.norm2Number().doubleValue();
            assertTrue(res < tol, TriangularAlgebra.KERNELS + " " + dt + " solve residual " + res);
            INDArray y = c.solve(b, true);
            res = l.transpose().mmul(y).sub(b).norm2Number().doubleValue() / b.norm2Number().doubleValue();
            assertTrue(res < tol, TriangularAlgebra.KERNELS + " " + dt + " transposed solve residual " + res);
            INDArray inv = c.inverse();
            double invErr = inv.mmul(m).sub(Nd4j.eye(n).castTo(dt)).norm2Number().doubleValue();
            assertTrue(invErr < (dt == DataType.DOUBLE ? 1e-9 : 1e-3), dt + " inverse error " + invErr);
        }
        INDArray indefinite = a.dup('f');
        indefinite.putScalar(3, 3, -50.0);
        assertThrows(GpNumericalException.class, () -> TriangularAlgebra.cholesky(indefinite, 1));
    }
}
