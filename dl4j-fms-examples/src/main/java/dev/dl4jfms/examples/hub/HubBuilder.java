package dev.dl4jfms.examples.hub;

import dev.dl4jfms.examples.data.InMemoryDataSetIterator;
import dev.dl4jfms.listeners.segment.SegmentOutcome;
import dev.dl4jfms.listeners.segment.SegmentRequest;
import dev.dl4jfms.listeners.segment.SegmentStatus;
import dev.dl4jfms.listeners.segment.SegmentTrainer;
import dev.dl4jfms.listeners.ValidationMetric;
import dev.dl4jfms.store.ArchitectureSignature;
import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.store.ModelSnapshots;
import dev.dl4jfms.store.NewTrial;
import dev.dl4jfms.store.StudyRecord;
import dev.dl4jfms.store.TrialRecord;
import dev.dl4jfms.store.TrialStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a hub: trains every configuration of a definition's pool for B_max epochs through the library's
 * {@link SegmentTrainer} and records per epoch validation accuracy/loss, test accuracy, train loss, seconds and the
 * weights into a {@link CheckpointStore}. The hub is study {@value #HUB_STUDY} of that store (one trial per
 * configuration, labelled {@code config-<index>}, with an epoch-0 checkpoint holding the starting weights); a
 * model-selection hub's zoo is study {@value #ZOO_STUDY}.
 *
 * <p>A configuration that diverges (NaN/Inf loss or predictions) is recorded as DIVERGED with the trainer's reason
 * and its metrics up to the diverged epoch, and the build goes on; one whose training fails otherwise is marked
 * FAILED and retried by the next build.
 *
 * <p><b>Resuming.</b> Running the build again on the same store continues it: finished and diverged trials are
 * skipped; a trial interrupted part-way continues from its latest checkpoint (its weights; the updater state is not
 * stored, to keep the hub small, so the optimizer's moments restart — a documented deviation from an uninterrupted
 * run); a trial without any checkpoint starts from scratch. A store built from different settings is refused.
 */
public final class HubBuilder {

    private static final Logger log = LoggerFactory.getLogger(HubBuilder.class);

    /** Name of the hub study in the store. */
    public static final String HUB_STUDY = "hub";
    /** Name of the zoo study of a model-selection hub. */
    public static final String ZOO_STUDY = "hub-zoo";
    /** The validation metric a hub is searched on (higher is better). */
    public static final String VAL_METRIC = ValidationMetric.ACCURACY.key();
    /** The test metric recorded beside it. */
    public static final String TEST_METRIC = "test_accuracy";

    private final HubDefinition definition;
    private final CheckpointStore store;
    private final int workers;

    /** Summary of a build call. */
    public record Result(int configurations, int trained, int skipped, int resumed, int diverged, double seconds) {
    }

    public HubBuilder(HubDefinition definition, CheckpointStore store, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        this.definition = definition;
        this.store = store;
        this.workers = workers;
    }

