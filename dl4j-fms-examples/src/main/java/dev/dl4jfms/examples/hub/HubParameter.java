package dev.dl4jfms.examples.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * One searchable hyperparameter of a hub definition: a numeric range ({@code {min, max, log, integer}}) or a
 * categorical list ({@code [a, b, c]}). Maps a unit-cube coordinate to a value the way Arbiter's continuous, integer
 * and discrete parameter spaces do (linear or log-linear interpolation; equal-width bins for categories).
 *
 * @param name    the parameter name (also the hub CSV column)
 * @param min     lower end of a numeric range (NaN for categorical)
 * @param max     upper end of a numeric range (NaN for categorical)
 * @param log     interpolate in log space (numeric only; requires {@code min > 0})
 * @param integer round to the nearest integer (numeric only)
 * @param values  the categories (empty for numeric); numbers stay numbers, everything else is text
 */
public record HubParameter(String name, double min, double max, boolean log, boolean integer, List<Object> values) {

    public HubParameter {
        values = List.copyOf(values);
        if (values.isEmpty()) {
            if (!(min <= max) || !Double.isFinite(min) || !Double.isFinite(max)) {
                throw new IllegalArgumentException("parameter '" + name + "': need finite min <= max, got min " + min
                        + ", max " + max);
            }
            if (log && min <= 0) {
                throw new IllegalArgumentException("parameter '" + name + "': a log range needs min > 0, got " + min);
            }
        }
    }

    /** True for a categorical parameter. */
    public boolean categorical() {
        return !values.isEmpty();
    }

    /** The value at unit coordinate {@code u} in [0, 1]. */
    public Object value(double u) {
        if (!(u >= 0 && u <= 1)) {
            throw new IllegalArgumentException("parameter '" + name + "': unit coordinate " + u + " outside [0,1]");
        }
        if (categorical()) {
            return values.get(Math.min(values.size() - 1, (int) Math.floor(u * values.size())));
        }
        double v = log ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
        if (integer) {
            return (int) Math.round(v);
        }
        return v;
    }

    /** The unit coordinate at the centre of category {@code value}'s bin, or -1 when it is not a category. */
    public double unitOfCategory(Object value) {
        for (int i = 0; i < values.size(); i++) {
            if (String.valueOf(values.get(i)).equals(String.valueOf(value))) {
                return (i + 0.5) / values.size();
            }
        }
        return -1;
    }

    /** The value as hub CSV text: integers without a decimal point, decimals in Java's round-trip form. */
    public static String text(Object value) {
        if (value instanceof Double d) {
            return Double.toString(d);
        }
        return String.valueOf(value);
    }

    /**
     * Parses {@code node}: an array (categories) or an object with {@code min}, {@code max}, optional {@code log}
     * and {@code integer}.
     *
     * @param where names the file and position for error messages
     */
    static HubParameter parse(String name, JsonNode node, String where) {
        if (node.isArray()) {
            if (node.isEmpty()) {
                throw new IllegalArgumentException(where + ": parameter '" + name + "' has an empty list of values");
            }
            List<Object> values = new ArrayList<>();
            for (JsonNode v : node) {
                if (v.isIntegralNumber()) {
                    values.add(v.intValue());
                } else if (v.isNumber()) {
                    values.add(v.doubleValue());
                } else if (v.isTextual() || v.isBoolean()) {
                    values.add(v.asText());
                } else {
                    throw new IllegalArgumentException(where + ": parameter '" + name
                            + "' lists a value that is not a number or word: " + v);
                }
            }
            return new HubParameter(name, Double.NaN, Double.NaN, false, false, values);
        }
        if (node.isObject()) {
            if (!node.has("min") || !node.has("max")) {
                throw new IllegalArgumentException(where + ": parameter '" + name + "' needs 'min' and 'max' (or a list"
                        + " of values), got " + node);
            }
            for (var it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!List.of("min", "max", "log", "integer").contains(f)) {
                    throw new IllegalArgumentException(where + ": parameter '" + name + "' has unknown key '" + f
                            + "' (allowed: min, max, log, integer)");
                }
            }
            try {
                return new HubParameter(name, node.get("min").asDouble(Double.NaN), node.get("max").asDouble(Double.NaN),
                        node.path("log").asBoolean(false), node.path("integer").asBoolean(false), List.of());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        if (node.isValueNode()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: parameter '%s' is a single value (%s); write it as a one-element list [%s] to fix it",
                    where, name, node.asText(), node.asText()));
        }
        throw new IllegalArgumentException(where + ": parameter '" + name + "' must be a list or {min, max}");
    }
}
