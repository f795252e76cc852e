package dev.dl4jfms.listeners;

/**
 * Validation metrics the {@link CheckpointCaptureListener} computes with DL4J's evaluation classes on a
 * validation iterator. Each is stored under {@link #key()}.
 */
public enum ValidationMetric {
    /** Classification accuracy ({@code Evaluation.accuracy()}). */
    ACCURACY("val_accuracy"),
    /** Mean loss of the network's loss function (with regularisation), example-weighted over minibatches. */
    LOSS("val_loss"),
    /** Macro-averaged F1 ({@code Evaluation.f1()}). */
    F1("val_f1");

    private final String key;

    ValidationMetric(String key) {
        this.key = key;
    }

    /** The metric name used in the store. */
    public String key() {
        return key;
    }
}
