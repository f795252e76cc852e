package dev.dl4jfms.policy;

import dev.dl4jfms.study.Policy;
import dev.dl4jfms.forecast.Forecaster;

/** Builder of a {@link FreezeThawPolicy} ({@link FreezeThawPolicy#builder}); {@link #build()} validates. */
public final class FreezeThawPolicyBuilder {
    final Forecaster forecaster;
    String name = "freeze-thaw";
    Policy fallback = new AshaPolicy(3);
    int calibrationMinObservations = 20;
    double calibrationMargin = 0.5;
    Integer calibrationMinFitObservations;
    Integer calibrationWindow;
    double calibrationClip = 3.0;
    boolean terminateDominated = true;
    int refitEvery = 1;

    FreezeThawPolicyBuilder(Forecaster forecaster) {
        this.forecaster = forecaster;
    }

    /** Journal name, e.g. {@code fms-gmn}, {@code fms-stats}, {@code dyhpo}. */
    public FreezeThawPolicyBuilder name(String v) { this.name = v; return this; }

    /**
     * The policy that takes over when the forecaster is poorly calibrated (default ASHA, η = 3). Why ASHA rather
     * than Hyperband: ASHA promotes from every trial that reached a rung, so the trials the forecaster already
     * trained keep counting, while Hyperband's brackets start over with their own members. With the hand-over
     * to ASHA the hub benchmark's final regret of {@code fms-stats} halved on both hubs (docs/benchmarks.md,
     * "Which policy to fall back to").
     */
    public FreezeThawPolicyBuilder fallback(Policy v) { this.fallback = v; return this; }

    /** Scored held-out observations (in the window) needed before calibration is judged (default 20). */
    public FreezeThawPolicyBuilder calibrationMinObservations(int v) {
        this.calibrationMinObservations = v;
        return this;
    }

    /**
     * Nats per observation by which the forecaster may trail the trend baseline, as the window's mean of
     * clipped log-likelihood differences (default 0.5).
     */
    public FreezeThawPolicyBuilder calibrationMargin(double v) { this.calibrationMargin = v; return this; }

    /**
     * Held-out observations are scored only when the fit that forecast them saw at least {@code n}
     * observations (default: the study's warm-up count {@code n_init}). With parallel workers the first fit
     * happens when only some warm-up results are in; forecasts from such a fit are not evidence about the
     * forecaster.
     */
    public FreezeThawPolicyBuilder calibrationMinFitObservations(int n) {
        this.calibrationMinFitObservations = n;
        return this;
    }

    /** The guard judges the most recent {@code m} scored observations (default twice
     * {@link #calibrationMinObservations}, i.e. 40). */
    public FreezeThawPolicyBuilder calibrationWindow(int m) { this.calibrationWindow = m; return this; }

    /** Each observation's log-likelihood difference to the reference is clipped to ±{@code nats} (default 3). */
    public FreezeThawPolicyBuilder calibrationClip(double nats) { this.calibrationClip = nats; return this; }

    /**
     * Whether to stop paused trials whose reachable value by B_max - the forecast upper bound μ + κσ at B_max, floored
     * at the trial's best value so far - is below the incumbent (default true). Stops happen only once the
     * calibration guard has judged the forecaster on {@link #calibrationMinObservations} held-out observations
     * (default 20) and not handed over: before that nothing checks the forecasts.
     */
    public FreezeThawPolicyBuilder terminateDominated(boolean v) { this.terminateDominated = v; return this; }

    /**
     * Let the forecaster learn its parameters again only once at least {@code k} observations are new since it
     * last did (default 1 = at every new observation, as the spec); in between every new observation is added by
     * {@link dev.dl4jfms.forecast.Forecaster#condition} (for the GP: the new rows added to the posterior of the
     * frozen model by extending its Cholesky factor, instead of dozens of Adam steps). The first fit happens as soon as
     * anything is observed. Why not simply keep the old fit between refits: decisions from a posterior that has
     * not seen the last observations picked untried configurations again and again on the architecture hub, and
     * the calibration guard fired earlier (docs/benchmarks.md, "Speed levers in replayed studies").
     */
    public FreezeThawPolicyBuilder refitEvery(int k) { this.refitEvery = k; return this; }

    int window() {
        return calibrationWindow != null ? calibrationWindow : 2 * calibrationMinObservations;
    }

    public FreezeThawPolicy build() {
        if (forecaster == null) {
            throw new IllegalArgumentException("a forecaster is required");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("policy name must be non-empty");
        }
        if (fallback == null || fallback instanceof FreezeThawPolicy) {
            throw new IllegalArgumentException("fallback must be a non-forecasting policy (e.g. ASHA, Hyperband)");
        }
        if (calibrationMinObservations < 1 || !(calibrationMargin >= 0)) {
            throw new IllegalArgumentException("calibrationMinObservations must be >= 1 and calibrationMargin"
                    + " >= 0, got " + calibrationMinObservations + ", " + calibrationMargin);
        }
        if (calibrationMinFitObservations != null && calibrationMinFitObservations < 1) {
            throw new IllegalArgumentException("calibrationMinFitObservations must be >= 1, got "
                    + calibrationMinFitObservations);
        }
        if (window() < calibrationMinObservations) {
            throw new IllegalArgumentException("calibrationWindow (" + window() + ") must be >= "
                    + "calibrationMinObservations (" + calibrationMinObservations + "), or the guard never judges");
        }
        if (!(calibrationClip > 0) || Double.isInfinite(calibrationClip)) {
            throw new IllegalArgumentException("calibrationClip must be positive and finite, got "
                    + calibrationClip);
        }
        if (refitEvery < 1) {
            throw new IllegalArgumentException("refitEvery must be >= 1, got " + refitEvery);
        }
        return new FreezeThawPolicy(this);
    }
}
