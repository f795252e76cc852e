package dev.dl4jfms.arbiter;

import dev.dl4jfms.study.Segment;
import java.io.Serializable;

/**
 * The part of a study {@link Segment} that travels with an Arbiter candidate to the training task. Candidate
 * values are Java-serialized and deserialized anew on every {@code Candidate.getValue()} call, so the task and the
 * generator share nothing but these ids: the task resumes from the store's checkpoint and reports back by segment
 * id.
 *
 * @param studyName              the study that granted the segment
 * @param segmentId              the study's segment id (answered through {@link SegmentReport})
 * @param trialId                the store trial to train and checkpoint
 * @param poolIndex              the configuration's index in the study's pool
 * @param fromEpoch              epochs the trial has completed (0 for a new trial)
 * @param toEpoch                epoch count to reach
 * @param resumeCheckpointId     the trial's checkpoint at {@code fromEpoch}, or null
 * @param pretrainedCheckpointId a checkpoint to fine-tune from when the trial starts, or null
 */
public record SegmentTicket(String studyName, long segmentId, long trialId, int poolIndex, int fromEpoch,
                            int toEpoch, Long resumeCheckpointId, Long pretrainedCheckpointId)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public SegmentTicket {
        if (fromEpoch < 0 || toEpoch <= fromEpoch) {
            throw new IllegalArgumentException("a segment trains at least one epoch: from " + fromEpoch + " to "
                    + toEpoch);
        }
    }

    /** The ticket of {@code segment} granted by study {@code studyName}. */
    public static SegmentTicket of(String studyName, Segment segment) {
        return new SegmentTicket(studyName, segment.segmentId(), segment.trialId(), segment.poolIndex(),
                segment.fromEpoch(), segment.toEpoch(), segment.resumeCheckpointId(),
                segment.pretrainedCheckpointId());
    }

    /** Number of epochs granted. */
    public int epochs() {
        return toEpoch - fromEpoch;
    }
}
