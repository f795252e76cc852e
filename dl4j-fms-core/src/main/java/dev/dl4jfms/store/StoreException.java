package dev.dl4jfms.store;

/** A store could not do what was asked; the message names the file and the problem. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
