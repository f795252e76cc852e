package dev.dl4jfms.arbiter;

/**
 * Hears of every trial of an {@link FmsCandidateGenerator}'s study that ends for good
 * ({@link FmsCandidateGenerator#addStopListener}). The FMS task creator registers one that forwards stops decided
 * after a trial's segment ended to Arbiter's status listeners. Called synchronously on the thread that made the
 * study record the stop (the runner's control thread, or a training task telling its result) while the generator's
 * lock is held: keep it short. Exceptions are logged and ignored.
 */
@FunctionalInterface
public interface ArbiterStopListener {

    void trialStopped(ArbiterTrialStop stop);
}
