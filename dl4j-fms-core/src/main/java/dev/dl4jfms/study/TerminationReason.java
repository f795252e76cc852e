package dev.dl4jfms.study;

/** Why a trial stopped for good; {@link #describe(String)} gives the sentence recorded in the store. */
public enum TerminationReason {
    /** The trial was trained for B_max epochs. */
    REACHED_MAX_EPOCHS("reached the maximum number of epochs per trial"),
    /** Its loss or validation metric became NaN or infinite. */
    DIVERGED("diverged (NaN or infinite loss or metric)"),
    /** The optimizer's forecast upper bound at B_max fell below the incumbent. */
    DOMINATED("forecast upper bound at B_max is below the incumbent"),
    /** The study's epoch budget was spent while the trial was paused. */
    BUDGET_SPENT("the study's epoch budget was spent"),
    /** The training task threw. */
    FAILED("training failed");

    private final String text;

    TerminationReason(String text) {
        this.text = text;
    }

    /** Human-readable description without details. */
    public String text() {
        return text;
    }

    /** The reason as stored: {@code NAME: text (detail)}; parsed back by {@link #parse}. */
    public String describe(String detail) {
        return name() + ": " + text + (detail == null || detail.isBlank() ? "" : " (" + detail + ")");
    }

    /** The reason a {@link #describe}d string starts with, or null when it carries none. */
    public static TerminationReason parse(String described) {
        if (described == null) {
            return null;
        }
        int colon = described.indexOf(':');
        String head = colon < 0 ? described : described.substring(0, colon);
        for (TerminationReason r : values()) {
            if (r.name().equals(head.trim())) {
                return r;
            }
        }
        return null;
    }
}
