package dev.dl4jfms.arbiter;

import dev.dl4jfms.study.TrialStop;

/**
 * A trial of an {@link FmsCandidateGenerator}'s study that ended for good, with the Arbiter candidate that last
 * trained it.
 *
 * @param stop           what the study recorded (status, reason, message, epochs)
 * @param candidateIndex the index of the Arbiter candidate (segment) that last trained the trial, or -1 when this
 *                       generator never handed one out for it (e.g. a trial of a resumed study that was paused before
 *                       the restart)
 * @param reportedByTask true when the stop was decided while the task of that candidate told its result (the task
 *                       then returned {@code Cancelled} with the reason itself); false when it was decided later,
 *                       while the trial was paused (dominated by a newer incumbent, budget spent), so that only the
 *                       listeners hear of it
 */
public record ArbiterTrialStop(TrialStop stop, int candidateIndex, boolean reportedByTask) {

    public ArbiterTrialStop {
        if (stop == null) {
            throw new IllegalArgumentException("stop must not be null");
        }
    }
}
