package dev.dl4jfms.cli;

/** A user error (bad argument, missing file): printed as one line on stderr, exit code {@link FmsCli#EXIT_USAGE}. */
public class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }
}
