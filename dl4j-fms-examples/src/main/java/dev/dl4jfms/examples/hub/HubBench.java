package dev.dl4jfms.examples.hub;

import dev.dl4jfms.embed.GraphMetanetworkEmbedder;
import dev.dl4jfms.embed.LayerStatisticsEmbedder;
import dev.dl4jfms.transfer.TransferGuard;
import dev.dl4jfms.transfer.TransferPrior;
import dev.dl4jfms.examples.bench.BenchMetrics;
import dev.dl4jfms.examples.bench.BenchReportWriter;
import dev.dl4jfms.examples.bench.ForecastSnapshot;
import dev.dl4jfms.examples.bench.HubRange;
import dev.dl4jfms.examples.bench.MethodRun;
import dev.dl4jfms.examples.bench.OptunaRunner;
import dev.dl4jfms.examples.bench.TrajectoryPoint;
import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.forecast.ForecastQuery;
import dev.dl4jfms.forecast.Forecaster;
import dev.dl4jfms.gp.DeepKernelForecaster;
import dev.dl4jfms.gp.DeepKernelForecasterBuilder;
import dev.dl4jfms.policy.AshaPolicy;
import dev.dl4jfms.policy.FreezeThawPolicy;
import dev.dl4jfms.policy.FreezeThawPolicyBuilder;
import dev.dl4jfms.policy.HyperbandPolicy;
import dev.dl4jfms.study.Policy;
import dev.dl4jfms.policy.RandomSearchPolicy;
import dev.dl4jfms.policy.TopKAfterOneEpochPolicy;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.study.CandidatePool;
import dev.dl4jfms.study.Incumbent;
import dev.dl4jfms.study.MetricDirection;
import dev.dl4jfms.study.Segment;
import dev.dl4jfms.study.Study;
import dev.dl4jfms.study.StudySettings;
import dev.dl4jfms.study.TrialState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays studies of several methods over several seeds on a hub and writes the comparison (curves.csv,
 * summary.csv, summary.md, regret.png via {@link BenchReportWriter}). Every method except the Optuna peer is a
 * {@link Policy} driven by the same {@link Study} as live training, with segments answered by a
 * {@link HubReplayExecutor}.
 */
public final class HubBench {

    private static final Logger log = LoggerFactory.getLogger(HubBench.class);

    /** All method names, in report order. */
    public static final List<String> METHODS = List.of("random", "topk1", "hyperband", "asha", "dyhpo", "fms-stats",
            "fms-gmn", "dyhpo+prior", "fms-stats+prior", "fms-gmn+prior", "arbiter-random", "arbiter-genetic",
            OptunaRunner.METHOD);
    /** Suffix of the methods that start from the bench's {@link #prior(TransferPrior, int)}. */
    public static final String PRIOR_SUFFIX = "+prior";

    /** Surrogate schedule (cold refits, cold steps, warm steps) of the deep-kernel GP; see docs/benchmarks.md. */
    public record SurrogateSchedule(int coldRefits, int coldSteps, int warmSteps) {
    }

    /**
     * Speed levers of the deep-kernel methods (see {@link DeepKernelForecasterBuilder#warmSubsetSize},
     * {@link DeepKernelForecasterBuilder#warmEarlyStopping}, {@link FreezeThawPolicyBuilder#refitEvery});
     * {@link #DEFAULTS} = the library's defaults (row subset 256, no early stopping, a refit per observation).
     */
    public record SpeedLevers(int warmSubsetSize, int earlyStopPatience, double earlyStopMinImprovement,
                              int refitEvery) {
        public static final SpeedLevers DEFAULTS = new SpeedLevers(DeepKernelForecaster.DEFAULT_WARM_SUBSET_SIZE, 0,
                0, 1);

        public SpeedLevers {
            if (warmSubsetSize < 0 || earlyStopPatience < 0 || !(earlyStopMinImprovement >= 0)
                    || Double.isInfinite(earlyStopMinImprovement) || refitEvery < 1) {
                throw new IllegalArgumentException("speed levers need subset >= 0, patience >= 0, a finite "
                        + "minImprovement >= 0 and refitEvery >= 1, got " + warmSubsetSize + ", " + earlyStopPatience
                        + ", " + earlyStopMinImprovement + ", " + refitEvery);
            }
        }
    }

    private final Hub hub;
    private final CheckpointStore store;
    private final int budget;
    private final SurrogateSchedule schedule;
    private final int warmupConfigs;
    private int gmnMaxEdges = GMN_MAX_EDGES;
    private double gpLearningRate = Double.NaN;
    private boolean fallback = true;
    private String fallbackPolicy = "asha";
    private SpeedLevers levers = SpeedLevers.DEFAULTS;
    private TransferPrior prior;
    private int priorWarmup;
    private int priorWarmSteps;

