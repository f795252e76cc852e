package dev.dl4jfms.gp;

/**
 * The GP could not be evaluated: the kernel matrix stayed non positive definite after all jitter retries, or a
 * loss / gradient became NaN or infinite. The forecaster catches it, restores its previous state and cold-starts.
 */
public class GpNumericalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GpNumericalException(String message) {
        super(message);
    }

    public GpNumericalException(String message, Throwable cause) {
        super(message, cause);
    }
}
