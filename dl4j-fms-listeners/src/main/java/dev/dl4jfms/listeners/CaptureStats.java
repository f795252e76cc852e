package dev.dl4jfms.listeners;

/**
 * Counters of a {@link CheckpointCaptureListener}.
 *
 * @param submitted       checkpoints handed to the writer
 * @param written         checkpoints the store accepted
 * @param failed          checkpoints whose write failed
 * @param pending         checkpoints queued or being written now
 * @param maxInFlight     the most checkpoints queued or being written at once (at most queue capacity + 1)
 * @param blockedSeconds  total time the training thread waited for queue space
 * @param captureSeconds  total time the training thread spent in captures: copying, evaluating, queueing
 *                        (includes {@code blockedSeconds})
 */
public record CaptureStats(long submitted, long written, long failed, long pending, int maxInFlight,
                           double blockedSeconds, double captureSeconds) {

    /** The same counters with {@code captureSeconds} set. */
    CaptureStats withCaptureSeconds(double seconds) {
        return new CaptureStats(submitted, written, failed, pending, maxInFlight, blockedSeconds, seconds);
    }
}
