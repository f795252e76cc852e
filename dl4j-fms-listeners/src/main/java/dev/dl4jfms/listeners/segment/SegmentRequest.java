package dev.dl4jfms.listeners.segment;

import dev.dl4jfms.store.ModelSnapshot;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * What one segment should train: a trial, where its weights come from (a fresh configuration, a snapshot, or a
 * stored checkpoint), and how many epochs to add. Immutable; build with {@link #builder(long)}.
 */
public final class SegmentRequest {

    private final long trialId;
    private final ModelSnapshot.ModelType modelType;
    private final String configJson;
    private final ModelSnapshot resumeFrom;
    private final Long resumeCheckpointId;
    private final int epochs;

    private SegmentRequest(Builder b) {
        this.trialId = b.trialId;
        this.modelType = b.modelType;
        this.configJson = b.configJson;
        this.resumeFrom = b.resumeFrom;
        this.resumeCheckpointId = b.resumeCheckpointId;
        this.epochs = b.epochs;
    }

    /** A request for trial {@code trialId} (the id under which checkpoints are stored). */
    public static Builder builder(long trialId) {
        return new Builder(trialId);
    }

    public long trialId() {
        return trialId;
    }

    /** Model type of a fresh start, or null when resuming. */
    public ModelSnapshot.ModelType modelType() {
        return modelType;
    }

    /** Configuration JSON of a fresh start, or null when resuming. */
    public String configJson() {
        return configJson;
    }

    /** Snapshot to resume from, or null. */
    public ModelSnapshot resumeFrom() {
        return resumeFrom;
    }

    /** Stored checkpoint to resume from, or null. */
    public Long resumeCheckpointId() {
        return resumeCheckpointId;
    }

    /** Epochs to train in this segment. */
    public int epochs() {
        return epochs;
    }

    @Override
    public String toString() {
        String from = resumeFrom != null ? "snapshot@epoch" + resumeFrom.epochCount()
                : resumeCheckpointId != null ? "checkpoint " + resumeCheckpointId : "fresh " + modelType;
        return "SegmentRequest{trial=" + trialId + ", from=" + from + ", epochs=" + epochs + "}";
    }

    /** Validating builder: exactly one of the three starting points, and at least one epoch. */
    public static final class Builder {
        private final long trialId;
        private ModelSnapshot.ModelType modelType;
        private String configJson;
        private ModelSnapshot resumeFrom;
        private Long resumeCheckpointId;
        private int epochs = 1;

        private Builder(long trialId) {
            this.trialId = trialId;
        }

        /** Start a fresh {@code MultiLayerNetwork} from this configuration. */
        public Builder fresh(MultiLayerConfiguration conf) {
            return fresh(ModelSnapshot.ModelType.MULTI_LAYER_NETWORK, conf.toJson());
        }

        /** Start a fresh {@code ComputationGraph} from this configuration. */
        public Builder fresh(ComputationGraphConfiguration conf) {
            return fresh(ModelSnapshot.ModelType.COMPUTATION_GRAPH, conf.toJson());
        }

        /** Start a fresh network of {@code type} from its configuration JSON. */
        public Builder fresh(ModelSnapshot.ModelType type, String configJson) {
            if (type == null || configJson == null || configJson.isBlank()) {
                throw new IllegalArgumentException("model type and configuration JSON are required");
            }
            this.modelType = type;
            this.configJson = configJson;
            return this;
        }

        /** Resume from a snapshot: weights, updater state (when present), epoch and iteration counts. */
        public Builder resumeFrom(ModelSnapshot snapshot) {
            this.resumeFrom = snapshot;
            return this;
        }

        /** Resume from a checkpoint held by the trainer's store. */
        public Builder resumeFromCheckpoint(long checkpointId) {
            this.resumeCheckpointId = checkpointId;
            return this;
        }

        /** Epochs to train (at least 1; default 1). */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        public SegmentRequest build() {
            int starts = (configJson != null ? 1 : 0) + (resumeFrom != null ? 1 : 0)
                    + (resumeCheckpointId != null ? 1 : 0);
            if (starts != 1) {
                throw new IllegalArgumentException("Exactly one of fresh(...), resumeFrom(...) and "
                        + "resumeFromCheckpoint(...) must be set for trial " + trialId + ", got " + starts);
            }
            return new SegmentRequest(this);
        }
    }
}
