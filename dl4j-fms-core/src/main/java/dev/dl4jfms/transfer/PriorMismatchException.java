package dev.dl4jfms.transfer;

/** A prior that was made for another forecaster kind, metric or direction than the study's; the message says which. */
public class PriorMismatchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public PriorMismatchException(String message) {
        super(message);
    }
}
