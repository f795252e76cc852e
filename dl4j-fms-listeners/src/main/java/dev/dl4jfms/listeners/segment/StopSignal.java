package dev.dl4jfms.listeners.segment;

import dev.dl4jfms.study.TerminationReason;

/**
 * Why a {@link TrainingController} told a training loop to stop.
 *
 * @param kind        the kind of stop
 * @param reason      a human-readable sentence (for a terminated trial: the reason recorded in the store)
 * @param termination the study's termination reason when {@code kind} is {@link Kind#TERMINATED}, else null
 */
public record StopSignal(Kind kind, String reason, TerminationReason termination) {

    /** Kinds of stop. */
    public enum Kind {
        /**
         * The trial is over for good: reached B_max, diverged, dominated by the incumbent's forecast, or stopped
         * when the budget was spent. {@link StopSignal#termination()} says which.
         */
        TERMINATED,
        /** The trial is paused: the optimizer wants other work first; it may resume this trial later. */
        PAUSED,
        /** The study has nothing more to do (budget spent or every trial finished). */
        STUDY_FINISHED,
        /** The training loop reported a failure. */
        FAILED
    }

    public StopSignal {
        if (kind == null || reason == null) {
            throw new IllegalArgumentException("kind and reason are required");
        }
    }

    @Override
    public String toString() {
        return kind + ": " + reason;
    }
}
