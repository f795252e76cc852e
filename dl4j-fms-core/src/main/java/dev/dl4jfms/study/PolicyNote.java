package dev.dl4jfms.study;

/**
 * Something a policy wants recorded in the study journal (and handed back on resume), e.g. that it fell back to
 * Hyperband because its forecaster was badly calibrated.
 *
 * @param kind    a short machine-readable tag ({@code fallback}, {@code calibration}, ...)
 * @param message a human-readable sentence
 */
public record PolicyNote(String kind, String message) {
    public PolicyNote {
        if (kind == null || kind.isBlank() || message == null) {
            throw new IllegalArgumentException("a policy note needs a kind and a message");
        }
    }
}
