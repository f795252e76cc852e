package dev.dl4jfms.examples.hub;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * One configuration of a hub pool: its index, its unit-cube point and the decoded hyperparameter values (in the
 * definition's parameter order).
 *
 * <p>Conditional widths: a parameter named {@code width<k>} is inactive when the configuration's
 * {@code hidden_layers} is below {@code k}; its unit coordinate is then 0 and its value 0, so configurations that
 * differ only in an unused width are identical.
 */
public record HubConfig(int index, double[] unitVector, Map<String, Object> values) {

    private static final Pattern WIDTH = Pattern.compile("width(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    public HubConfig {
        unitVector = unitVector.clone();
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    @Override
    public double[] unitVector() {
        return unitVector.clone();
    }

    /**
     * Draws the pool of {@code definition}: {@code poolSize} points uniform in [0,1]^d from a generator seeded with
     * the definition's seed, decoded by its parameters.
     */
    public static List<HubConfig> drawPool(HubDefinition definition) {
        SplittableRandom rng = new SplittableRandom(definition.seed());
        List<HubParameter> params = definition.parameters();
        List<HubConfig> pool = new ArrayList<>(definition.poolSize());
        for (int i = 0; i < definition.poolSize(); i++) {
            double[] u = new double[params.size()];
            for (int k = 0; k < u.length; k++) {
                u[k] = rng.nextDouble();
            }
            pool.add(decode(i, u, params));
        }
        return pool;
    }

    /** Decodes unit point {@code u} (inactive widths are zeroed in the returned unit vector). */
    public static HubConfig decode(int index, double[] u, List<HubParameter> params) {
        double[] unit = u.clone();
        Map<String, Object> values = new LinkedHashMap<>();
        for (int k = 0; k < params.size(); k++) {
            values.put(params.get(k).name(), params.get(k).value(unit[k]));
        }
        Object layers = values.get("hidden_layers");
        if (layers instanceof Number n) {
            for (int k = 0; k < params.size(); k++) {
                Matcher m = WIDTH.matcher(params.get(k).name());
                if (m.matches() && Integer.parseInt(m.group(1)) > n.intValue()) {
                    unit[k] = 0;
                    values.put(params.get(k).name(), 0);
                }
            }
        }
        return new HubConfig(index, unit, values);
    }

    /** A numeric value, or {@code fallback} when the parameter is absent. */
    public double number(String name, double fallback) {
        Object v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("hub parameter '" + name + "' must be numeric, got '" + v + "'");
        }
    }

    /** A text value, or {@code fallback} when the parameter is absent. */
    public String text(String name, String fallback) {
        Object v = values.get(name);
        return v == null ? fallback : v.toString();
    }

    /** The values as a JSON object (plus {@code config_index}); the stored trial configuration. */
    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("config_index", index);
        values.forEach((k, v) -> {
            if (v instanceof Integer i) {
                n.put(k, i);
            } else if (v instanceof Double d) {
                n.put(k, d);
            } else {
                n.put(k, String.valueOf(v));
            }
        });
        return n.toString();
    }

    /** A short label for logs and the store. */
    public String label() {
        return "config-" + index;
    }
}
