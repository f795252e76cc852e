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
}
