package dev.dl4jfms.gp;

import dev.dl4jfms.nd.Workspaces;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Exact Gaussian process on fixed inputs {@code z}: constant mean {@code c}, RBF kernel
 * {@code K_ij = s² exp(-‖z_i - z_j‖² / (2ℓ²))} with one shared lengthscale, Gaussian noise {@code σ²}.
 *
 * <p>Parametrisation (spec section 4): {@code s² = softplus(rawScale)}, {@code ℓ = softplus(rawLengthscale)},
 * {@code σ² = 1e-4 + softplus(rawNoise)}; the raw values start at 0 (so s², ℓ ≈ 0.693, σ² ≈ 0.6933) and
 * {@code c} starts at 0. The noise floor is additive so that the map stays smooth.
 *
 * <p>All array work is ND4J operations in one data type ({@link #dataType()}); scalars are Java doubles. The
 * negative log marginal likelihood is divided by n. Gradients are analytic (spec section 4):
 * {@code G = ∂NLL/∂K_y = (K_y^-1 - ααᵀ)/(2n)}, {@code ∂NLL/∂Z = -(2/ℓ²)(diag(rowsum(G∘K)) Z - (G∘K) Z)}.
 */
public final class ExactGp {

    /** Lower bound of the noise variance σ². */
    public static final double NOISE_FLOOR = 1e-4;
    /** Jitter retries after a failed Cholesky (1e-6, 1e-5, 1e-4 times I). */
    public static final int JITTER_RETRIES = 3;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final DataType dataType;
    private double rawScale;
    private double rawLengthscale;
    private double rawNoise;
    private double mean;

    /** A GP with the initial hyperparameters, computing in {@code dataType} (DOUBLE or FLOAT). */
    public ExactGp(DataType dataType) {
        this.dataType = Objects.requireNonNull(dataType, "dataType");
        if (!dataType.isFPType()) {
            throw new IllegalArgumentException("GP data type must be floating point, got " + dataType);
        }
    }

    public DataType dataType() {
        return dataType;
    }

    /** Resets to the initial hyperparameters (raw values 0, mean 0). */
    public void reset() {
        rawScale = 0;
        rawLengthscale = 0;
        rawNoise = 0;
        mean = 0;
    }

    /** Raw parameters in the order {@code [rawScale, rawLengthscale, rawNoise, mean]}. */
    public double[] rawParameters() {
        return new double[] {rawScale, rawLengthscale, rawNoise, mean};
    }

    /** Sets the raw parameters (order of {@link #rawParameters()}). */
    public void setRawParameters(double[] raw) {
        if (raw == null || raw.length != 4) {
            throw new IllegalArgumentException("expected 4 raw GP parameters [scale, lengthscale, noise, mean]");
        }
        for (double v : raw) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("raw GP parameter is not finite: " + java.util.Arrays.toString(raw));
            }
        }
        rawScale = raw[0];
        rawLengthscale = raw[1];
        rawNoise = raw[2];
        mean = raw[3];
    }

    /** Signal variance s². */
    public double signalVariance() {
        return softplus(rawScale);
    }

    /** Lengthscale ℓ. */
    public double lengthscale() {
        return softplus(rawLengthscale);
    }

    /** Noise variance σ² (≥ {@link #NOISE_FLOOR}). */
    public double noiseVariance() {
        return NOISE_FLOOR + softplus(rawNoise);
    }

    /** Constant mean c. */
    public double mean() {
        return mean;
    }

    /** Numerically stable softplus log(1 + e^x). */
    public static double softplus(double x) {
        return x > 30 ? x : Math.log1p(Math.exp(x));
    }

    /** Derivative of softplus, the logistic sigmoid. */
    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /** Pairwise squared distances between the rows of {@code a} [m, D] and {@code b} [n, D], clamped at 0. */
    public static INDArray squaredDistances(INDArray a, INDArray b) {
        INDArray aa = a.mul(a).sum(true, 1);          // [m, 1]
        INDArray bb = b.mul(b).sum(true, 1).transpose(); // [1, n]
        INDArray d = a.mmul(b.transpose()).muli(-2.0);
        d.addiColumnVector(aa).addiRowVector(bb);
        return Transforms.relu(d, false);
    }

    /** RBF kernel matrix between rows of {@code a} and {@code b} at the current hyperparameters. */
    public INDArray kernel(INDArray a, INDArray b) {
        return rbf(squaredDistances(a, b));
    }

    private INDArray rbf(INDArray squaredDistances) {
        double ell = lengthscale();
        return Transforms.exp(squaredDistances.mul(-1.0 / (2 * ell * ell)), false).muli(signalVariance());
    }

    /**
     * Conditions the GP on {@code (z, y)}.
     *
     * @param z inputs [n, D] in {@link #dataType()}
     * @param y targets [n, 1] (or [n]) in {@link #dataType()}
     * @throws GpNumericalException when the Cholesky fails after all jitter retries or the result is not finite
     */
    public Posterior condition(INDArray z, INDArray y) {
        return evaluate(z, y, false).posterior();
    }

    /**
     * NLL/n at {@code (z, y)} and the posterior, without the O(n³) gradient work (for the final conditioning of a
     * fit). The returned evaluation has null gradients.
     *
     * @throws GpNumericalException when the Cholesky fails after all jitter retries or a value is not finite
     */
    public Evaluation nllAndPosterior(INDArray z, INDArray y) {
        return evaluate(z, y, false);
    }

    /**
     * NLL/n at {@code (z, y)} with its analytic gradients, and the posterior (for free).
     *
     * @throws GpNumericalException when the Cholesky fails after all jitter retries or a value is not finite
     */
    public Evaluation nllAndGradients(INDArray z, INDArray y) {
        return evaluate(z, y, true);
    }

    private Evaluation evaluate(INDArray z, INDArray y, boolean gradients) {
        checkInputs(z, y);
        requireFinite(z, y);
        long n = z.rows();
        INDArray targets = y.reshape(n, 1);
        INDArray sqDist = squaredDistances(z, z);
        INDArray k = rbf(sqDist);
        TriangularAlgebra.Cholesky chol = TriangularAlgebra.cholesky(k, noiseVariance(), JITTER_RETRIES);
        INDArray residual = targets.sub(mean);
        if (!gradients) {
            // conditioning alone needs β = L^-1 r (one solve): rᵀ K_y^-1 r = ‖β‖², predictions use β too
            INDArray beta = chol.solve(residual, false);
            Posterior posterior = new Posterior(this, z, chol, residual, squaredNorm(beta), beta);
            return new Evaluation(posterior.nll(), null, null, null, posterior);
        }
        // the gradient needs K_y^-1 itself (G below) and α = K_y^-1 r
        INDArray kyInv = chol.inverse();
        INDArray alpha = kyInv.mmul(residual);
        Posterior posterior = new Posterior(this, z, chol, residual, residual.mul(alpha).sumNumber().doubleValue(),
                null);
        double nll = posterior.nll();
        // G = (K_y^-1 - alpha alpha^T) / (2n): a scaled copy of K_y^-1 and one rank-1 GEMM into it
        INDArray g = kyInv.mul(1.0 / (2.0 * n));
        Nd4j.gemm(alpha, alpha, g, false, true, -1.0 / (2.0 * n), 1.0);
        INDArray gk = k.muli(g); // K is not needed any more: G∘K in place
        double s2 = signalVariance();
        double ell = lengthscale();
        double dS2 = gk.sumNumber().doubleValue() / s2;
        double dEll = sqDist.muli(gk).sumNumber().doubleValue() / (ell * ell * ell); // sqDist not needed after
        double dNoise = TriangularAlgebra.diagonal(g).sumNumber().doubleValue();
        double dMean = -alpha.sumNumber().doubleValue() / n;
        double[] dRaw = {dS2 * sigmoid(rawScale), dEll * sigmoid(rawLengthscale), dNoise * sigmoid(rawNoise), dMean};
        INDArray dZ = z.mulColumnVector(gk.sum(true, 1)).subi(gk.mmul(z)).muli(-2.0 / (ell * ell));
        for (double v : dRaw) {
            if (!Double.isFinite(v)) {
                throw new GpNumericalException("GP hyperparameter gradient is not finite (n=" + n + ")");
            }
        }
        return new Evaluation(nll, dRaw, g, dZ, posterior);
    }

    /** {@code Σ v_i²} of a vector. */
    private static double squaredNorm(INDArray v) {
        return v.mul(v).sumNumber().doubleValue();
    }

    /** @throws GpNumericalException when {@code z} or {@code y} holds a NaN or an infinity */
    private static void requireFinite(INDArray z, INDArray y) {
        if (!Double.isFinite(z.sumNumber().doubleValue()) || !Double.isFinite(y.sumNumber().doubleValue())) {
            throw new GpNumericalException("GP inputs contain NaN or infinite values (n=" + z.rows() + ")");
        }
    }

    /** {@code a} [n, c] with zero rows appended up to {@code rows} (a caller's spare room); {@code a} itself if n = rows. */
    private static INDArray zeroPadRows(INDArray a, long rows) {
        if (a.rows() == rows) {
            return a;
        }
        INDArray padded = Nd4j.zeros(a.dataType(), rows, a.columns());
        padded.get(NDArrayIndex.interval(0, a.rows()), NDArrayIndex.all()).assign(a);
        return padded;
    }

    private void checkInputs(INDArray z, INDArray y) {
        if (z.rank() != 2 || z.rows() < 1) {
            throw new IllegalArgumentException("z must be a non-empty matrix [n, D], got shape "
                    + java.util.Arrays.toString(z.shape()));
        }
        if (y.length() != z.rows()) {
            throw new IllegalArgumentException("y has " + y.length() + " values but z has " + z.rows() + " rows");
        }
        if (z.dataType() != dataType || y.dataType() != dataType) {
            throw new IllegalArgumentException("GP inputs must be " + dataType + ", got z " + z.dataType() + ", y "
                    + y.dataType());
        }
    }

    /**
     * The result of one evaluation.
     *
     * @param nll         NLL / n
     * @param dRaw        ∂(NLL/n)/∂[rawScale, rawLengthscale, rawNoise, mean]; null when not requested
     * @param dKy         G = ∂(NLL/n)/∂K_y [n, n]; null when not requested
     * @param dZ          ∂(NLL/n)/∂z [n, D]; null when not requested
     * @param posterior   the conditioned GP
     */
    public record Evaluation(double nll, double[] dRaw, INDArray dKy, INDArray dZ, Posterior posterior) {
    }

    /**
     * A GP conditioned on training inputs: keeps the Cholesky factor {@code L} of {@code K_y} and
     * {@code α = K_y^-1 r}; a prediction is one kernel matrix, one product and one triangular solve. The
     * hyperparameters are a snapshot taken at conditioning time.
     */
    public static final class Posterior {
        private final INDArray z;
        private final TriangularAlgebra.Cholesky factor;
        private final INDArray residual;
        private final double quadraticForm;
        private final double signalVariance;
        private final double noiseVariance;
        private final double mean;
        private final ExactGp snapshot;
        private INDArray beta;
        private Border border;

        /**
         * @param residual      {@code r = y - c} [n, 1]
         * @param quadraticForm {@code rᵀ K_y^-1 r}
         * @param beta          {@code L^-1 r} [n, 1] when already computed, else null (computed on first use)
         */
        Posterior(ExactGp gp, INDArray z, TriangularAlgebra.Cholesky factor, INDArray residual, double quadraticForm,
                  INDArray beta) {
            this.z = z;
            this.factor = factor;
            this.residual = residual;
            this.quadraticForm = quadraticForm;
            this.beta = beta;
            this.snapshot = new ExactGp(gp.dataType);
            this.snapshot.setRawParameters(gp.rawParameters());
            this.signalVariance = snapshot.signalVariance();
            this.noiseVariance = snapshot.noiseVariance();
            this.mean = snapshot.mean();
        }

        /**
         * NLL/n of the training targets: {@code (½ rᵀα + Σ log L_ii + ½ n log 2π) / n}.
         *
         * @throws GpNumericalException when it is not finite
         */
        public double nll() {
            long n = z.rows();
            double quad = quadraticForm;
            double halfLogDet = Transforms.log(TriangularAlgebra.diagonal(factor.lower()), true).sumNumber()
                    .doubleValue();
            double nll = (0.5 * quad + halfLogDet + 0.5 * n * LOG_2PI) / n;
            if (!Double.isFinite(nll)) {
                throw new GpNumericalException("GP negative log likelihood is not finite (n=" + n + ")");
            }
            return nll;
        }

        /**
         * This posterior with {@code k} more training rows and the same hyperparameters: the Cholesky factor is
         * extended by the new rows ({@link TriangularAlgebra.Cholesky#extend}, O(n²k)) instead of refactorised
         * (O(n³)), then {@code α} is solved again (O(n²)). Equal, up to rounding, to conditioning the GP on all rows.
         * (On backends without direct LAPACK calls, e.g. CUDA, the solves go through {@code L^-1}, which a grown
         * factor computes anew: O(n³) there.)
         *
         * @param zNew new inputs [k, D]; @param yNew their targets [k, 1] (or [k])
         * @throws GpNumericalException when the new rows make the kernel matrix numerically singular even with
         *                              jitter, or contain non-finite values
         */
        public Posterior extend(INDArray zNew, INDArray yNew) {
            snapshot.checkInputs(zNew, yNew);
            if (zNew.columns() != z.columns()) {
                throw new IllegalArgumentException("extend needs z [k, " + z.columns() + "], got "
                        + java.util.Arrays.toString(zNew.shape()));
            }
            requireFinite(zNew, yNew);
            long k = zNew.rows();
            INDArray corner = snapshot.kernel(zNew, zNew);
            TriangularAlgebra.diagonal(corner).addi(noiseVariance);
            TriangularAlgebra.Bordered grown = factor.extend(snapshot.kernel(z, zNew), corner, JITTER_RETRIES);
            INDArray rNew = yNew.reshape(k, 1).sub(mean);
            // forward solve of the bordered factor: the first n entries of L^-1 r stay, the new ones follow
            INDArray betaNew = grown.corner().solve(rNew.sub(grown.projection().transpose().mmul(beta())), false);
            INDArray b = Nd4j.vstack(beta(), betaNew);
            Posterior result = new Posterior(snapshot, Nd4j.vstack(z, zNew), grown.factor(),
                    Nd4j.vstack(residual, rNew), squaredNorm(b), b);
            result.border = new Border(snapshot, grown.projection(), grown.corner(), zNew);
            return result;
        }

        /**
         * The border this posterior was extended by from its predecessor ({@link #extend}); null for a posterior
         * conditioned from scratch. Brings projections of queries made for the predecessor up to date.
         */
        public Border border() {
            return border;
        }

        /** {@code β = L^-1 r}, computed once and kept (outside any workspace: it lives as long as the posterior). */
        private INDArray beta() {
            if (beta == null) {
                beta = Workspaces.outside(() -> factor.solve(residual, false));
            }
            return beta;
        }

        /**
         * The projections {@code U = (L^-1 K(z, queries))ᵀ} [m, n] of query features [m, D], one row per query: what
         * a prediction needs of the training data ({@link #predictProjected}). For a query whose features do not
         * change, its row can be kept and extended by later borders ({@link Border#projectionColumns}) instead of
         * recomputed. One triangular solve (n²m flops) for all queries: half the product with K_y^-1, and better
         * conditioned. (On the CPU backend the solve's f-order [n, m] result, transposed: a dense c-order array.)
         */
        public INDArray project(INDArray queries) {
            if (queries.dataType() != snapshot.dataType || queries.columns() != z.columns()) {
                throw new IllegalArgumentException("queries must be " + snapshot.dataType + " [m, " + z.columns()
                        + "], got " + queries.dataType() + " " + java.util.Arrays.toString(queries.shape()));
            }
            return factor.solve(snapshot.kernel(z, queries), false).transpose();
        }

        /** {@code ‖u_i‖²} per row of projections [m, w], as [m, 1]. */
        public static INDArray squaredNorms(INDArray projections) {
            return projections.mul(projections).sum(true, 1);
        }

        /**
         * Predictive mean {@code c + uᵀβ} and standard deviation {@code sqrt(s² - ‖u‖² [+ σ²])} per row of
         * projections [m, w] made by {@link #project} (and extended to this posterior's n rows), given their
         * {@link #squaredNorms} [m, 1]. Columns beyond n ({@code w > n}, a caller's spare room) are ignored (β is
         * padded with zeros); the squared norms must cover the first n only.
         *
         * @return {@code [mean, std]}, each [m, 1]
         */
        public INDArray[] predictProjected(INDArray projections, INDArray squaredNorms, boolean includeNoise) {
            long n = z.rows();
            if (projections.rank() != 2 || projections.columns() < n || squaredNorms.length() != projections.rows()) {
                throw new IllegalArgumentException("projections must be [m, >= " + n + "] with m squared norms, got "
                        + java.util.Arrays.toString(projections.shape()) + " and " + squaredNorms.length());
            }
            INDArray mu = projections.mmul(zeroPadRows(beta(), projections.columns())).addi(mean);
            INDArray var = squaredNorms.reshape(projections.rows(), 1).neg().addi(signalVariance);
            if (includeNoise) {
                var.addi(noiseVariance);
            }
            INDArray std = Transforms.sqrt(Transforms.relu(var, false), false);
            return new INDArray[] {mu, std};
        }

        /** Jitter that had to be added to the diagonal of K_y (0 normally). */
        public double jitter() {
            return factor.jitter();
        }

        /** The training inputs. */
        public INDArray inputs() {
            return z;
        }

        /**
         * Predictive mean and standard deviation at {@code queries} [m, D].
         *
         * @param includeNoise add σ² to the predictive variance (the reference does; it forecasts noisy
         *                     observations)
         * @return {@code [mean, std]}, each [m, 1] in the GP's data type
         */
        public INDArray[] predict(INDArray queries, boolean includeNoise) {
            INDArray u = project(queries);
            return predictProjected(u, squaredNorms(u), includeNoise);
        }
    }

    /**
     * The rows one {@link Posterior#extend} added: their features, {@code V = L^-1 C} for the cross-kernel block
     * {@code C} [n, k] and the factor {@code L₂} of the new corner. Kept by callers that cache query projections.
     */
    public static final class Border {
        private final ExactGp kernel;
        private final INDArray projectedCross;
        private final TriangularAlgebra.Cholesky corner;
        private final INDArray zNew;

        Border(ExactGp kernel, INDArray projectedCross, TriangularAlgebra.Cholesky corner, INDArray zNew) {
            this.kernel = kernel;
            this.projectedCross = projectedCross;
            this.corner = corner;
            this.zNew = zNew;
        }

        /**
         * The columns this border adds to projections {@code U} [m, w] made before it (w ≥ its n; columns beyond n
         * zero) of queries with features {@code queries} [m, D]: {@code W = (L₂^-1 (K(queries, zNew) - U V)ᵀ)ᵀ}
         * [m, k] with {@code V = L^-1 C}, the forward solve of the bordered factor; the extended projections are
         * {@code [U, W]}. O(m·n·k).
         */
        public INDArray projectionColumns(INDArray projections, INDArray queries) {
            long n = projectedCross.rows();
            if (projections.rows() != queries.rows() || projections.columns() < n) {
                throw new IllegalArgumentException("projections [" + queries.rows() + ", >= " + n + "] expected, got "
                        + java.util.Arrays.toString(projections.shape()));
            }
            if (queries.columns() != zNew.columns() || queries.dataType() != zNew.dataType()
                    || projections.dataType() != zNew.dataType()) {
                throw new IllegalArgumentException("queries must be " + zNew.dataType() + " [m, " + zNew.columns()
                        + "] with projections of the same type, got " + queries.dataType() + " "
                        + java.util.Arrays.toString(queries.shape()) + " and " + projections.dataType());
            }
            INDArray v = zeroPadRows(projectedCross, projections.columns());
            INDArray rhs = kernel.kernel(queries, zNew).subi(projections.mmul(v)); // [m, k]
            return corner.solve(rhs.transpose(), false).transpose();
        }

        /** Number of rows the border adds. */
        public int size() {
            return (int) zNew.rows();
        }
    }
}
