package dev.dl4jfms.store;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** JSON encoding of the small structured columns (metrics, unit vectors). NaN and infinities survive a round trip. */
final class StoreJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<TreeMap<String, Double>> METRICS = new TypeReference<>() {
    };

    private StoreJson() {
    }

    /** Encodes metrics sorted by name; null values are dropped, non-finite values are kept as strings. */
    static String metricsToJson(Map<String, Double> metrics) {
        TreeMap<String, Double> sorted = new TreeMap<>();
        if (metrics != null) {
            metrics.forEach((name, value) -> {
                if (name == null) {
                    throw new IllegalArgumentException("metric names must not be null: " + metrics);
                }
                if (value != null) {
                    sorted.put(name, value);
                }
            });
        }
        return write(sorted);
    }

    static Map<String, Double> metricsFromJson(String json) {
        try {
            return Collections.unmodifiableMap(MAPPER.readValue(json, METRICS));
        } catch (JsonProcessingException e) {
            throw new StoreException("Unreadable metrics JSON in store: " + json, e);
        }
    }

    static String vectorToJson(double[] vector) {
        return vector == null ? null : write(vector);
    }

    static double[] vectorFromJson(String json) {
        if (json == null) {
            return null;
        }
        try {
            return MAPPER.readValue(json, double[].class);
        } catch (JsonProcessingException e) {
            throw new StoreException("Unreadable unit vector JSON in store: " + json, e);
        }
    }

    /** A flat JSON object of string values. */
    static String object(Map<String, String> fields) {
        return write(new TreeMap<>(fields));
    }

    /** The text of a top-level field of a JSON object, or null when absent or unreadable. */
    static String textField(String json, String field) {
        try {
            var node = MAPPER.readTree(json).get(field);
            return node == null || node.isNull() ? null : node.asText();
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode " + value, e);
        }
    }
}