    /** GMN size used by {@code fms-gmn} on a CPU (spec section 11): state width, blocks, edges kept per layer. */
    public static final int GMN_WIDTH = 16;
    public static final int GMN_BLOCKS = 2;
    public static final int GMN_MAX_EDGES = 512;

    /** Edges per layer the GMN keeps (seeded subset; 0 = all). */
    public HubBench gmnMaxEdges(int maxEdges) {
        if (maxEdges < 0) {
            throw new IllegalArgumentException("maxEdges must be >= 0, got " + maxEdges);
        }
        this.gmnMaxEdges = maxEdges;
        return this;
    }

    /**
     * Adam learning rate of the GP hyperparameters of the deep-kernel methods (NaN = the forecaster's default,
     * see {@link DeepKernelForecasterBuilder#gpHyperparameterLearningRate}).
     */
    public HubBench gpLearningRate(double lr) {
        if (!Double.isNaN(lr) && !(lr > 0 && Double.isFinite(lr))) {
            throw new IllegalArgumentException("GP learning rate must be positive and finite, got " + lr);
        }
        this.gpLearningRate = lr;
        return this;
    }

    /**
     * Whether the freeze-thaw methods may hand their decisions to the fallback policy when the calibration guard
     * judges the forecaster worse than the trend reference (default true; false = the ablation without the guard).
     */
    public HubBench fallback(boolean on) {
        this.fallback = on;
        return this;
    }

    /**
     * The conventional policy the freeze-thaw methods hand over to: {@code asha} (default, as the library's) or
     * {@code hyperband}.
     */
    public HubBench fallbackPolicy(String name) {
        halvingPolicy(name); // validates
        this.fallbackPolicy = name;
        return this;
    }

    /**
     * The prior of the {@code +prior} methods (e.g. {@code fms-stats+prior}: the prior's forecaster, fine-tuned on the
     * study, next to the cold {@code fms-stats} forecaster under a {@link TransferGuard}), with its own random
     * warm-up of {@code warmup} configurations.
     */
    public HubBench prior(TransferPrior prior, int warmup, int warmSteps) {
        if (warmup < 1 || warmSteps < 0) {
            throw new IllegalArgumentException("the warm-up with a prior needs >= 1 configuration and >= 0 warm "
                    + "steps, got " + warmup + ", " + warmSteps);
        }
        this.prior = prior;
        this.priorWarmup = warmup;
        this.priorWarmSteps = warmSteps;
        return this;
    }

    /** Speed levers of the deep-kernel methods (default {@link SpeedLevers#DEFAULTS}). */
    public HubBench speedLevers(SpeedLevers levers) {
        this.levers = java.util.Objects.requireNonNull(levers, "levers");
        return this;
    }

    public HubBench(Hub hub, CheckpointStore store, int budget, SurrogateSchedule schedule, int warmupConfigs) {
        if (budget < 1) {
            throw new IllegalArgumentException("budget must be >= 1 epoch, got " + budget);
        }
        this.hub = hub;
        this.store = store;
        this.budget = budget;
        this.schedule = schedule;
        this.warmupConfigs = warmupConfigs;
    }

    /** Runs {@code methods} for seeds {@code 0..seeds-1} and writes the report into {@code out}. */
    public BenchMetrics run(List<String> methods, int seeds, Path out, String title) throws IOException,
            InterruptedException {
        for (String m : methods) {
            if (!METHODS.contains(m)) {
                throw new IllegalArgumentException("unknown method '" + m + "' (known: " + String.join(", ", METHODS)
                        + ")");
            }
            if (m.endsWith(PRIOR_SUFFIX) && prior == null) {
                throw new IllegalArgumentException("method '" + m + "' needs a prior (--prior <file>)");
            }
            if (m.endsWith(PRIOR_SUFFIX)) {
                prior.checkFits(m.substring(0, m.length() - PRIOR_SUFFIX.length()), HubBuilder.VAL_METRIC,
                        MetricDirection.MAXIMIZE);
            }
        }
        Files.createDirectories(out);
        List<Long> seedList = LongStream.range(0, seeds).boxed().toList();
        List<MethodRun> runs = new ArrayList<>();
        for (String m : methods) {
            if (m.equals(OptunaRunner.METHOD)) {
                Path csv = out.resolve("hub.csv");
                hub.exportCsv(csv);
                runs.addAll(OptunaRunner.builder().build().run(csv, seedList, budget, true, out.resolve("optuna")));
                continue;
            }
            for (long seed : seedList) {
                long t0 = System.nanoTime();
                MethodRun r = runOne(m, seed);
                log.info("{} seed {}: {} epochs, final regret-relevant incumbent {}, {} s", m, seed,
                        r.trajectory().isEmpty() ? 0 : r.trajectory().get(r.trajectory().size() - 1).epochs(),
                        r.trajectory().isEmpty() ? Double.NaN : r.trajectory().get(r.trajectory().size() - 1)
                                .incumbentVal(), Math.round((System.nanoTime() - t0) / 1e9));
                runs.add(r);
            }
        }
        BenchMetrics metrics = BenchMetrics.builder(range(), budget).runs(runs).build();
        BenchReportWriter.write(metrics, out, title);
        return metrics;
    }

