package dev.dl4jfms.transfer;

import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.store.StudyRecord;
import dev.dl4jfms.store.TrialRecord;
import dev.dl4jfms.study.WeightsKeys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Studies of a checkpoint store as meta-training sources (docs/transfer.md): each trial's hyperparameters by name,
 * its curve of one metric and the keys of the checkpoints before each epoch. A trial made by a search (its
 * configuration JSON holds the DL4J configuration under {@code value}) is read with {@link NamedHyperparameters};
 * one made by a hub build (flat JSON) by its scalar fields.
 */
public final class StoreSources {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bookkeeping fields of a trial's configuration JSON, not hyperparameters. */
    private static final Set<String> BOOKKEEPING = Set.of("config_index", "configIndex", "poolIndex", "unitVector",
            "startCheckpointId", "signature", "architecture", "label", "value");

    private StoreSources() {
    }

    /**
     * The named studies of {@code store} (all of them when {@code studyNames} is empty) as sources; studies without
     * a trial with one epoch of {@code metric} are left out.
     *
     * @param keyPrefix put before every weights key (e.g. to tell stores apart in one loader)
     * @throws IllegalArgumentException naming a study the store does not have
     */
    public static List<SourceTask> of(CheckpointStore store, List<String> studyNames, String metric,
                                      String keyPrefix) {
        List<StudyRecord> studies = new ArrayList<>();
        if (studyNames.isEmpty()) {
            studies.addAll(store.studies());
        } else {
            for (String name : studyNames) {
                studies.add(store.studyByName(name).orElseThrow(() -> new IllegalArgumentException(store.location()
                        + " has no study '" + name + "' (it has: " + store.studies().stream().map(StudyRecord::name)
                        .toList() + ")")));
            }
        }
        List<SourceTask> out = new ArrayList<>();
        for (StudyRecord study : studies) {
            List<SourceTask.Trial> trials = new ArrayList<>();
            int maxEpochs = 0;
            for (TrialRecord t : store.trials(study.id())) {
                List<CheckpointRecord> checkpoints = new ArrayList<>(store.checkpoints(t.id()));
                checkpoints.sort(Comparator.comparingInt(CheckpointRecord::epoch));
                double[] curve = new double[0];
                String[] keys = new String[0];
                // before epoch 1: the epoch-0 checkpoint if the store has one, else the trial's configuration
                // initialised afresh (what a study's init:<poolIndex> key resolves to)
                String before = keyPrefix + WeightsKeys.trialInitial(t.id());
                for (CheckpointRecord c : checkpoints) {
                    if (c.epoch() == 0) {
                        if (c.hasWeights()) {
                            before = keyPrefix + WeightsKeys.checkpoint(c.id());
                        }
                        continue;
                    }
                    Double v = c.metrics().get(metric);
                    if (v == null || !Double.isFinite(v) || c.epoch() != curve.length + 1) {
                        break; // a gap or a non-finite value ends the usable curve
                    }
                    curve = Arrays.copyOf(curve, curve.length + 1);
                    keys = Arrays.copyOf(keys, keys.length + 1);
                    curve[curve.length - 1] = v;
                    keys[keys.length - 1] = before;
                    before = c.hasWeights() ? keyPrefix + WeightsKeys.checkpoint(c.id()) : null;
                }
                if (curve.length == 0) {
                    continue;
                }
                Map<String, String> named = hyperparameters(t.configJson());
                if (named.isEmpty()) {
                    continue;
                }
                trials.add(new SourceTask.Trial(named, curve, keys));
                maxEpochs = Math.max(maxEpochs, curve.length);
            }
            if (!trials.isEmpty()) {
                out.add(new SourceTask(store.location().getFileName() + ":" + study.name(),
                        Math.max(maxEpochs, maxEpochsPerTrial(study.settingsJson())), trials));
            }
        }
        return out;
    }

    /** A trial's hyperparameters by name from its configuration JSON (empty when none can be read). */
    static Map<String, String> hyperparameters(String configJson) {
        JsonNode node;
        try {
            node = JSON.readTree(configJson == null ? "{}" : configJson);
        } catch (IOException e) {
            return Map.of();
        }
        try {
            java.util.Optional<MultiLayerConfiguration> conf =
                    dev.dl4jfms.study.CandidatePool.storedMultiLayerConfiguration(node);
            if (conf.isPresent()) {
                return NamedHyperparameters.of(conf.get());
            }
        } catch (RuntimeException e) {
            return Map.of(); // a configuration that cannot be read has no names
        }
        return node.isObject() ? HyperparameterEncoding.scalarFields(node, BOOKKEEPING) : Map.of();
    }

    /** B_max recorded in a study's settings JSON ({@code maxEpochsPerTrial} or {@code maxEpochs}), else 0. */
    private static int maxEpochsPerTrial(String settingsJson) {
        try {
            JsonNode n = JSON.readTree(settingsJson == null ? "{}" : settingsJson);
            for (JsonNode s : List.of(n, n.path("settings"))) {
                for (String field : List.of("maxEpochsPerTrial", "maxEpochs")) {
                    if (s.path(field).canConvertToInt() && s.path(field).asInt() > 0) {
                        return s.path(field).asInt();
                    }
                }
            }
        } catch (IOException e) {
            // no readable settings: B_max comes from the curves
        }
        return 0;
    }
}
