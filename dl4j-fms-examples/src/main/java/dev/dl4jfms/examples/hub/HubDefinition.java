package dev.dl4jfms.examples.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.nd4j.shade.jackson.dataformat.yaml.YAMLFactory;

/**
 * A hub definition file (YAML or JSON; format in {@code docs/hubs.md}): what to train and how much.
 *
 * <p>Two kinds: {@link Kind#ARCHITECTURE} trains freshly initialised MLPs drawn from {@link #parameters()};
 * {@link Kind#MODEL_SELECTION} first pretrains a {@link ZooModel zoo} on {@link #zooClasses()} and then fine-tunes
 * drawn (start model × hyperparameters) configurations on {@link Data#classes()}.
 */
public record HubDefinition(String name, Kind kind, int poolSize, int maxEpochs, long seed, Data data,
                            List<HubParameter> parameters, List<ZooModel> zoo, List<Integer> zooClasses,
                            int zooTrain, int zooEpochs, double zooLearningRate) {

    /** The two hub kinds. */
    public enum Kind { ARCHITECTURE, MODEL_SELECTION }

    /** Name of the implicit categorical parameter of a model-selection hub: which zoo model to fine-tune. */
    public static final String START_MODEL = "start_model";

    /**
     * Data settings: subset sizes, optional 2×2 (or k×k) average-pool downsampling, and the classes kept.
     *
     * @param folder     the IDX folder, or null for the default (Fashion-MNIST from the system package)
     * @param train      training examples (from the IDX training files)
     * @param validation validation examples (also from the training files, disjoint from {@code train})
     * @param test       test examples (from the t10k files)
     * @param downsample pooling factor (1 = full resolution; 2 turns 28×28 into 14×14)
     * @param classes    the labels kept (relabelled 0..k-1), or empty for all
     */
    public record Data(Path folder, int train, int validation, int test, int downsample, List<Integer> classes) {
        public Data {
            classes = List.copyOf(classes);
            if (train < 1 || validation < 1 || test < 1) {
                throw new IllegalArgumentException("train, validation and test sizes must be >= 1, got " + train
                        + ", " + validation + ", " + test);
            }
            if (downsample < 1 || 28 % downsample != 0) {
                throw new IllegalArgumentException("downsample must divide 28 (1, 2, 4, 7), got " + downsample);
            }
        }
    }

    /**
     * A zoo model of a model-selection hub.
     *
     * @param name       its name (the value of {@link #START_MODEL})
     * @param hidden     hidden-layer widths
     * @param activation hidden activation (DL4J {@code Activation} name, case-insensitive)
     */
    public record ZooModel(String name, List<Integer> hidden, String activation) {
        public ZooModel {
            hidden = List.copyOf(hidden);
        }
    }

    public HubDefinition {
        parameters = List.copyOf(parameters);
        zoo = List.copyOf(zoo);
        zooClasses = List.copyOf(zooClasses);
        if (poolSize < 1 || maxEpochs < 1) {
            throw new IllegalArgumentException("hub '" + name + "': poolSize and maxEpochs must be >= 1, got "
                    + poolSize + ", " + maxEpochs);
        }
        if (kind == Kind.MODEL_SELECTION && zoo.isEmpty()) {
            throw new IllegalArgumentException("hub '" + name + "': a model-selection hub needs a non-empty 'zoo'");
        }
    }

    /** Reads a definition from a .yaml/.yml or .json file. */
    public static HubDefinition load(Path file) {
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = lower.endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
        JsonNode root;
        try {
            root = mapper.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read hub definition " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("hub definition " + file + " must be a mapping at the top level");
        }
        return parse((ObjectNode) root, file.toString());
    }

    static HubDefinition parse(ObjectNode root, String where) {
        allowOnly(root, where, "name", "kind", "poolSize", "maxEpochs", "seed", "data", "space", "zoo");
        String name = require(root, "name", where).asText();
        Kind kind;
        try {
            kind = Kind.valueOf(root.path("kind").asText("architecture").toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": kind must be 'architecture' or 'model-selection', got '"
                    + root.path("kind").asText() + "'");
        }
        JsonNode d = require(root, "data", where);
        allowOnly(d, where + " data", "folder", "train", "validation", "test", "downsample", "classes");
        Data data = new Data(d.hasNonNull("folder") ? Path.of(d.get("folder").asText()) : null,
                d.path("train").asInt(2000), d.path("validation").asInt(1000), d.path("test").asInt(1000),
                d.path("downsample").asInt(1), ints(d.path("classes")));
        List<HubParameter> params = new ArrayList<>();
        List<ZooModel> zoo = new ArrayList<>();
        List<Integer> zooClasses = List.of();
        int zooTrain = 0;
        int zooEpochs = 0;
        double zooLr = 0;
        if (kind == Kind.MODEL_SELECTION) {
            JsonNode z = require(root, "zoo", where);
            allowOnly(z, where + " zoo", "classes", "train", "epochs", "learningRate", "models");
            zooClasses = ints(z.path("classes"));
            zooTrain = z.path("train").asInt(2000);
            zooEpochs = z.path("epochs").asInt(5);
            zooLr = z.path("learningRate").asDouble(0.003);
            List<Object> names = new ArrayList<>();
            for (JsonNode m : require(z, "models", where + " zoo")) {
                String mName = require(m, "name", where + " zoo model").asText();
                zoo.add(new ZooModel(mName, ints(require(m, "hidden", where + " zoo model " + mName)),
                        m.path("activation").asText("relu")));
                names.add(mName);
            }
            params.add(new HubParameter(START_MODEL, Double.NaN, Double.NaN, false, false, names));
        }
        JsonNode space = require(root, "space", where);
        for (Iterator<Map.Entry<String, JsonNode>> it = space.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(START_MODEL)) {
                throw new IllegalArgumentException(where + ": '" + START_MODEL + "' is implicit (the zoo models)");
            }
            params.add(HubParameter.parse(e.getKey(), e.getValue(), where));
        }
        if (params.isEmpty()) {
            throw new IllegalArgumentException(where + ": 'space' has no parameters");
        }
        return new HubDefinition(name, kind, root.path("poolSize").asInt(100), root.path("maxEpochs").asInt(20),
                root.path("seed").asLong(1), data, params, zoo, zooClasses, zooTrain, zooEpochs, zooLr);
    }

    /** A copy with the given values replaced (null keeps the file's value). */
    public HubDefinition withOverrides(Integer poolSize, Integer maxEpochs, Long seed, Integer train,
                                       Integer validation, Integer test, Integer downsample, Path folder) {
        Data d = new Data(folder != null ? folder : data.folder(), train != null ? train : data.train(),
                validation != null ? validation : data.validation(), test != null ? test : data.test(),
                downsample != null ? downsample : data.downsample(), data.classes());
        return new HubDefinition(name, kind, poolSize != null ? poolSize : this.poolSize,
                maxEpochs != null ? maxEpochs : this.maxEpochs, seed != null ? seed : this.seed, d, parameters, zoo,
                zooClasses, zooTrain, zooEpochs, zooLearningRate);
    }

    /** The settings that determine the hub's content, as JSON (stored with the hub to detect mismatched resumes). */
    public String settingsJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode n = m.createObjectNode();
        n.put("name", name).put("kind", kind.name()).put("poolSize", poolSize).put("maxEpochs", maxEpochs)
                .put("seed", seed).put("train", data.train()).put("validation", data.validation())
                .put("test", data.test()).put("downsample", data.downsample())
                .put("classes", data.classes().toString());
        ArrayNode ps = n.putArray("parameters");
        for (HubParameter p : parameters) {
            ps.add(p.toString());
        }
        ArrayNode zs = n.putArray("zoo");
        for (ZooModel z : zoo) {
            zs.add(z.toString());
        }
        n.put("zooClasses", zooClasses.toString()).put("zooTrain", zooTrain).put("zooEpochs", zooEpochs)
                .put("zooLearningRate", zooLearningRate);
        return n.toString();
    }

    /** Parameter names in unit-vector order. */
    public List<String> parameterNames() {
        return parameters.stream().map(HubParameter::name).toList();
    }

    private static JsonNode require(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException(where + ": missing required field '" + field + "'");
        }
        return v;
    }

    private static void allowOnly(JsonNode node, String where, String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!ok.contains(f)) {
                throw new IllegalArgumentException(where + ": unknown field '" + f + "' (allowed: "
                        + String.join(", ", allowed) + ")");
            }
        }
    }

    private static List<Integer> ints(JsonNode node) {
        List<Integer> out = new ArrayList<>();
        if (node == null || node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("expected a list of integers, got " + node);
        }
        for (JsonNode v : node) {
            if (!v.isIntegralNumber()) {
                throw new IllegalArgumentException("expected integers, got " + v + " in " + node);
            }
            out.add(v.intValue());
        }
        return out;
    }
}
