package dev.dl4jfms.store;

/** Lifecycle of a trial as seen by the optimizer. */
public enum TrialStatus {
    /** Created, never trained. */
    PENDING,
    /** A segment is training now. */
    RUNNING,
    /** Trained some epochs, may be resumed. */
    PAUSED,
    /** Reached its maximum number of epochs. */
    FINISHED,
    /** Stopped by the optimizer (forecast dominated, budget spent); the reason says why. */
    STOPPED,
    /** Loss or metric became NaN/Inf. */
    DIVERGED,
    /** Training threw. */
    FAILED,
    /** Imported from existing logs. */
    IMPORTED
}
