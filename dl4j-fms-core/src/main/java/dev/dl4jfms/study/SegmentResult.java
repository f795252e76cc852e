package dev.dl4jfms.study;

import java.util.List;

/**
 * The outcome of a {@link Segment}: the epochs actually trained (possibly fewer than granted, e.g. when training
 * failed part-way) and a status.
 *
 * @param segmentId the {@link Segment#segmentId()} answered
 * @param status    {@link Status#OK}, {@link Status#DIVERGED} or {@link Status#FAILED}
 * @param message   why it diverged or failed (null when OK)
 * @param epochs    the completed epochs in order, starting at the segment's {@code fromEpoch + 1}
 */
public record SegmentResult(long segmentId, Status status, String message, List<EpochResult> epochs) {

    /** How the segment ended. A divergent epoch in an OK result is still treated as divergence. */
    public enum Status { OK, DIVERGED, FAILED }

    public SegmentResult {
        if (status == null) {
            throw new IllegalArgumentException("status is required");
        }
        epochs = epochs == null ? List.of() : List.copyOf(epochs);
    }

    public static SegmentResult ok(Segment segment, List<EpochResult> epochs) {
        return new SegmentResult(segment.segmentId(), Status.OK, null, epochs);
    }

    public static SegmentResult diverged(Segment segment, List<EpochResult> epochs, String message) {
        return new SegmentResult(segment.segmentId(), Status.DIVERGED, message, epochs);
    }

    public static SegmentResult failed(Segment segment, List<EpochResult> epochs, String message) {
        return new SegmentResult(segment.segmentId(), Status.FAILED, message, epochs);
    }
}