    /** The hub's best and worst validation value at any epoch (accuracy: higher is better). */
    public HubRange range() {
        return HubRange.of(hub.allValidationValues(), true);
    }

    /** One replayed study of {@code method} with {@code seed}. */
    public MethodRun runOne(String method, long seed) {
        HubReplayExecutor executor = new HubReplayExecutor(hub, store);
        CandidatePool pool = executor.pool();
        int warmup = method.endsWith(PRIOR_SUFFIX) ? priorWarmup : warmupConfigs;
        StudySettings settings = StudySettings.builder().budgetEpochs(budget).maxEpochsPerTrial(hub.maxEpochs())
                .seed(seed).poolSize(pool.size()).warmupConfigs(Math.min(warmup, pool.size()))
                .metric(HubBuilder.VAL_METRIC, MetricDirection.MAXIMIZE).testMetricName(HubBuilder.TEST_METRIC)
                .build();
        Forecaster forecaster = forecaster(method, seed, pool.dimension(), executor);
        Policy policy = policy(method, seed, settings, pool, forecaster, fallback, fallbackPolicy,
                levers.refitEvery());
        Study study = Study.inMemory(settings, pool, policy);
        List<TrajectoryPoint> trajectory = new ArrayList<>();
        List<ForecastSnapshot> snapshots = new ArrayList<>();
        List<Double> askSeconds = new ArrayList<>();
        double[] trueFinal = hub.entries().stream().mapToDouble(Hub.Entry::finalVal).toArray();
        double[] fractions = BenchMetrics.TAU_FRACTIONS;
        int nextSnapshot = 0;
        long fallbackEpoch = MethodRun.NO_FALLBACK;
        while (!study.isFinished()) {
            long t0 = System.nanoTime();
            Optional<Segment> s = study.ask();
            if (forecaster != null) {
                askSeconds.add((System.nanoTime() - t0) / 1e9);
            }
            if (fallbackEpoch == MethodRun.NO_FALLBACK && policy instanceof FreezeThawPolicy ft
                    && ft.hasFallenBack()) {
                fallbackEpoch = study.spentEpochs();
            }
            if (s.isEmpty()) {
                if (!study.isFinished()) {
                    throw new IllegalStateException(method + " seed " + seed + ": the study handed out nothing while "
                            + "nothing was running but is not finished");
                }
                break;
            }
            study.tell(executor.execute(s.get()));
            Optional<Incumbent> inc = study.incumbent();
            if (inc.isPresent()) {
                trajectory.add(new TrajectoryPoint(study.spentEpochs(), inc.get().rawValue(), inc.get().testValue()));
            }
            while (forecaster != null && nextSnapshot < fractions.length
                    && study.spentEpochs() >= fractions[nextSnapshot] * budget) {
                snapshots.add(new ForecastSnapshot(fractions[nextSnapshot], forecastFinals(study, forecaster),
                        trueFinal));
                nextSnapshot++;
            }
        }
        double[] surrogate = forecaster == null ? new double[0]
                : askSeconds.stream().mapToDouble(Double::doubleValue).toArray();
        return new MethodRun(method, seed, dedupe(trajectory), snapshots, surrogate, fallbackEpoch);
    }

    /** Keeps one trajectory row per change of spent epochs or incumbent. */
    private static List<TrajectoryPoint> dedupe(List<TrajectoryPoint> in) {
        List<TrajectoryPoint> out = new ArrayList<>();
        for (TrajectoryPoint p : in) {
            if (!out.isEmpty()) {
                TrajectoryPoint q = out.get(out.size() - 1);
                if (q.epochs() == p.epochs() && q.incumbentVal() == p.incumbentVal()) {
                    continue;
                }
            }
            out.add(p);
        }
        return out;
    }

