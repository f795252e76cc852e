/**
 * The deep-kernel Gaussian-process surrogate of FMS / DyHPO (spec sections 3–5), as pure ND4J array math.
 *
 * <ul>
 *   <li>{@link dev.dl4jfms.gp.ExactGp}: constant mean, RBF kernel, Gaussian noise (σ² ≥ 1e-4), softplus
 *       parametrisation; NLL/n with analytic gradients (raw hyperparameters, G = ∂NLL/∂K_y, ∂NLL/∂Z); Cholesky by
 *       LAPACK {@code potrf} with jitter retries; {@code K_y^-1} (for the gradient) from the factor by LAPACK
 *       {@code potri} and predictive variances by BLAS {@code trsm} on the CPU backend, elsewhere by a recursive
 *       block inverse of L (diagonal blocks via {@code triangularSolve}), so everything large is a LAPACK/BLAS call
 *       or a matrix product.</li>
 *   <li>{@link dev.dl4jfms.gp.FeatureExtractor}: ψ with hand-written forward/backward in ND4J ops ([x, budget] → 64 → BatchNorm → LeakyReLU; curve →
 *       Conv1d(1→4, k3) → max pool; weight embedding; concat → 128 → LeakyReLU). Branches can be switched off.</li>
 *   <li>{@link dev.dl4jfms.gp.DeepKernelForecaster}: the {@link dev.dl4jfms.forecast.Forecaster}; schedule (cold /
 *       warm refits, restore + cold restart after numerical failure), embedding cache, end-to-end training of a
 *       {@link dev.dl4jfms.embed.TrainableWeightEmbedder}; {@link dev.dl4jfms.gp.ForecasterState} saves/loads it.
 *       Between fits it conditions on new observations by extending the Cholesky factor
 *       ({@code ExactGp.Posterior#extend}) and keeps the projections of the queries it scored
 *       ({@code QueryProjectionCache}); {@code ObservationBatch} builds the network inputs of rows.</li>
 *   <li>{@link dev.dl4jfms.gp.MultiTaskFit}: meta-training on several earlier studies at once (a prior,
 *       {@code dev.dl4jfms.transfer}); a forecaster started from it keeps the prior's features and scaling
 *       ({@code freezeFeatures}, {@code fixTargetScaling}).</li>
 *   <li>{@code OpenBlasKernelCheck}: the known-answer check of the direct OpenBLAS calls.</li>
 * </ul>
 *
 * <p>Choices the spec leaves open (all documented on the classes):
 * <ul>
 *   <li>BatchNorm: full-batch training statistics are stored after each fit and used for prediction, so training
 *       rows get identical features at prediction time and a query's features do not depend on other queries.</li>
 *   <li>Curve prefixes are zero-padded to {@code longest + 3} (not just to ≥ 3 / longest), which makes the
 *       max-pooled curve features independent of the batch.</li>
 *   <li>The acquisition (expected improvement, spec section 5) is the policy's: {@code dev.dl4jfms.policy.ExpectedImprovement}.</li>
 *   <li>Targets are standardised per fit (mean / population std), curve prefixes with the same map; conditioning
 *       between fits keeps the fit's map and BatchNorm statistics (the whole model is frozen until the next fit).</li>
 *   <li>Back-propagation into ψ starts from the analytic {@code ∂NLL/∂z}, which {@link dev.dl4jfms.gp.ExactGp}
 *       derives from the spec's surrogate {@code Σ G ∘ K(z)}; the chain through ψ is written out by hand and tested
 *       against finite differences and an independent SameDiff autodiff graph.</li>
 *   <li>Rows without a checkpoint key get a zero weight embedding.</li>
 * </ul>
 *
 * <p>Performance: the many small ND4J ops run far slower when OpenMP threads oversubscribe busy cores; run
 * studies with {@code OMP_NUM_THREADS=1} on small machines (see docs/benchmarks.md, "Surrogate cost").
 */
package dev.dl4jfms.gp;
