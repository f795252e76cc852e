package dev.dl4jfms.listeners.segment;

/** How a segment ended. */
public enum SegmentStatus {
    /** All granted epochs were trained. */
    COMPLETED,
    /** A stop signal ended the segment early after a completed epoch; the reason says why. */
    STOPPED,
    /** The training loss or validation loss became NaN or infinite; training stopped after that epoch. */
    DIVERGED,
    /** Training threw; the message says what went wrong. Epochs completed before are kept. */
    FAILED
}
