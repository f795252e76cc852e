package dev.dl4jfms.listeners.segment;

/** The validation value a segment reports as its learning-curve point. */
public enum ValidationMetric {
    /** Classification accuracy on the validation data (higher is better). */
    ACCURACY("val_accuracy", true),
    /** Mean loss (score) on the validation data, regularisation included (lower is better). */
    LOSS("val_loss", false);

    private final String key;
    private final boolean higherIsBetter;

    ValidationMetric(String key, boolean higherIsBetter) {
        this.key = key;
        this.higherIsBetter = higherIsBetter;
    }

    /** The name under which the value is stored with each checkpoint. */
    public String key() {
        return key;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }
}
