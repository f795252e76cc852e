package dev.dl4jfms.examples.hub;

import dev.dl4jfms.examples.bench.HubCsv;
import dev.dl4jfms.examples.bench.HubCsvWriter;
import dev.dl4jfms.listeners.CheckpointCaptureListener;
import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.store.StudyRecord;
import dev.dl4jfms.store.TrialRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * A built hub read into memory: per configuration its hyperparameters, unit vector, and per epoch the validation and
 * test metric, training loss, seconds and checkpoint id (epoch 0 = the starting weights). Only configurations with at
 * least one trained epoch are included; a diverged one has fewer than B_max epochs.
 */
public final class Hub {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One configuration's tabular data. Arrays are indexed by epoch - 1, {@code checkpointIds} by epoch. */
    public record Entry(int configIndex, long trialId, double[] unitVector, Map<String, String> params,
                        double[] val, double[] test, double[] trainLoss, double[] seconds, long[] checkpointIds) {
        /** Epochs recorded. */
        public int epochs() {
            return val.length;
        }

        /** Validation value after the last recorded epoch (NaN when it diverged). */
        public double finalVal() {
            return val[val.length - 1];
        }
    }

    private final List<Entry> entries;
    private final List<String> paramNames;
    private final int maxEpochs;
    private final String settingsJson;
    private final Path location;

    private Hub(List<Entry> entries, List<String> paramNames, int maxEpochs, String settingsJson, Path location) {
        this.entries = List.copyOf(entries);
        this.paramNames = List.copyOf(paramNames);
        this.maxEpochs = maxEpochs;
        this.settingsJson = settingsJson;
        this.location = location;
    }

    /** Reads the hub study of {@code store}. */
    public static Hub read(CheckpointStore store) {
        StudyRecord study = store.studyByName(HubBuilder.HUB_STUDY).orElseThrow(() -> new IllegalArgumentException(
                store.location() + " is not a hub: it has no study '" + HubBuilder.HUB_STUDY + "' (build one with "
                        + "'fms hub build')"));
        int maxEpochs;
        try {
            maxEpochs = JSON.readTree(study.settingsJson()).path("maxEpochs").asInt();
        } catch (IOException e) {
            throw new IllegalStateException("hub settings of " + store.location() + " are not JSON", e);
        }
        List<Entry> entries = new ArrayList<>();
        List<String> names = null;
        for (TrialRecord t : store.trials(study.id())) {
            JsonNode cfg;
            try {
                cfg = JSON.readTree(t.configJson());
            } catch (IOException e) {
                throw new IllegalStateException("trial " + t.id() + " of hub " + store.location()
                        + " has a configuration that is not JSON", e);
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = cfg.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("config_index")) {
                    params.put(e.getKey(), e.getValue().isDouble() ? Double.toString(e.getValue().doubleValue())
                            : e.getValue().asText());
                }
            }
            if (names == null) {
                names = new ArrayList<>(params.keySet());
            }
            List<CheckpointRecord> cps = new ArrayList<>(store.checkpoints(t.id()).stream()
                    .filter(c -> !c.metrics().containsKey(CheckpointCaptureListener.MID_EPOCH)).toList());
            cps.sort(Comparator.comparingInt(CheckpointRecord::epoch).thenComparingLong(CheckpointRecord::id));
            // Keep the last checkpoint per epoch (a resumed zoo/trial may repeat an epoch) and stop at a gap.
            Map<Integer, CheckpointRecord> byEpoch = new LinkedHashMap<>();
            for (CheckpointRecord c : cps) {
                byEpoch.put(c.epoch(), c);
            }
            int n = 0;
            while (byEpoch.containsKey(n + 1) && n < maxEpochs) {
                n++;
            }
            if (n == 0) {
                continue;
            }
            double[] val = new double[n];
            double[] test = new double[n];
            double[] loss = new double[n];
            double[] secs = new double[n];
            long[] ids = new long[n + 1];
            ids[0] = byEpoch.containsKey(0) ? byEpoch.get(0).id() : -1;
            for (int e = 1; e <= n; e++) {
                CheckpointRecord c = byEpoch.get(e);
                val[e - 1] = metric(c, HubBuilder.VAL_METRIC);
                test[e - 1] = metric(c, HubBuilder.TEST_METRIC);
                loss[e - 1] = metric(c, CheckpointCaptureListener.TRAIN_LOSS);
                secs[e - 1] = metric(c, CheckpointCaptureListener.SECONDS);
                ids[e] = c.id();
            }
            entries.add(new Entry(cfg.path("config_index").asInt(entries.size()), t.id(), t.unitVector(), params,
                    val, test, loss, secs, ids));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("hub " + store.location() + " has no trained configurations yet");
        }
        entries.sort(Comparator.comparingInt(Entry::configIndex));
        return new Hub(entries, names, maxEpochs, study.settingsJson(), store.location());
    }

    private static double metric(CheckpointRecord c, String name) {
        Double v = c.metrics().get(name);
        return v == null ? Double.NaN : v;
    }

    /** Configurations in config-index order. */
    public List<Entry> entries() {
        return entries;
    }

    public List<String> paramNames() {
        return paramNames;
    }

    /** B_max of the hub. */
    public int maxEpochs() {
        return maxEpochs;
    }

    public String settingsJson() {
        return settingsJson;
    }

    public Path location() {
        return location;
    }

    /** Every finite validation value at any epoch (for normalised regret). */
    public double[] allValidationValues() {
        return entries.stream().flatMapToDouble(e -> Arrays.stream(e.val())).filter(Double::isFinite).toArray();
    }

    /** Writes the hub CSV ({@code docs/hub-csv-format.md}); returns the number of rows. */
    public int exportCsv(Path file) throws IOException {
        int rows = 0;
        try (HubCsvWriter w = new HubCsvWriter(file, paramNames)) {
            for (Entry e : entries) {
                List<String> values = paramNames.stream().map(p -> e.params().getOrDefault(p, "")).toList();
                for (int k = 0; k < e.epochs(); k++) {
                    w.write(new HubCsv.Row(e.configIndex(), values, k + 1, e.val()[k], e.test()[k], e.trainLoss()[k],
                            e.seconds()[k]));
                    rows++;
                }
            }
        }
        return rows;
    }
}
