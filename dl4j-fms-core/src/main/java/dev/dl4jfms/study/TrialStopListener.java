package dev.dl4jfms.study;

/**
 * Hears of every trial of a {@link Study} that ends for good ({@link Study#addStopListener}). Called synchronously
 * on the thread that made the study record the stop (the one calling {@code ask}, {@code tell} or
 * {@code isFinished}) while the study's lock is held: keep it short, and do not block on other threads that use the
 * study. An exception thrown by a listener is logged and does not affect the study.
 */
@FunctionalInterface
public interface TrialStopListener {

    /** {@code stop} was just recorded (and, with a store, journaled). */
    void trialStopped(TrialStop stop);
}
