package dev.dl4jfms.study;

import java.io.IOException;
import java.util.Objects;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Immutable settings of a {@link Study}. Build with {@link #builder()}; every value is validated there.
 * {@link #toJson()} / {@link #fromJson(String)} round-trip all fields.
 */
public final class StudySettings {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int budgetEpochs;
    private final int maxEpochsPerTrial;
    private final int stepEpochs;
    private final int warmupConfigs;
    private final long seed;
    private final String metricName;
    private final MetricDirection direction;
    private final String testMetricName;
    private final String trainLossName;
    private final double kappa;
    private final int poolSize;

    private StudySettings(Builder b) {
        this.budgetEpochs = b.budgetEpochs;
        this.maxEpochsPerTrial = b.maxEpochsPerTrial;
        this.stepEpochs = b.stepEpochs;
        this.warmupConfigs = b.warmupConfigs;
        this.seed = b.seed;
        this.metricName = b.metricName;
        this.direction = b.direction;
        this.testMetricName = b.testMetricName;
        this.trainLossName = b.trainLossName;
        this.kappa = b.kappa;
        this.poolSize = b.poolSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with these settings. */
    public Builder toBuilder() {
        return new Builder().budgetEpochs(budgetEpochs).maxEpochsPerTrial(maxEpochsPerTrial).stepEpochs(stepEpochs)
                .warmupConfigs(warmupConfigs).seed(seed).metric(metricName, direction).testMetricName(testMetricName)
                .trainLossName(trainLossName).kappa(kappa).poolSize(poolSize);
    }

    /** Total epochs the study may train, summed over trials (only epochs actually added are charged). */
    public int budgetEpochs() {
        return budgetEpochs;
    }

    /** B_max: the most epochs any one trial is trained. */
    public int maxEpochsPerTrial() {
        return maxEpochsPerTrial;
    }

    /** Epochs per freeze-thaw step (default 1). */
    public int stepEpochs() {
        return stepEpochs;
    }

    /** n_init: random configurations trained one step before the surrogate decides (default 20). */
    public int warmupConfigs() {
        return warmupConfigs;
    }

    public long seed() {
        return seed;
    }

    /** The validation metric that drives every decision (a checkpoint metric name). */
    public String metricName() {
        return metricName;
    }

    public MetricDirection direction() {
        return direction;
    }

    /** Checkpoint metric name under which test values are recorded (never used for decisions). */
    public String testMetricName() {
        return testMetricName;
    }

    /** Checkpoint metric name of the training loss. */
    public String trainLossName() {
        return trainLossName;
    }

    /** κ of the dominated-termination rule: stop when μ + κσ at B_max is below the incumbent (default 2). */
    public double kappa() {
        return kappa;
    }

    /** Number of unit-cube points drawn from the parameter space (before crossing with start checkpoints). */
    public int poolSize() {
        return poolSize;
    }

    /** All settings as a JSON object. */
    public String toJson() {
        return toJsonNode().toString();
    }

    ObjectNode toJsonNode() {
        ObjectNode n = JSON.createObjectNode();
        n.put("budgetEpochs", budgetEpochs);
        n.put("maxEpochsPerTrial", maxEpochsPerTrial);
        n.put("stepEpochs", stepEpochs);
        n.put("warmupConfigs", warmupConfigs);
        n.put("seed", seed);
        n.put("metricName", metricName);
        n.put("direction", direction.name());
        n.put("testMetricName", testMetricName);
        n.put("trainLossName", trainLossName);
        n.put("kappa", kappa);
        n.put("poolSize", poolSize);
        return n;
    }

    /** Parses {@link #toJson()} output; absent fields take their defaults, then everything is validated. */
    public static StudySettings fromJson(String json) {
        try {
            return fromJsonNode(JSON.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("study settings are not valid JSON: " + e.getMessage(), e);
        }
    }

    static StudySettings fromJsonNode(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("study settings must be a JSON object, got: " + n);
        }
        Builder b = builder();
        if (n.has("budgetEpochs")) b.budgetEpochs(n.get("budgetEpochs").asInt());
        if (n.has("maxEpochsPerTrial")) b.maxEpochsPerTrial(n.get("maxEpochsPerTrial").asInt());
        if (n.has("stepEpochs")) b.stepEpochs(n.get("stepEpochs").asInt());
        if (n.has("warmupConfigs")) b.warmupConfigs(n.get("warmupConfigs").asInt());
        if (n.has("seed")) b.seed(n.get("seed").asLong());
        String metric = n.has("metricName") ? n.get("metricName").asText() : b.metricName;
        MetricDirection dir = n.has("direction") ? MetricDirection.valueOf(n.get("direction").asText()) : b.direction;
        b.metric(metric, dir);
        if (n.has("testMetricName")) b.testMetricName(n.get("testMetricName").asText());
        if (n.has("trainLossName")) b.trainLossName(n.get("trainLossName").asText());
        if (n.has("kappa")) b.kappa(n.get("kappa").asDouble());
        if (n.has("poolSize")) b.poolSize(n.get("poolSize").asInt());
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StudySettings s && toJson().equals(s.toJson());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toJson());
    }

    @Override
    public String toString() {
        return "StudySettings" + toJson();
    }

    /** Validating builder; {@link #build()} names the offending value. */
    public static final class Builder {
        private int budgetEpochs = -1;
        private int maxEpochsPerTrial = -1;
        private int stepEpochs = 1;
        private int warmupConfigs = 20;
        private long seed = 12345;
        private String metricName = "val_accuracy";
        private MetricDirection direction = MetricDirection.MAXIMIZE;
        private String testMetricName = "test_accuracy";
        private String trainLossName = "train_loss";
        private double kappa = 2.0;
        private int poolSize = 200;

        private Builder() {
        }

        public Builder budgetEpochs(int v) { this.budgetEpochs = v; return this; }
        public Builder maxEpochsPerTrial(int v) { this.maxEpochsPerTrial = v; return this; }
        public Builder stepEpochs(int v) { this.stepEpochs = v; return this; }
        public Builder warmupConfigs(int v) { this.warmupConfigs = v; return this; }
        public Builder seed(long v) { this.seed = v; return this; }

        /** The validation metric name and whether to maximise or minimise it. */
        public Builder metric(String name, MetricDirection dir) {
            this.metricName = name;
            this.direction = dir;
            return this;
        }

        public Builder testMetricName(String v) { this.testMetricName = v; return this; }
        public Builder trainLossName(String v) { this.trainLossName = v; return this; }
        public Builder kappa(double v) { this.kappa = v; return this; }
        public Builder poolSize(int v) { this.poolSize = v; return this; }

        public StudySettings build() {
            require(maxEpochsPerTrial >= 1, "maxEpochsPerTrial (B_max) must be >= 1, got " + maxEpochsPerTrial);
            require(budgetEpochs >= 1, "budgetEpochs must be >= 1, got " + budgetEpochs);
            require(stepEpochs >= 1 && stepEpochs <= maxEpochsPerTrial,
                    "stepEpochs must be in [1, maxEpochsPerTrial=" + maxEpochsPerTrial + "], got " + stepEpochs);
            require(warmupConfigs >= 1, "warmupConfigs (n_init) must be >= 1, got " + warmupConfigs);
            require(metricName != null && !metricName.isBlank(), "metricName must be a non-empty name");
            require(direction != null, "direction is required");
            require(testMetricName != null && !testMetricName.isBlank(), "testMetricName must be non-empty");
            require(trainLossName != null && !trainLossName.isBlank(), "trainLossName must be non-empty");
            require(!metricName.equals(testMetricName) && !metricName.equals(trainLossName),
                    "metricName '" + metricName + "' must differ from testMetricName and trainLossName");
            require(Double.isFinite(kappa) && kappa >= 0, "kappa must be finite and >= 0, got " + kappa);
            require(poolSize >= 1, "poolSize must be >= 1, got " + poolSize);
            return new StudySettings(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException("Invalid study settings: " + message);
            }
        }
    }
}