    /** Builds (or continues) the hub. */
    public Result build() throws InterruptedException {
        long started = System.nanoTime();
        StudyRecord study = openStudy(HUB_STUDY);
        HubDataSets data = HubDataSets.load(definition.data(), definition.data().classes(), definition.data().train(),
                definition.seed());
        log.info("hub '{}': {} train / {} validation / {} test examples, {} inputs, {} classes", definition.name(),
                data.train().numExamples(), data.validation().numExamples(), data.test().numExamples(),
                data.numInputs(), data.numClasses());
        Map<String, Long> zoo = definition.kind() == HubDefinition.Kind.MODEL_SELECTION ? buildZoo() : Map.of();

        Map<String, TrialRecord> existing = new HashMap<>();
        for (TrialRecord t : store.trials(study.id())) {
            existing.put(t.label(), t);
        }
        List<HubConfig> pool = HubConfig.drawPool(definition);
        List<HubConfig> todo = new ArrayList<>();
        int skipped = 0;
        for (HubConfig c : pool) {
            TrialRecord t = existing.get(c.label());
            if (t != null && (t.status() == TrialStatus.FINISHED || t.status() == TrialStatus.DIVERGED)) {
                skipped++;
            } else {
                todo.add(c);
            }
        }
        log.info("hub '{}': {} configurations, {} already complete, {} to train with {} worker(s)",
                definition.name(), pool.size(), skipped, todo.size(), workers);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger resumed = new AtomicInteger();
        AtomicInteger diverged = new AtomicInteger();
        ExecutorService exec = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (HubConfig c : todo) {
                futures.add(exec.submit(() -> {
                    Outcome o = train(study, c, existing.get(c.label()), data, zoo);
                    if (o.resumed) {
                        resumed.incrementAndGet();
                    }
                    if (o.diverged) {
                        diverged.incrementAndGet();
                    }
                    int n = done.incrementAndGet();
                    double el = (System.nanoTime() - started) / 1e9;
                    log.info("hub '{}': {}/{} trained ({}), {} s elapsed, ~{} s left", definition.name(), n,
                            todo.size(), c.label(), Math.round(el), Math.round(el / n * (todo.size() - n)));
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("training a hub configuration failed: " + e.getCause(),
                            e.getCause());
                }
            }
        } finally {
            exec.shutdownNow();
        }
        return new Result(pool.size(), todo.size(), skipped, resumed.get(), diverged.get(),
                (System.nanoTime() - started) / 1e9);
    }

    private record Outcome(boolean resumed, boolean diverged) {
    }

    private Outcome train(StudyRecord study, HubConfig c, TrialRecord trial, HubDataSets data, Map<String, Long> zoo) {
        long netSeed = definition.seed() * 100_003L + c.index();
        Long startCheckpoint = definition.kind() == HubDefinition.Kind.MODEL_SELECTION
                ? zoo.get(c.text(HubDefinition.START_MODEL, null)) : null;
        boolean resumed = false;
        Optional<CheckpointRecord> latest = trial == null ? Optional.empty()
                : store.checkpoints(trial.id()).stream().filter(CheckpointRecord::hasWeights)
                .reduce((a, b) -> b.epoch() >= a.epoch() ? b : a);
        SegmentRequest.Builder request;
        int from;
        if (latest.isPresent() && latest.get().epoch() > 0) {
            request = SegmentRequest.builder(trial.id()).resumeFromCheckpoint(latest.get().id());
            from = latest.get().epoch();
            resumed = true;
            log.info("{}: resuming from epoch {} (checkpoint {})", c.label(), from, latest.get().id());
        } else {
            MultiLayerNetwork net = freshNetwork(c, data, startCheckpoint, netSeed);
            if (trial == null) {
                trial = store.createTrial(study.id(), new NewTrial(c.toJson(), c.unitVector(),
                        ArchitectureSignature.of(net), startCheckpoint, c.label()));
            }
            if (latest.isEmpty()) {
                store.putCheckpoint(trial.id(), 0, 0, Map.of(), ModelSnapshots.of(net));
            }
            request = SegmentRequest.builder(trial.id()).resumeFrom(ModelSnapshots.of(net));
            from = 0;
        }
        store.updateTrialStatus(trial.id(), TrialStatus.RUNNING, "hub build");
        int batch = (int) c.number("batch_size", 64);
        SegmentOutcome outcome = trainEpochs(request.epochs(definition.maxEpochs() - from).build(), data, batch,
                netSeed);
        switch (outcome.status()) {
            case COMPLETED -> store.updateTrialStatus(trial.id(), TrialStatus.FINISHED,
                    "trained to B_max = " + definition.maxEpochs());
            case DIVERGED -> {
                log.info("{}: {}", c.label(), outcome.message());
                store.updateTrialStatus(trial.id(), TrialStatus.DIVERGED, outcome.message());
            }
            default -> {
                // A failure (not a divergence) is left for the next build to retry; the rest of the build goes on.
                log.warn("{}: training failed, the next build retries it: {}", c.label(), outcome.message());
                store.updateTrialStatus(trial.id(), TrialStatus.FAILED, outcome.message());
            }
        }
        return new Outcome(resumed, outcome.status() == SegmentStatus.DIVERGED);
    }

    private MultiLayerNetwork freshNetwork(HubConfig c, HubDataSets data, Long startCheckpoint, long seed) {
        if (startCheckpoint == null) {
            return HubNetworks.build(c, data.numInputs(), data.numClasses(), seed);
        }
        CheckpointRecord start = store.checkpoint(startCheckpoint).orElseThrow(() -> new IllegalStateException(
                "zoo checkpoint " + startCheckpoint + " is missing from " + store.location()));
        MultiLayerNetwork pretrained = ModelSnapshots.restoreMultiLayerNetwork(store.readSnapshot(start));
        return HubNetworks.fineTune(pretrained, c, data.numClasses(), seed);
    }

    /**
     * Trains one segment through the library's one training path ({@link SegmentTrainer}: divergence and failures
     * handled there), recording validation accuracy/loss, test accuracy, train loss and seconds per epoch; the
     * updater state is not stored, to keep the hub small.
     */
    private SegmentOutcome trainEpochs(SegmentRequest request, HubDataSets data, int batch, long seed) {
        DataSetIterator train = new InMemoryDataSetIterator(data.train(), batch, true, seed);
        DataSetIterator validation = new InMemoryDataSetIterator(data.validation(), 500, false, 0);
        DataSetIterator test = new InMemoryDataSetIterator(data.test(), 500, false, 0);
        SegmentTrainer trainer = SegmentTrainer.builder().store(store).metric(ValidationMetric.ACCURACY)
                .saveUpdaterState(false)
                .scorer(model -> {
                    test.reset();
                    return Map.of(TEST_METRIC, ((MultiLayerNetwork) model).evaluate(test).accuracy());
                })
                .build();
        return trainer.train(request, train, validation);
    }

    private Map<String, Long> buildZoo() {
        StudyRecord zooStudy = openStudy(ZOO_STUDY);
        HubDefinition.Data d = definition.data();
        HubDataSets zooData = HubDataSets.load(d, definition.zooClasses(), definition.zooTrain(),
                definition.seed() + 7);
        Map<String, TrialRecord> existing = new HashMap<>();
        for (TrialRecord t : store.trials(zooStudy.id())) {
            existing.put(t.label(), t);
        }
        Map<String, Long> result = new LinkedHashMap<>();
        int i = 0;
        for (HubDefinition.ZooModel m : definition.zoo()) {
            String label = "zoo-" + m.name();
            long seed = definition.seed() * 7919L + (i++);
            TrialRecord t = existing.get(label);
            if (t == null || t.status() != TrialStatus.FINISHED) {
                MultiLayerNetwork net = HubNetworks.mlp(m.hidden(), HubNetworks.activation(m.activation()),
                        HubNetworks.updater("adam", definition.zooLearningRate(), 0), 0, 0, zooData.numInputs(),
                        zooData.numClasses(), seed);
                if (t == null) {
                    t = store.createTrial(zooStudy.id(), new NewTrial("{\"zoo_model\":\"" + m.name() + "\",\"hidden\":"
                            + m.hidden() + ",\"activation\":\"" + m.activation() + "\"}", null,
                            ArchitectureSignature.of(net), null, label));
                } else {
                    // An interrupted zoo model restarts from scratch; its earlier checkpoints stay but are unused.
                    log.info("zoo model {} was interrupted; retraining it from scratch", m.name());
                }
                SegmentOutcome o = trainEpochs(SegmentRequest.builder(t.id()).resumeFrom(ModelSnapshots.of(net))
                        .epochs(definition.zooEpochs()).build(), zooData, 64, seed);
                if (o.status() != SegmentStatus.COMPLETED) {
                    throw new IllegalStateException("zoo model " + m.name() + " did not train: " + o.message());
                }
                store.updateTrialStatus(t.id(), TrialStatus.FINISHED, "pretrained " + definition.zooEpochs()
                        + " epochs on classes " + definition.zooClasses());
            }
            CheckpointRecord last = store.latestCheckpoint(t.id()).orElseThrow();
            log.info("zoo model {}: checkpoint {} (epoch {}, val accuracy {})", m.name(), last.id(), last.epoch(),
                    last.metrics().get(VAL_METRIC));
            result.put(m.name(), last.id());
        }
        return result;
    }

    private StudyRecord openStudy(String name) {
        String settings = definition.settingsJson();
        Optional<StudyRecord> found = store.studyByName(name);
        if (found.isPresent()) {
            if (!found.get().settingsJson().equals(settings)) {
                throw new IllegalArgumentException("store " + store.location() + " holds a hub built with different "
                        + "settings; use a new --store or the same definition and options.\n stored: "
                        + found.get().settingsJson() + "\n now:    " + settings);
            }
            return found.get();
        }
        return store.createStudy(name, settings);
    }
}