    /**
     * The forecaster's prediction of every configuration's validation value at B_max given what the study has
     * observed (its curve prefix and latest weights); configurations already trained to B_max keep their observed
     * value. NaN everywhere when the forecaster cannot predict yet.
     */
    private double[] forecastFinals(Study study, Forecaster forecaster) {
        int bMax = hub.maxEpochs();
        int n = study.pool().size();
        double[] out = new double[n];
        List<ForecastQuery> queries = new ArrayList<>();
        List<Integer> asked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TrialState t = study.trial(i);
            if (t.epochsTrained() >= bMax) {
                out[i] = t.value(bMax);
                continue;
            }
            queries.add(new ForecastQuery(study.pool().get(i).unitVector(), bMax, bMax, t.curve(),
                    t.weightsKeyBefore(t.epochsTrained() + 1)));
            asked.add(i);
        }
        try {
            List<Forecast> f = queries.isEmpty() ? List.of() : forecaster.predict(queries);
            for (int k = 0; k < asked.size(); k++) {
                out[asked.get(k)] = f.get(k).mean();
            }
        } catch (RuntimeException e) {
            log.debug("forecast snapshot unavailable ({}); recorded as NaN", e.toString());
            Arrays.fill(out, Double.NaN);
        }
        return out;
    }

    private Forecaster forecaster(String method, long seed, int dimension, HubReplayExecutor executor) {
        if (method.endsWith(PRIOR_SUFFIX)) {
            String base = method.substring(0, method.length() - PRIOR_SUFFIX.length());
            Forecaster cold = forecaster(base, seed, dimension, executor);
            List<double[]> unit = new ArrayList<>();
            List<java.util.Map<String, String>> named = new ArrayList<>();
            for (Hub.Entry e : hub.entries()) {
                unit.add(e.unitVector());
                named.add(HubTransferSources.hyperparameters(e));
            }
            try {
                // the prior's network and BatchNorm statistics are reused as they are; priorWarmSteps Adam steps per
                // refit learn its GP hyperparameters on the study's rows (0: conditioning only)
                return prior.forStudy(forecasterBuilder(base, seed, dimension, executor)
                        .schedule(schedule.coldRefits(), schedule.coldSteps(), priorWarmSteps), cold, unit, named);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        DeepKernelForecasterBuilder b = forecasterBuilder(method, seed, dimension, executor);
        return b == null ? null : b.build();
    }

    /** The deep-kernel forecaster of {@code method} (null for methods without one). */
    private DeepKernelForecasterBuilder forecasterBuilder(String method, long seed, int dimension,
                                                         HubReplayExecutor executor) {
        DeepKernelForecasterBuilder b = DeepKernelForecaster.builder().inputDimension(dimension).seed(seed)
                .schedule(schedule.coldRefits(), schedule.coldSteps(), schedule.warmSteps())
                .warmSubsetSize(levers.warmSubsetSize())
                .warmEarlyStopping(levers.earlyStopPatience(), levers.earlyStopMinImprovement());
        if (!Double.isNaN(gpLearningRate)) {
            b.gpHyperparameterLearningRate(gpLearningRate);
        }
        return switch (method) {
            case "dyhpo" -> b;
            case "fms-stats" -> b.embedder(new LayerStatisticsEmbedder()).weightsLoader(executor.weightsLoader());
            case "fms-gmn" -> b.embedder(gmn(seed, gmnMaxEdges)).weightsLoader(executor.weightsLoader());
            default -> null;
        };
    }

    /** The GMN embedder of {@code fms-gmn} on a CPU (sizes above). */
    public static GraphMetanetworkEmbedder gmn(long seed, int maxEdges) {
        return GraphMetanetworkEmbedder.builder().seed(seed).dataType(DataType.DOUBLE).hidden(GMN_WIDTH)
                .blocks(GMN_BLOCKS).outputs(GMN_WIDTH).maxEdgesPerLayer(maxEdges).build();
    }

    /** {@code hyperband} or {@code asha} with η = 3: the bench's methods of those names and the fallbacks. */
    private static Policy halvingPolicy(String name) {
        return switch (name) {
            case "hyperband" -> new HyperbandPolicy(3);
            case "asha" -> new AshaPolicy(3);
            default -> throw new IllegalArgumentException("fallback policy must be hyperband or asha, got '" + name
                    + "'");
        };
    }

    private static Policy policy(String method, long seed, StudySettings settings, CandidatePool pool,
                                 Forecaster forecaster, boolean fallback, String fallbackPolicy, int refitEvery) {
        return switch (method) {
            case "random" -> new RandomSearchPolicy();
            case "topk1" -> TopKAfterOneEpochPolicy.forBudget(settings, pool.size(), 1);
            case "hyperband", "asha" -> halvingPolicy(method);
            case "dyhpo", "fms-stats", "fms-gmn", "dyhpo+prior", "fms-stats+prior", "fms-gmn+prior" -> {
                FreezeThawPolicyBuilder b = FreezeThawPolicy.builder(forecaster).name(method).refitEvery(refitEvery)
                        .fallback(halvingPolicy(fallbackPolicy));
                yield fallback ? b.build() : b.calibrationMargin(Double.MAX_VALUE).build(); // never trails by that
            }
            case "arbiter-random" -> ArbiterGeneratorPolicy.random(pool.dimension(), seed);
            case "arbiter-genetic" -> ArbiterGeneratorPolicy.genetic(pool.dimension(), seed, 6);
            default -> throw new IllegalArgumentException("unknown method '" + method + "'");
        };
    }
}
