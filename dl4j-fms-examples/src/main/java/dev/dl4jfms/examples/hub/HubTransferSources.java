package dev.dl4jfms.examples.hub;

import dev.dl4jfms.graph.NetworkWeights;
import dev.dl4jfms.study.WeightsKeys;
import dev.dl4jfms.transfer.SourceTask;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Hubs as meta-training sources and as targets of a prior (docs/transfer.md): a hub's configurations with their
 * hyperparameters by name, learning curves and the keys of the weights before each epoch.
 */
public final class HubTransferSources {

    private HubTransferSources() {
    }

    /**
     * The named hyperparameters of a hub configuration: its recorded parameters without the bookkeeping field
     * {@code config_index} and without inactive layer widths ({@code width<k>} with k above {@code hidden_layers},
     * recorded as 0): a layer that does not exist has no width, it is missing.
     */
    public static Map<String, String> hyperparameters(Hub.Entry e) {
        Map<String, String> out = new LinkedHashMap<>(e.params());
        out.remove("config_index");
        int layers = -1;
        try {
            layers = out.containsKey("hidden_layers") ? (int) Double.parseDouble(out.get("hidden_layers")) : -1;
        } catch (NumberFormatException ignored) {
            // a non-numeric hidden_layers is kept as a category; widths stay as recorded
        }
        if (layers >= 0) {
            final int active = layers;
            out.keySet().removeIf(k -> k.startsWith("width") && k.substring(5).chars().allMatch(Character::isDigit)
                    && !k.equals("width") && Integer.parseInt(k.substring(5)) > active);
        }
        return out;
    }

    /**
     * The hub as a source task; weights keys are the hub's {@code ckpt:<id>} keys behind {@code keyPrefix}, so the
     * keys of several hubs stay apart ({@link #routingLoader}).
     */
    public static SourceTask source(Hub hub, String name, String keyPrefix) {
        List<SourceTask.Trial> trials = new ArrayList<>();
        for (Hub.Entry e : hub.entries()) {
            String[] keys = new String[e.epochs()];
            for (int j = 1; j <= e.epochs(); j++) {
                long id = e.checkpointIds()[j - 1];
                keys[j - 1] = id > 0 ? keyPrefix + WeightsKeys.checkpoint(id) : null;
            }
            trials.add(new SourceTask.Trial(hyperparameters(e), e.val().clone(), keys));
        }
        return new SourceTask(name, hub.maxEpochs(), trials);
    }

    /** A weights loader for prefixed keys: the part before the first {@code |} picks the hub's own loader. */
    public static Function<String, NetworkWeights> routingLoader(Map<String, Function<String, NetworkWeights>> byPrefix) {
        Map<String, Function<String, NetworkWeights>> copy = Map.copyOf(byPrefix);
        return key -> {
            int bar = key == null ? -1 : key.indexOf('|');
            Function<String, NetworkWeights> loader = bar < 0 ? null : copy.get(key.substring(0, bar + 1));
            if (loader == null) {
                throw new IllegalArgumentException("no source store for weights key '" + key + "'");
            }
            return loader.apply(key.substring(bar + 1));
        };
    }

    /**
     * Meta-training sources read from stores (docs/transfer.md), with the one weights loader that resolves all their
     * keys; closing it closes the stores.
     *
     * @param tasks  the sources
     * @param loader resolves the sources' prefixed weights keys
     * @param names  where each source came from ({@code <store file>:<study>})
     */
    public record Sources(List<SourceTask> tasks, Function<String, NetworkWeights> loader, List<String> names,
                          List<dev.dl4jfms.store.SqliteCheckpointStore> stores) implements AutoCloseable {
        @Override
        public void close() {
            stores.forEach(dev.dl4jfms.store.SqliteCheckpointStore::close);
        }
    }

    /**
     * Opens {@code paths} and reads their studies as sources: a hub store (study {@code hub}) as a hub (inactive
     * layer widths left out), any other store study by study ({@link dev.dl4jfms.transfer.StoreSources}; all of
     * them, or those named in {@code studies}).
     *
     * @throws IllegalArgumentException for a missing file, an unknown study or stores without usable studies
     */
    public static Sources open(List<java.nio.file.Path> paths, List<String> studies, String metric) {
        List<dev.dl4jfms.store.SqliteCheckpointStore> open = new ArrayList<>();
        try {
            List<SourceTask> tasks = new ArrayList<>();
            Map<String, Function<String, NetworkWeights>> loaders = new LinkedHashMap<>();
            List<String> names = new ArrayList<>();
            for (int k = 0; k < paths.size(); k++) {
                java.nio.file.Path p = paths.get(k);
                if (!java.nio.file.Files.isRegularFile(p)) {
                    throw new IllegalArgumentException("source store " + p.toAbsolutePath() + " does not exist");
                }
                dev.dl4jfms.store.SqliteCheckpointStore store = dev.dl4jfms.store.SqliteCheckpointStore.open(p);
                open.add(store);
                String prefix = "s" + k + "|";
                boolean isHub = store.studyByName(HubBuilder.HUB_STUDY).isPresent()
                        && (studies.isEmpty() || studies.equals(List.of(HubBuilder.HUB_STUDY)));
                if (isHub) {
                    Hub hub = Hub.read(store);
                    String name = p.getFileName() + ":" + HubBuilder.HUB_STUDY;
                    tasks.add(source(hub, name, prefix));
                    names.add(name);
                    loaders.put(prefix, new HubReplayExecutor(hub, store).weightsLoader());
                } else {
                    List<SourceTask> found = dev.dl4jfms.transfer.StoreSources.of(store, studies, metric, prefix);
                    found.forEach(t -> names.add(t.name()));
                    tasks.addAll(found);
                    // sources name checkpoints (ckpt:) and trials (trial-init:), never pool entries: a one-point
                    // pool stands in for the study's
                    loaders.put(prefix, new dev.dl4jfms.arbiter.StudyWeightsLoader(store,
                            dev.dl4jfms.study.CandidatePool.ofUnitVectors(List.of(new double[] {0}), List.of())));
                }
            }
            if (tasks.isEmpty()) {
                throw new IllegalArgumentException("no usable study (a trial with one epoch of " + metric + ") in "
                        + paths);
            }
            return new Sources(tasks, routingLoader(loaders), names, open);
        } catch (RuntimeException e) {
            open.forEach(dev.dl4jfms.store.SqliteCheckpointStore::close);
            throw e;
        }
    }
}
