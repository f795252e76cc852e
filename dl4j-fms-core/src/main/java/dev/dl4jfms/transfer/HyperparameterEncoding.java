package dev.dl4jfms.transfer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Hyperparameters matched by <em>name</em> across search spaces (docs/transfer.md): the same name means the same
 * input to a transferred forecaster whatever range or unit cube each study drew it from.
 *
 * <p>Built from the named values of the source studies' configurations. A name whose values all parse as numbers is
 * numeric: log10-transformed when all values are positive and span more than a factor of 20 (learning rates, L2,
 * widths), then standardised with the mean and standard deviation over all sources, and encoded as two inputs
 * (the standardised value, 1 = present). Any other name is categorical: one input per category seen (one-hot) and a
 * presence input. A name a configuration lacks is encoded as value 0 with presence 0 - "missing", which the network
 * can tell apart from a genuine 0; a category the sources never saw is all zeros with presence 1. Names the sources
 * never had are ignored ({@link #unknownNames}): nothing was learned about them.
 */
public final class HyperparameterEncoding {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Positive values spanning more than this factor are log-scaled. */
    static final double LOG_SPAN = 20;

    /** One name's encoding: numeric (transform, mean, std) or categorical (categories). */
    record Feature(String name, boolean log, double mean, double std, List<String> categories) {
        boolean numeric() {
            return categories == null;
        }

        int width() {
            return numeric() ? 2 : categories.size() + 1;
        }
    }

    private final List<Feature> features;
    private final int dimension;

    private HyperparameterEncoding(List<Feature> features) {
        this.features = List.copyOf(features);
        this.dimension = features.stream().mapToInt(Feature::width).sum();
    }

    /**
     * The encoding of every name in {@code configurations} (each a name → value-as-text map).
     *
     * @throws IllegalArgumentException when no configuration names any hyperparameter
     */
    public static HyperparameterEncoding fit(Collection<Map<String, String>> configurations) {
        Map<String, List<String>> values = new TreeMap<>();
        for (Map<String, String> c : configurations) {
            for (Map.Entry<String, String> e : c.entrySet()) {
                if (e.getValue() != null) {
                    values.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue().trim());
                }
            }
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no named hyperparameters in the " + configurations.size()
                    + " source configuration(s); a prior needs hyperparameters by name");
        }
        List<Feature> features = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            double[] numbers = numbers(e.getValue());
            if (numbers != null) {
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (double v : numbers) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                boolean log = min > 0 && max / min > LOG_SPAN;
                double sum = 0;
                for (double v : numbers) {
                    sum += log ? Math.log10(v) : v;
                }
                double mean = sum / numbers.length;
                double ss = 0;
                for (double v : numbers) {
                    double t = (log ? Math.log10(v) : v) - mean;
                    ss += t * t;
                }
                double std = Math.sqrt(ss / numbers.length);
                features.add(new Feature(e.getKey(), log, mean, std > 1e-12 ? std : 1.0, null));
            } else {
                Set<String> categories = new TreeSet<>(e.getValue());
                features.add(new Feature(e.getKey(), false, 0, 1, List.copyOf(categories)));
            }
        }
        return new HyperparameterEncoding(features);
    }

    private static double[] numbers(List<String> texts) {
        double[] out = new double[texts.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = Double.parseDouble(texts.get(i));
            } catch (NumberFormatException e) {
                return null;
            }
            if (!Double.isFinite(out[i])) {
                return null;
            }
        }
        return out;
    }

    /** Number of inputs a configuration is encoded as. */
    public int dimension() {
        return dimension;
    }

    /** The names this encoding knows, in input order. */
    public List<String> names() {
        return features.stream().map(Feature::name).toList();
    }

    /** Names of {@code configuration} this encoding does not know (their values are not used). */
    public Set<String> unknownNames(Map<String, String> configuration) {
        Set<String> unknown = new TreeSet<>(configuration.keySet());
        unknown.removeAll(names());
        return unknown;
    }

    /** The encoded inputs of {@code configuration} (a name → value-as-text map). */
    public double[] encode(Map<String, String> configuration) {
        double[] out = new double[dimension];
        int at = 0;
        for (Feature f : features) {
            String text = configuration.get(f.name());
            if (text != null) {
                text = text.trim();
                if (f.numeric()) {
                    double v;
                    try {
                        v = Double.parseDouble(text);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("hyperparameter '" + f.name() + "' is numeric in the "
                                + "prior's sources but '" + text + "' here");
                    }
                    double t = f.log() ? Math.log10(Math.max(v, Double.MIN_NORMAL)) : v;
                    out[at] = (t - f.mean()) / f.std();
                    out[at + 1] = 1;
                } else {
                    int k = f.categories().indexOf(text);
                    if (k >= 0) {
                        out[at + k] = 1;
                    }
                    out[at + f.categories().size()] = 1;
                }
            }
            at += f.width();
        }
        return out;
    }

    /** One line per feature, for docs and logs. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (Feature f : features) {
            b.append(f.numeric() ? String.format(Locale.ROOT, "%s: %s, mean %.4g, std %.4g", f.name(),
                    f.log() ? "log10" : "linear", f.mean(), f.std())
                    : f.name() + ": categories " + f.categories()).append('\n');
        }
        return b.toString();
    }

    /** JSON form (stored in a prior file). */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("features");
        for (Feature f : features) {
            ObjectNode n = list.addObject().put("name", f.name());
            if (f.numeric()) {
                n.put("log", f.log()).put("mean", f.mean()).put("std", f.std());
            } else {
                ArrayNode c = n.putArray("categories");
                f.categories().forEach(c::add);
            }
        }
        return root;
    }

    /** Reads {@link #toJson()}. */
    public static HyperparameterEncoding fromJson(JsonNode node) {
        List<Feature> features = new ArrayList<>();
        for (JsonNode n : node.path("features")) {
            if (n.has("categories")) {
                List<String> c = new ArrayList<>();
                n.get("categories").forEach(x -> c.add(x.asText()));
                features.add(new Feature(n.get("name").asText(), false, 0, 1, c));
            } else {
                features.add(new Feature(n.get("name").asText(), n.get("log").asBoolean(), n.get("mean").asDouble(),
                        n.get("std").asDouble(), null));
            }
        }
        if (features.isEmpty()) {
            throw new IllegalArgumentException("an encoding needs at least one feature");
        }
        return new HyperparameterEncoding(features);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HyperparameterEncoding e && features.equals(e.features);
    }

    @Override
    public int hashCode() {
        return features.hashCode();
    }

    /** Name → value-as-text of the scalar fields of a flat JSON object (e.g. a hub trial's configuration). */
    public static Map<String, String> scalarFields(JsonNode object, Set<String> skip) {
        Map<String, String> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (!skip.contains(e.getKey()) && v.isValueNode() && !v.isNull()) {
                out.put(e.getKey(), v.asText());
            }
        });
        return out;
    }
}
