package dev.dl4jfms.listeners;

/**
 * A checkpoint could not be captured or written. Raised on the training thread (at the next capture point or at
 * {@link CheckpointCaptureListener#close()}) for failures of the background writer; the message names the trial
 * and the epoch/iteration of the checkpoint that failed, the cause is the store's exception.
 */
public class CheckpointCaptureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CheckpointCaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
