package dev.dl4jfms.arbiter;

import dev.dl4jfms.policy.AshaPolicy;
import dev.dl4jfms.policy.HyperbandPolicy;
import dev.dl4jfms.study.Policy;
import dev.dl4jfms.policy.RandomSearchPolicy;
import dev.dl4jfms.policy.SuccessiveHalvingPolicy;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.study.CandidatePool;
import dev.dl4jfms.study.MetricDirection;
import dev.dl4jfms.study.Segment;
import dev.dl4jfms.study.SegmentResult;
import dev.dl4jfms.study.Study;
import dev.dl4jfms.transfer.TransferPrior;
import dev.dl4jfms.study.StudySettings;
import dev.dl4jfms.study.TrialStop;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.deeplearning4j.arbiter.ComputationGraphSpace;
import org.deeplearning4j.arbiter.DL4JConfiguration;
import org.deeplearning4j.arbiter.GraphConfiguration;
import org.deeplearning4j.arbiter.MultiLayerSpace;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonIgnoreProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forecasting Model Search for Arbiter: a drop-in replacement for {@code RandomSearchGenerator} in an
 * {@code OptimizationConfiguration}. Each Arbiter candidate is one <em>segment</em> of a trial (a configuration
 * of the study's pool trained for a few more epochs, resumed from its last checkpoint), granted by a {@link Study}
 * whose {@link Policy} decides freeze-thaw style which trial to advance, pause or stop. Train the candidates with
 * the FMS task creator of {@code dl4j-fms-listeners} and end the run with {@link FmsTerminationCondition}.
 *
 * <pre>{@code
 * FmsCandidateGenerator generator = FmsCandidateGenerator.builder(mlpSpace)
 *         .store(store).studyName("mnist-mlp")
 *         .budgetEpochs(60).maxEpochsPerTrial(10).poolSize(40).seed(1)
 *         .policy(new HyperbandPolicy()).build();
 * OptimizationConfiguration conf = new OptimizationConfiguration.Builder()
 *         .candidateGenerator(generator).dataProvider(data).scoreFunction(accuracy)
 *         .terminationConditions(new FmsTerminationCondition()).build();
 * new LocalOptimizationRunner(2, conf, new FmsTaskCreator(store, ValidationMetric.ACCURACY)).execute();
 * }</pre>
 *
 * <p><b>Threads.</b> Arbiter calls every method on the runner's control thread; the study is synchronised anyway.
 * {@link #hasMoreCandidates()} returns false while the policy waits for running segments; the runner polls again.
 *
 * <p><b>Serialisation.</b> Only the configuration is serialised to JSON/YAML (space, study name, store path,
 * settings, policy name): Arbiter's UI listener writes the whole {@code OptimizationConfiguration} on every status
 * change, so the study, policy state and store handle are {@code transient} and {@link JsonIgnore}d. A deserialised
 * generator reopens the store and resumes the study by name; a policy given by name ({@link Builder#policy(String)}:
 * {@code dyhpo}, {@code fms-stats}, {@code fms-gmn} of {@link FmsPolicies}, or the baselines {@code random},
 * {@code successive-halving}, {@code hyperband}, {@code asha}) is rebuilt from that name; other policy objects must
 * be attached again with {@link #attach(CheckpointStore, Policy)}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class FmsCandidateGenerator implements CandidateGenerator {

    private static final Logger log = LoggerFactory.getLogger(FmsCandidateGenerator.class);

    private ParameterSpace<?> parameterSpace;
    private String studyName;
    private String storePath;
    private String studySettingsJson;
    private String policyName;
    private String surrogateSchedule;
    /** Absolute path of the prior file of a forecasting policy, or null (serialised; read when the study opens). */
    private String priorPath;

    @JsonIgnore
    private transient CheckpointStore store;
    @JsonIgnore
    private transient boolean ownsStore;
    @JsonIgnore
    private transient Policy policy;
    @JsonIgnore
    private transient Study study;
    @JsonIgnore
    private transient Map<Integer, Segment> outstanding;
    @JsonIgnore
    private transient int nextCandidateIndex;
    /** Trial id → index of the Arbiter candidate that last trained it. */
    @JsonIgnore
    private transient Map<Long, Integer> lastCandidateOfTrial;
    /** Candidates whose results their task already told ({@link #tellFromTask}); reportResults skips them. */
    @JsonIgnore
    private transient Set<Integer> toldByTask;
    @JsonIgnore
    private transient List<ArbiterStopListener> stopListeners;
    /** The trial whose task is telling its result right now (see {@link #tellFromTask}), or null. */
    @JsonIgnore
    private transient Long tellingTrial;
    @JsonIgnore
    private transient boolean forecastsJournaled;
    @JsonIgnore
    private transient TrialStop stopWhileTelling;

    /** For Jackson. */
    protected FmsCandidateGenerator() {
    }

    private FmsCandidateGenerator(Builder b) {
        this.parameterSpace = b.space;
        this.studyName = b.studyName;
        this.store = b.store;
        this.storePath = b.store != null ? b.store.location().toAbsolutePath().toString()
                : b.storePath.toAbsolutePath().toString();
        this.studySettingsJson = b.settings.toJson();
        this.policy = b.policy;
        this.policyName = b.policy != null ? b.policy.name() : b.policyName;
        this.surrogateSchedule = FmsPolicies.isForecasting(policyName) ? b.schedule.toString() : null;
        this.priorPath = b.prior == null ? null : b.prior.toAbsolutePath().toString();
    }

    /** A builder for a search over {@code space} (a {@link MultiLayerSpace} or {@link ComputationGraphSpace}). */
    public static Builder builder(ParameterSpace<?> space) {
        return new Builder(space);
    }

    /**
     * Supplies the runtime parts of a generator deserialised from JSON/YAML: the store (may be null to reopen the
     * serialised store path) and the policy (null for a built-in baseline named in the configuration).
     */
    public synchronized FmsCandidateGenerator attach(CheckpointStore store, Policy policy) {
        if (study != null) {
            throw new IllegalStateException("the study of generator '" + studyName + "' is already open");
        }
        if (store != null) {
            this.store = store;
        }
        if (policy != null) {
            if (!policy.name().equals(policyName)) {
                throw new IllegalArgumentException("policy '" + policy.name() + "' does not match the configured '"
                        + policyName + "'");
            }
            this.policy = policy;
        }
        return this;
    }

    /** The study behind this generator, opened (created or resumed from the store) on first use. */
    public synchronized Study study() {
        if (study == null) {
            StudySettings settings = StudySettings.fromJson(studySettingsJson);
            if (store == null) {
                store = SqliteCheckpointStore.open(Paths.get(storePath));
                ownsStore = true;
            }
            CandidatePool pool = CandidatePool.draw(parameterSpace, settings.poolSize(), settings.seed());
            if (policy == null && FmsPolicies.isForecasting(policyName)) {
                FmsPolicies.Schedule schedule = surrogateSchedule == null ? FmsPolicies.Schedule.DEFAULT
                        : FmsPolicies.Schedule.parse(surrogateSchedule);
                TransferPrior prior = null;
                if (priorPath != null) {
                    try {
                        prior = TransferPrior.load(Paths.get(priorPath));
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException("generator '" + studyName + "': " + e.getMessage(), e);
                    }
                }
                policy = FmsPolicies.freezeThaw(policyName, store, pool, settings, schedule, prior);
            }
            if (policy == null) {
                policy = builtInPolicy(policyName).orElseThrow(() -> new IllegalStateException("policy '"
                        + policyName + "' is not built in; attach it with attach(store, policy) before use"));
            }
            study = Study.open(store, studyName, settings, pool, policy);
            outstanding = new HashMap<>();
            lastCandidateOfTrial = new HashMap<>();
            toldByTask = new HashSet<>();
            study.addStopListener(this::onTrialStopped);
            log.info("FMS generator: study '{}' in {} with policy {}, budget {} epochs, B_max {}, pool {}",
                    studyName, storePath, policyName, settings.budgetEpochs(), settings.maxEpochsPerTrial(),
                    pool.size());
        }
        return study;
    }

    private static Optional<Policy> builtInPolicy(String name) {
        return switch (name) {
            case "random" -> Optional.of(new RandomSearchPolicy());
            case "successive-halving" -> Optional.of(new SuccessiveHalvingPolicy());
            case "hyperband" -> Optional.of(new HyperbandPolicy());
            case "asha" -> Optional.of(new AshaPolicy());
            default -> Optional.empty();
        };
    }

    /**
     * Whether the policy would hand out a segment now ({@link Study#review()}). Nothing is handed out yet: Arbiter's
     * runner calls this before it checks for a free slot, so a segment chosen here could wait for one while results
     * come in; {@link #getCandidate()} lets the policy decide again with everything told by then.
     */
    @Override
    public synchronized boolean hasMoreCandidates() {
        return study().review();
    }

    /**
     * The next segment as an Arbiter candidate, chosen now. In the rare case that a result told between
     * {@link #hasMoreCandidates()} and this call leaves the policy nothing to hand out, the candidate carries an
     * exception (Arbiter records it as failed at creation; the study is not affected).
     */
    @Override
    public synchronized Candidate getCandidate() {
        int index = nextCandidateIndex++;
        Segment segment = study().ask().orElse(null);
        if (segment == null) {
            log.debug("candidate {}: the policy of study '{}' has nothing to hand out any more", index, studyName);
            return new Candidate<>(() -> null, index, new double[0], null, new IllegalStateException("study '"
                    + studyName + "' has no segment to hand out now (results arrived since hasMoreCandidates())"));
        }
        double[] point = segment.unitVector();
        SegmentTicket ticket = SegmentTicket.of(studyName, segment);
        lastCandidateOfTrial.put(segment.trialId(), index);
        Object value;
        try {
            value = wrap(parameterSpace.getValue(point), ticket);
        } catch (RuntimeException e) {
            // Arbiter marks such a candidate Failed and never reports it: answer the study here.
            log.warn("configuration of pool candidate {} could not be built: {}", segment.poolIndex(), e.toString());
            study.tell(SegmentResult.failed(segment, List.of(), "invalid configuration: " + e.getMessage()));
            return new Candidate<>(() -> null, index, point, null, e);
        }
        outstanding.put(index, segment);
        log.debug("candidate {} = {}", index, ticket);
        return new Candidate<>(value, index, point);
    }

    private static Object wrap(Object value, SegmentTicket ticket) {
        if (value instanceof DL4JConfiguration c) {
            return new FmsDL4JConfiguration(c.getMultiLayerConfiguration(), ticket);
        }
        if (value instanceof GraphConfiguration g) {
            return new FmsGraphConfiguration(g.getConfiguration(), ticket);
        }
        throw new IllegalArgumentException("the parameter space produced a "
                + (value == null ? "null" : value.getClass().getName())
                + "; FMS needs a MultiLayerSpace or ComputationGraphSpace");
    }

    /**
     * Tells the study how a segment ended. Results without a {@link SegmentReport} (e.g. from Arbiter's stock task
     * creators) are recorded as failed segments so the study never waits for them. A result whose task already
     * told it through {@link #tellFromTask} is skipped.
     */
    @Override
    public synchronized void reportResults(OptimizationResult result) {
        if (toldByTask != null && toldByTask.remove(result.getIndex())) {
            return;
        }
        Segment segment = outstanding == null ? null : outstanding.remove(result.getIndex());
        if (segment == null) {
            log.warn("result for candidate {} does not belong to a segment of study '{}'; ignored",
                    result.getIndex(), studyName);
            return;
        }
        tell(segment, result.getModelSpecificResults());
    }

    /**
     * Called by a training task (on its own thread) as soon as its segment is trained, before it returns its
     * result to the runner: tells the study, then lets the policy decide at once ({@link Study#review()}), so that
     * a stop decided on this
     * segment's result (diverged, failed, or dominated by the forecast it just allowed) reaches the task, which
     * returns {@code Cancelled} with the reason. Reaching B_max is returned too ({@link TrialStop#cutShort()} false).
     * The result is then skipped by {@link #reportResults}. Segments this generator did not hand out as
     * {@code candidateIndex} are left to {@link #reportResults}.
     *
     * @return the stop recorded for the segment's trial during this call, or empty when the trial may continue
     */
    public synchronized Optional<TrialStop> tellFromTask(int candidateIndex, SegmentReport report) {
        Segment segment = outstanding == null ? null : outstanding.get(candidateIndex);
        if (segment == null || report == null || !report.answers(segment)) {
            return Optional.empty();
        }
        outstanding.remove(candidateIndex);
        toldByTask.add(candidateIndex);
        tellingTrial = segment.trialId();
        stopWhileTelling = null;
        try {
            tell(segment, report);
            if (!study.trial(segment.poolIndex()).isTerminal()) {
                try {
                    study.review();
                } catch (RuntimeException e) {
                    // the control thread's next hasMoreCandidates() asks again and sees the same failure
                    log.warn("policy of study '{}' failed to decide after segment {}: {}", studyName,
                            segment.segmentId(), e.toString());
                }
            }
            return Optional.ofNullable(stopWhileTelling);
        } finally {
            tellingTrial = null;
            stopWhileTelling = null;
        }
    }

    private void tell(Segment segment, Object payload) {
        if (payload instanceof SegmentReport report && report.answers(segment)) {
            try {
                study.tell(report.toSegmentResult());
                return;
            } catch (IllegalArgumentException e) {
                log.error("study '{}' rejected the report of segment {}: {}", studyName, segment.segmentId(),
                        e.getMessage());
                study.tell(SegmentResult.failed(segment, List.of(), "malformed segment report: " + e.getMessage()));
                return;
            }
        }
        study.tell(SegmentResult.failed(segment, List.of(), "the task returned no SegmentReport for segment "
                + segment.segmentId() + " (train FMS candidates with the FMS task creator)"));
    }

    /**
     * Registers a listener told of every trial of the study that ends for good (finished, stopped early, diverged,
     * failed), with the Arbiter candidate that last trained it. {@code FmsTaskCreator} registers one that forwards
     * stops decided after a segment ended to Arbiter's {@code StatusListener}s.
     */
    public synchronized void addStopListener(ArbiterStopListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        if (stopListeners == null) {
            stopListeners = new CopyOnWriteArrayList<>();
        }
        if (!stopListeners.contains(listener)) {
            stopListeners.add(listener);
        }
    }

    /** Removes a listener added with {@link #addStopListener}. */
    public synchronized void removeStopListener(ArbiterStopListener listener) {
        if (stopListeners != null) {
            stopListeners.remove(listener);
        }
    }

    private void onTrialStopped(TrialStop stop) {
        boolean byTask = tellingTrial != null && tellingTrial == stop.trialId();
        if (byTask) {
            stopWhileTelling = stop;
        }
        if (stopListeners == null || stopListeners.isEmpty()) {
            return;
        }
        Integer candidate = lastCandidateOfTrial.get(stop.trialId());
        ArbiterTrialStop event = new ArbiterTrialStop(stop, candidate == null ? -1 : candidate, byTask);
        for (ArbiterStopListener l : stopListeners) {
            try {
                l.trialStopped(event);
            } catch (RuntimeException e) {
                log.warn("stop listener {} failed on {}: {}", l, event, e.toString());
            }
        }
    }

    /**
     * Closes the store if this generator opened it itself (deserialised without {@link #attach}); a store passed
     * to the builder or to {@code attach} belongs to the caller and stays open.
     */
    public synchronized void closeStore() {
        if (ownsStore && store != null) {
            store.close();
            store = null;
            study = null;
            ownsStore = false;
        }
    }

    /** The store of the study (opened on first use when only a path was configured). */
    public synchronized CheckpointStore store() {
        study();
        return store;
    }

    /**
     * Journals the policy's final forecasts once ({@link FinalForecasts}); called when the study finishes, and by
     * drivers that end a search early. Does nothing before the study opens or after the first time.
     */
    public synchronized void journalFinalForecasts() {
        if (study != null && !forecastsJournaled) {
            forecastsJournaled = true;
            FinalForecasts.journal(study, policy, store);
        }
    }

    /** True when the study has nothing left to do and nothing is running (see {@link Study#isFinished()}). */
    public synchronized boolean isFinished() {
        boolean finished = study != null && study.isFinished();
        if (finished) {
            journalFinalForecasts(); // so a report of an API-driven study shows them too
        }
        return finished;
    }

    /** Epochs charged so far, 0 before the study is opened. */
    public synchronized int spentEpochs() {
        return study == null ? 0 : study.spentEpochs();
    }

    /** Segments handed out and not yet reported. */
    public synchronized int runningSegments() {
        return study == null ? 0 : study.runningSegments().size();
    }

    @Override
    public ParameterSpace<?> getParameterSpace() {
        return parameterSpace;
    }

    /**
     * Sets the seed of the pool draw and the policy's randomness. Only effective before the study is opened (the
     * seed is part of a stored study's identity).
     */
    @Override
    public synchronized void setRngSeed(long rngSeed) {
        StudySettings settings = StudySettings.fromJson(studySettingsJson);
        if (settings.seed() == rngSeed) {
            return;
        }
        if (study != null) {
            log.warn("setRngSeed({}) ignored: study '{}' is already open with seed {}", rngSeed, studyName,
                    settings.seed());
            return;
        }
        studySettingsJson = settings.toBuilder().seed(rngSeed).build().toJson();
    }

    @Override
    public Class<?> getCandidateType() {
        return parameterSpace instanceof ComputationGraphSpace ? FmsGraphConfiguration.class
                : FmsDL4JConfiguration.class;
    }

    public String getStudyName() {
        return studyName;
    }

    public String getStorePath() {
        return storePath;
    }

    public StudySettings getStudySettings() {
        return StudySettings.fromJson(studySettingsJson);
    }

    public String getPolicyName() {
        return policyName;
    }

    /** Absolute path of the prior the forecasting policy starts from, or null for a cold start. */
    public String getPriorPath() {
        return priorPath;
    }

    /** The surrogate schedule of a forecasting policy named by {@link FmsPolicies} ({@code cold/steps/warm}),
     * null for other policies. */
    public String getSurrogateSchedule() {
        return surrogateSchedule;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FmsCandidateGenerator g && Objects.equals(parameterSpace, g.parameterSpace)
                && Objects.equals(studyName, g.studyName) && Objects.equals(storePath, g.storePath)
                && Objects.equals(getStudySettings(), g.getStudySettings()) && Objects.equals(policyName, g.policyName)
                && Objects.equals(priorPath, g.priorPath)
                && Objects.equals(surrogateSchedule, g.surrogateSchedule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(studyName, storePath, studySettingsJson, policyName, surrogateSchedule, priorPath);
    }

    @Override
    public String toString() {
        return "FmsCandidateGenerator(study=" + studyName + ", store=" + storePath + ", policy=" + policyName
                + (surrogateSchedule == null ? "" : ", surrogateSchedule=" + surrogateSchedule)
                + ", settings=" + studySettingsJson + ")";
    }

    /** Validating builder for {@link FmsCandidateGenerator}. */
    public static final class Builder {
        private final ParameterSpace<?> space;
        private CheckpointStore store;
        private Path storePath;
        private String studyName = "fms";
        private StudySettings settings;
        private final StudySettings.Builder settingsBuilder = StudySettings.builder();
        private Policy policy;
        private String policyName;
        private FmsPolicies.Schedule schedule = FmsPolicies.Schedule.DEFAULT;
        private java.nio.file.Path prior;

        private Builder(ParameterSpace<?> space) {
            if (!(space instanceof MultiLayerSpace) && !(space instanceof ComputationGraphSpace)) {
                throw new IllegalArgumentException("FMS searches a MultiLayerSpace or ComputationGraphSpace, got "
                        + (space == null ? "null" : space.getClass().getName()));
            }
            this.space = space;
        }

        /** The store holding the study, its trials and every checkpoint (shared with the task creator). */
        public Builder store(CheckpointStore store) {
            this.store = store;
            return this;
        }

        /** A SQLite store file, opened when the study starts (alternative to {@link #store}). */
        public Builder storePath(Path dbFile) {
            this.storePath = dbFile;
            return this;
        }

        /** Name of the study in the store (default {@code fms}); an existing study of that name is resumed. */
        public Builder studyName(String name) {
            this.studyName = name;
            return this;
        }

        /** All study settings at once (overrides the individual setters below). */
        public Builder settings(StudySettings settings) {
            this.settings = settings;
            return this;
        }

        /** Total epochs the search may train, summed over trials. */
        public Builder budgetEpochs(int epochs) {
            settingsBuilder.budgetEpochs(epochs);
            return this;
        }

        /** B_max: the most epochs one trial is trained. */
        public Builder maxEpochsPerTrial(int epochs) {
            settingsBuilder.maxEpochsPerTrial(epochs);
            return this;
        }

        /** Number of configurations drawn from the space. */
        public Builder poolSize(int size) {
            settingsBuilder.poolSize(size);
            return this;
        }

        /** Seed of the pool draw and the policy. */
        public Builder seed(long seed) {
            settingsBuilder.seed(seed);
            return this;
        }

        /** The validation metric (a checkpoint metric name, e.g. {@code val_accuracy}) and its direction. */
        public Builder metric(String name, MetricDirection direction) {
            settingsBuilder.metric(name, direction);
            return this;
        }

        /** n_init: configurations trained one step before the surrogate decides. */
        public Builder warmupConfigs(int n) {
            settingsBuilder.warmupConfigs(n);
            return this;
        }

        /** The decision policy (FMS, or a baseline such as {@link HyperbandPolicy}). */
        public Builder policy(Policy policy) {
            this.policy = policy;
            this.policyName = null;
            return this;
        }

        /**
         * A policy by name, built when the study opens (so a generator read back from JSON rebuilds it): the FMS
         * forecasting policies {@link FmsPolicies#NAMES} ({@code dyhpo}, {@code fms-stats}, {@code fms-gmn}: a
         * deep-kernel GP without / with the statistics / with the GMN weight embedding, weights read from the
         * store and the pool), or the baselines {@code random}, {@code successive-halving}, {@code hyperband},
         * {@code asha}.
         */
        public Builder policy(String name) {
            this.policyName = name == null ? null : name.trim().toLowerCase(java.util.Locale.ROOT);
            this.policy = null;
            return this;
        }

        /**
         * A prior meta-trained on earlier studies ({@code fms meta-train}, docs/transfer.md) to start the forecasting
         * policy named by {@link #policy(String)} from; its path is serialised with the generator and the file read
         * when the study opens. Default: none (a cold start).
         */
        public Builder prior(java.nio.file.Path priorFile) {
            this.prior = priorFile;
            return this;
        }

        /** Training schedule of the FMS surrogate for a policy named by {@link #policy(String)} (default
         * {@link FmsPolicies.Schedule#DEFAULT}); smaller schedules trade forecast quality for speed. */
        public Builder surrogateSchedule(FmsPolicies.Schedule schedule) {
            this.schedule = schedule;
            return this;
        }

        public FmsCandidateGenerator build() {
            if (store == null && storePath == null) {
                throw new IllegalArgumentException("a store (or store path) is required: every segment's "
                        + "checkpoint and the study journal live there");
            }
            if (policy == null && policyName == null) {
                throw new IllegalArgumentException("a policy (object or name) is required");
            }
            if (policy == null && !FmsPolicies.isForecasting(policyName) && builtInPolicy(policyName).isEmpty()) {
                throw new IllegalArgumentException("unknown policy '" + policyName + "'; known: "
                        + FmsPolicies.NAMES + ", [random, successive-halving, hyperband, asha]");
            }
            if (schedule == null) {
                throw new IllegalArgumentException("surrogateSchedule must not be null");
            }
            if (prior != null && (policy != null || !FmsPolicies.isForecasting(policyName))) {
                throw new IllegalArgumentException("a prior starts a forecasting policy named by policy(String) "
                        + FmsPolicies.NAMES + "; give the prior to your own policy object yourself");
            }
            if (prior != null && !java.nio.file.Files.isRegularFile(prior)) {
                throw new IllegalArgumentException("prior file " + prior.toAbsolutePath() + " does not exist");
            }
            if (studyName == null || studyName.isBlank()) {
                throw new IllegalArgumentException("studyName must be non-empty");
            }
            if (settings == null) {
                settings = settingsBuilder.build();
            }
            return new FmsCandidateGenerator(this);
        }
    }
}
