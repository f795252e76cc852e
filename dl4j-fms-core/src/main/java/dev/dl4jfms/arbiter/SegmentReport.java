package dev.dl4jfms.arbiter;

import dev.dl4jfms.study.EpochResult;
import dev.dl4jfms.study.Segment;
import dev.dl4jfms.study.SegmentResult;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training task sends back to {@link FmsCandidateGenerator} in
 * {@code OptimizationResult.getModelSpecificResults()}: the learning curve of the segment, how it ended and why.
 * Tasks return it for every outcome (as status {@code Complete} or {@code Cancelled}) because Arbiter never
 * reports {@code Failed} results to the generator.
 *
 * @param ticket  the segment that was trained
 * @param status  how it ended
 * @param message reason or error (null when completed)
 * @param epochs  the epochs trained, in order, numbered from {@code ticket.fromEpoch() + 1}
 */
public record SegmentReport(SegmentTicket ticket, Status status, String message, List<EpochPoint> epochs)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How a segment ended. */
    public enum Status {
        /** Every granted epoch was trained. */
        COMPLETED,
        /** Stopped early on the optimizer's request; the trial may be paused or terminated by the study. */
        STOPPED,
        /** Loss or metric became NaN/infinite. */
        DIVERGED,
        /** Training threw; the message says what happened. */
        FAILED
    }

    public SegmentReport {
        if (ticket == null || status == null) {
            throw new IllegalArgumentException("ticket and status are required");
        }
        epochs = epochs == null ? List.of() : new ArrayList<>(epochs); // ArrayList: serializable, no nulls issue
    }

    /** A report for a task that failed before training anything. */
    public static SegmentReport failed(SegmentTicket ticket, String message) {
        return new SegmentReport(ticket, Status.FAILED, message, List.of());
    }

    /** The validation value of the last epoch, or null when no epoch was trained. */
    public Double lastValidation() {
        return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1).validation();
    }

    /** The result to tell the study. */
    public SegmentResult toSegmentResult() {
        List<EpochResult> results = new ArrayList<>();
        for (EpochPoint p : epochs) {
            results.add(new EpochResult(p.epoch(), p.validation(), null, p.trainLoss(), p.checkpointId(), null,
                    p.extraMetrics()));
        }
        return switch (status) {
            case COMPLETED, STOPPED -> new SegmentResult(ticket.segmentId(), SegmentResult.Status.OK, message,
                    results);
            case DIVERGED -> new SegmentResult(ticket.segmentId(), SegmentResult.Status.DIVERGED, message, results);
            case FAILED -> new SegmentResult(ticket.segmentId(), SegmentResult.Status.FAILED, message, results);
        };
    }

    /** Checks that this report answers {@code segment}. */
    boolean answers(Segment segment) {
        return ticket.segmentId() == segment.segmentId() && ticket.trialId() == segment.trialId();
    }

    /**
     * One point of the learning curve.
     *
     * @param epoch        1-based epoch number
     * @param validation   the study's validation metric
     * @param trainLoss    mean training loss, or null
     * @param checkpointId the stored checkpoint of this epoch, or null
     * @param extraMetrics other values (validation loss, seconds, ...)
     */
    public record EpochPoint(int epoch, double validation, Double trainLoss, Long checkpointId,
                             Map<String, Double> extraMetrics) implements Serializable {
        private static final long serialVersionUID = 1L;

        public EpochPoint {
            extraMetrics = extraMetrics == null ? new HashMap<>() : new HashMap<>(extraMetrics);
        }
    }
}
