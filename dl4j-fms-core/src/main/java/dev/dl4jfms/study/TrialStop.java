package dev.dl4jfms.study;

import dev.dl4jfms.store.TrialStatus;

/**
 * A trial that ended for good: told to every {@link TrialStopListener} of its {@link Study} at the moment the study
 * records it.
 *
 * @param trialId        the store's trial id (an in-memory study's local id)
 * @param poolIndex      the configuration's index in the pool
 * @param status         FINISHED, STOPPED, DIVERGED or FAILED
 * @param reason         why ({@link TerminationReason#REACHED_MAX_EPOCHS} for a trial that finished normally)
 * @param message        the sentence recorded in the store ({@link TerminationReason#describe}), never null
 * @param epochsTrained  epochs the trial had when it ended
 */
public record TrialStop(long trialId, int poolIndex, TrialStatus status, TerminationReason reason, String message,
                        int epochsTrained) {

    public TrialStop {
        if (status == null || reason == null || message == null) {
            throw new IllegalArgumentException("status, reason and message are required");
        }
    }

    /** True for every end except a trial that simply reached B_max: the executor should report it as cut short. */
    public boolean cutShort() {
        return reason != TerminationReason.REACHED_MAX_EPOCHS;
    }
}
