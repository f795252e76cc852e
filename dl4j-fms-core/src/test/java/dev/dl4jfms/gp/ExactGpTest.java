package dev.dl4jfms.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ExactGp against a plain double-precision Java GP (own naive Cholesky) and central finite differences. */
class ExactGpTest {

    /** Plain-Java reference GP. */
    static final class ReferenceGp {
        final double s2;
        final double ell;
        final double noise;
        final double c;
        final double[][] z;
        final double[][] l;
        final double[] alpha;
        final double nll;

        ReferenceGp(double[] raw, double[][] z, double[] y) {
            s2 = ExactGp.softplus(raw[0]);
            ell = ExactGp.softplus(raw[1]);
            noise = ExactGp.NOISE_FLOOR + ExactGp.softplus(raw[2]);
            c = raw[3];
            this.z = z;
            int n = z.length;
            double[][] ky = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    ky[i][j] = k(z[i], z[j]) + (i == j ? noise : 0);
                }
            }
            l = cholesky(ky);
            double[] r = new double[n];
            for (int i = 0; i < n; i++) {
                r[i] = y[i] - c;
            }
            alpha = backSubstitute(l, forwardSubstitute(l, r));
            double quad = 0;
            double logDet = 0;
            for (int i = 0; i < n; i++) {
                quad += r[i] * alpha[i];
                logDet += Math.log(l[i][i]);
            }
            nll = (0.5 * quad + logDet + 0.5 * n * Math.log(2 * Math.PI)) / n;
        }

        double k(double[] a, double[] b) {
            double d = 0;
            for (int i = 0; i < a.length; i++) {
                d += (a[i] - b[i]) * (a[i] - b[i]);
            }
            return s2 * Math.exp(-d / (2 * ell * ell));
        }

        double[] predict(double[] q, boolean includeNoise) {
            int n = z.length;
            double[] ks = new double[n];
            double mu = c;
            for (int i = 0; i < n; i++) {
                ks[i] = k(q, z[i]);
                mu += ks[i] * alpha[i];
            }
            double[] v = forwardSubstitute(l, ks);
            double var = s2 + (includeNoise ? noise : 0);
            for (double x : v) {
                var -= x * x;
            }
            return new double[] {mu, var};
        }

        static double[][] cholesky(double[][] a) {
            int n = a.length;
            double[][] l = new double[n][n];
            for (int j = 0; j < n; j++) {
                double s = a[j][j];
                for (int k = 0; k < j; k++) {
                    s -= l[j][k] * l[j][k];
                }
                l[j][j] = Math.sqrt(s);
                for (int i = j + 1; i < n; i++) {
                    double t = a[i][j];
                    for (int k = 0; k < j; k++) {
                        t -= l[i][k] * l[j][k];
                    }
                    l[i][j] = t / l[j][j];
                }
            }
            return l;
        }

        static double[] forwardSubstitute(double[][] l, double[] b) {
            int n = b.length;
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                double s = b[i];
                for (int k = 0; k < i; k++) {
                    s -= l[i][k] * x[k];
                }
                x[i] = s / l[i][i];
            }
            return x;
        }

        static double[] backSubstitute(double[][] l, double[] b) {
            int n = b.length;
            double[] x = new double[n];
            for (int i = n - 1; i >= 0; i--) {
                double s = b[i];
                for (int k = i + 1; k < n; k++) {
                    s -= l[k][i] * x[k];
                }
                x[i] = s / l[i][i];
            }
            return x;
        }
    }

    static double[][] randomMatrix(Random rnd, int n, int d, double scale) {
        double[][] m = new double[n][d];
        for (double[] row : m) {
            for (int j = 0; j < d; j++) {
                row[j] = rnd.nextGaussian() * scale;
            }
        }
        return m;
    }

    static double relErr(double a, double ref) {
        return Math.abs(a - ref) / Math.max(1e-12, Math.abs(ref));
    }

    @Test
    void posteriorAndNllMatchPlainJavaReferenceInDouble() {
        Random rnd = new Random(1);
        int n = 90; // crosses several recursion levels of the block triangular inverse (base block 16)
        double[][] z = randomMatrix(rnd, n, 6, 0.7);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.sin(z[i][0]) + 0.1 * rnd.nextGaussian();
        }
        double[] raw = {0.3, -0.2, -3.0, 0.15};
        ExactGp gp = new ExactGp(DataType.DOUBLE);
        gp.setRawParameters(raw);
        ExactGp.Evaluation ev = gp.nllAndGradients(Nd4j.createFromArray(z), Nd4j.createFromArray(y).reshape(n, 1));
        ReferenceGp ref = new ReferenceGp(raw, z, y);
        assertTrue(relErr(ev.nll(), ref.nll) <= 1e-6, "NLL " + ev.nll() + " vs " + ref.nll);

        double[][] q = randomMatrix(rnd, 25, 6, 0.7);
        for (boolean noise : new boolean[] {true, false}) {
            INDArray[] pred = ev.posterior().predict(Nd4j.createFromArray(q), noise);
            for (int i = 0; i < q.length; i++) {
                double[] r = ref.predict(q[i], noise);
                assertTrue(relErr(pred[0].getDouble(i), r[0]) <= 1e-6, "mean " + i);
                double var = pred[1].getDouble(i) * pred[1].getDouble(i);
                assertTrue(relErr(var, r[1]) <= 1e-6, "variance " + i + ": " + var + " vs " + r[1]);
            }
        }
    }

    @Test
    void floatDataTypeWorksAndAgreesLoosely() {
        Random rnd = new Random(2);
        int n = 40;
        double[][] z = randomMatrix(rnd, n, 4, 1.0);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = z[i][1] + 0.1 * rnd.nextGaussian();
        }
        ExactGp gp = new ExactGp(DataType.FLOAT);
        ExactGp.Evaluation ev = gp.nllAndGradients(Nd4j.createFromArray(z).castTo(DataType.FLOAT),
                Nd4j.createFromArray(y).castTo(DataType.FLOAT).reshape(n, 1));
        ReferenceGp ref = new ReferenceGp(gp.rawParameters(), z, y);
        assertEquals(DataType.FLOAT, ev.dZ().dataType());
        assertTrue(relErr(ev.nll(), ref.nll) <= 1e-4, "float NLL " + ev.nll() + " vs " + ref.nll);
        INDArray[] pred = ev.posterior().predict(Nd4j.createFromArray(z[0]).castTo(DataType.FLOAT).reshape(1, 4), true);
        assertTrue(relErr(pred[0].getDouble(0), ref.predict(z[0], true)[0]) <= 1e-3);
    }

    /**
     * Analytic gradients vs central differences of the plain-Java reference NLL; step 1e-5, tolerance
     * 1e-7 absolute + 1e-5 relative (truncation error O(h²) ≈ 1e-10, rounding ≈ 1e-16/h ≈ 1e-11).
     */
    @Test
    void gradientsMatchFiniteDifferences() {
        Random rnd = new Random(3);
        int n = 20;
        int d = 3;
        double[][] z = randomMatrix(rnd, n, d, 0.8);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = z[i][0] * z[i][1] + 0.05 * rnd.nextGaussian();
        }
        double[] raw = {0.2, 0.1, -2.0, 0.3};
        ExactGp gp = new ExactGp(DataType.DOUBLE);
        gp.setRawParameters(raw);
        ExactGp.Evaluation ev = gp.nllAndGradients(Nd4j.createFromArray(z), Nd4j.createFromArray(y).reshape(n, 1));
        double h = 1e-5;
        for (int p = 0; p < 4; p++) {
            double[] plus = raw.clone();
            double[] minus = raw.clone();
            plus[p] += h;
            minus[p] -= h;
            double fd = (new ReferenceGp(plus, z, y).nll - new ReferenceGp(minus, z, y).nll) / (2 * h);
            assertEquals(fd, ev.dRaw()[p], 1e-7 + 1e-5 * Math.abs(fd), "raw parameter " + p);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double[][] zp = deepCopy(z);
                double[][] zm = deepCopy(z);
                zp[i][j] += h;
                zm[i][j] -= h;
                double fd = (new ReferenceGp(raw, zp, y).nll - new ReferenceGp(raw, zm, y).nll) / (2 * h);
                assertEquals(fd, ev.dZ().getDouble(i, j), 1e-7 + 1e-5 * Math.abs(fd), "dZ[" + i + "," + j + "]");
            }
        }
        // G = dNLL/dK_y: its trace is dNLL/dσ², which was just checked by finite differences
        double trace = Nd4j.diag(ev.dKy()).sumNumber().doubleValue();
        assertEquals(ev.dRaw()[2] / ExactGp.sigmoid(raw[2]), trace, 1e-12);
        // ... and G is symmetric
        assertTrue(ev.dKy().sub(ev.dKy().transpose()).amaxNumber().doubleValue() < 1e-12);
    }

    static double[][] deepCopy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }

    @Test
    void lowerInverseIsExactInverse() {
        Random rnd = new Random(4);
        int n = 77;
        double[][] a = randomMatrix(rnd, n, n, 1.0);
        double[][] spd = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    spd[i][j] += a[i][k] * a[j][k];
                }
            }
            spd[i][i] += n;
        }
        TriangularAlgebra.Cholesky chol = TriangularAlgebra.cholesky(Nd4j.createFromArray(spd), 3);
        assertEquals(0.0, chol.jitter());
        double[][] ref = ReferenceGp.cholesky(spd);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(ref[i][j], chol.lower().getDouble(i, j), 1e-10);
            }
        }
        INDArray prod = chol.lower().mmul(TriangularAlgebra.lowerInverse(chol.lower()));
        assertTrue(prod.sub(Nd4j.eye(n).castTo(DataType.DOUBLE)).amaxNumber().doubleValue() < 1e-12);
        // (L Lᵀ)^-1 (potri on the CPU backend) is the symmetric inverse of the original matrix
        INDArray inverse = chol.inverse();
        assertTrue(inverse.sub(inverse.transpose()).amaxNumber().doubleValue() == 0.0, "exactly symmetric");
        INDArray identity = Nd4j.createFromArray(spd).mmul(inverse);
        assertTrue(identity.sub(Nd4j.eye(n).castTo(DataType.DOUBLE)).amaxNumber().doubleValue() < 1e-12);
    }

    @Test
    void lowerSolveMatchesForwardAndBackSubstitution() {
        Random rnd = new Random(6);
        int n = 45;
        int m = 7;
        double[][] l = randomMatrix(rnd, n, n, 1.0);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                l[i][j] = 0.0;
            }
            l[i][i] = 1.0 + Math.abs(l[i][i]);
        }
        double[][] b = randomMatrix(rnd, n, m, 1.0);
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            INDArray lower = Nd4j.createFromArray(l).castTo(dt).dup('f');
            INDArray rhs = Nd4j.createFromArray(b).castTo(dt);
            INDArray rhsBefore = rhs.dup();
            TriangularAlgebra.Cholesky factor = new TriangularAlgebra.Cholesky(lower, 0.0);
            INDArray x = factor.solve(rhs, false);
            INDArray xt = factor.solve(rhs, true);
            assertEquals(rhsBefore, rhs, "right-hand side unchanged");
            double tol = dt == DataType.DOUBLE ? 1e-10 : 1e-3;
            for (int c = 0; c < m; c++) {
                // naive forward substitution L x = b and back substitution Lᵀ x = b, in double
                double[] fwd = new double[n];
                for (int i = 0; i < n; i++) {
                    double s = b[i][c];
                    for (int k = 0; k < i; k++) {
                        s -= l[i][k] * fwd[k];
                    }
                    fwd[i] = s / l[i][i];
                }
                double[] back = new double[n];
                for (int i = n - 1; i >= 0; i--) {
                    double s = b[i][c];
                    for (int k = i + 1; k < n; k++) {
                        s -= l[k][i] * back[k];
                    }
                    back[i] = s / l[i][i];
                }
                for (int i = 0; i < n; i++) {
                    assertEquals(fwd[i], x.getDouble(i, c), tol * Math.max(1, Math.abs(fwd[i])), "L^-1 b " + dt);
                    assertEquals(back[i], xt.getDouble(i, c), tol * Math.max(1, Math.abs(back[i])), "L^-T b " + dt);
                }
            }
        }
    }

    @Test
    void extendingThePosteriorByNewRowsMatchesThePlainJavaReferenceOnAllRows() {
        Random rnd = new Random(8);
        int n = 70;
        double[][] z = randomMatrix(rnd, n, 5, 0.7);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.cos(z[i][1]) + 0.1 * rnd.nextGaussian();
        }
        double[] raw = {0.2, -0.1, -3.5, -0.1};
        ExactGp gp = new ExactGp(DataType.DOUBLE);
        gp.setRawParameters(raw);
        ReferenceGp ref = new ReferenceGp(raw, z, y);
        double[][] q = randomMatrix(rnd, 20, 5, 0.7);
        // 61 rows conditioned, then 1, 5 and 3 rows added one extension after another
        int first = 61;
        ExactGp.Posterior p = gp.condition(rows(z, 0, first), Nd4j.createFromArray(java.util.Arrays.copyOf(y, first)));
        for (int[] block : new int[][] {{61, 62}, {62, 67}, {67, 70}}) {
            p = p.extend(rows(z, block[0], block[1]),
                    Nd4j.createFromArray(java.util.Arrays.copyOfRange(y, block[0], block[1])));
        }
        assertEquals(n, p.inputs().rows());
        assertTrue(relErr(p.nll(), ref.nll) <= 1e-9, "NLL " + p.nll() + " vs " + ref.nll);
        INDArray[] pred = p.predict(Nd4j.createFromArray(q), true);
        for (int i = 0; i < q.length; i++) {
            double[] r = ref.predict(q[i], true);
            assertTrue(relErr(pred[0].getDouble(i), r[0]) <= 1e-9, "mean " + i);
            double var = pred[1].getDouble(i) * pred[1].getDouble(i);
            assertTrue(relErr(var, r[1]) <= 1e-9, "variance " + i + ": " + var + " vs " + r[1]);
        }
        // a border that makes the matrix singular gets jitter; one that makes it indefinite fails clearly
        TriangularAlgebra.Cholesky identity = TriangularAlgebra.cholesky(Nd4j.eye(3).castTo(DataType.DOUBLE), 3);
        INDArray e1 = Nd4j.createFromArray(new double[][] {{1}, {0}, {0}});
        TriangularAlgebra.Cholesky singular = identity.extend(e1, Nd4j.createFromArray(new double[][] {{1}}), 3)
                .factor();
        assertTrue(singular.jitter() >= 1e-6, "jitter " + singular.jitter());
        assertThrows(GpNumericalException.class,
                () -> identity.extend(e1, Nd4j.createFromArray(new double[][] {{0.5}}), 3));
        ExactGp.Posterior q0 = p;
        assertThrows(IllegalArgumentException.class, () -> q0.extend(Nd4j.zeros(DataType.DOUBLE, 1, 4),
                Nd4j.zeros(DataType.DOUBLE, 1)));
    }

    private static INDArray rows(double[][] z, int from, int to) {
        return Nd4j.createFromArray(java.util.Arrays.copyOfRange(z, from, to));
    }

    @Test
    void choleskyAddsJitterToSemidefiniteAndFailsOnIndefinite() {
        INDArray ones = Nd4j.ones(DataType.DOUBLE, 5, 5); // rank 1: potrf fails, 1e-6 I fixes it
        TriangularAlgebra.Cholesky chol = TriangularAlgebra.cholesky(ones, 3);
        assertTrue(chol.jitter() >= 1e-6, "jitter " + chol.jitter());
        INDArray indefinite = Nd4j.eye(4).castTo(DataType.DOUBLE).muli(-1.0);
        assertThrows(GpNumericalException.class, () -> TriangularAlgebra.cholesky(indefinite, 3));
    }
}
