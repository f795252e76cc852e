package dev.dl4jfms.listeners.segment;

import dev.dl4jfms.listeners.CheckpointCaptureListener;
import dev.dl4jfms.listeners.ValidationMetric;
import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.study.EpochResult;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports every epoch of a DL4J {@code fit} to a {@link TrainingController}: validation value, mean training
 * loss and, with a store, the checkpoint written by an inner {@link CheckpointCaptureListener}. Never throws into
 * DL4J's training loop: a problem becomes a failure (or divergence) report to the controller, and the loop learns
 * of it through {@link TrainingController#shouldStop()}. Create it with
 * {@link TrainingController#listener(DataSetIterator, ValidationMetric, CheckpointStore)}.
 */
final class EarlyTerminationListener extends BaseTrainingListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EarlyTerminationListener.class);

    private final TrainingController controller;
    private final DataSetIterator validation;
    private final ValidationMetric metric;
    private final CheckpointStore store;
    private CheckpointCaptureListener capture;
    private double scoreSum;
    private long scoreCount;

    EarlyTerminationListener(TrainingController controller, DataSetIterator validation, ValidationMetric metric,
                             CheckpointStore store) {
        if (validation == null || metric == null) {
            throw new IllegalArgumentException("validation data and metric are required");
        }
        this.controller = controller;
        this.validation = validation;
        this.metric = metric;
        this.store = store;
        if (store != null) {
            capture = CheckpointCaptureListener.builder(store, controller.trialId())
                    .validation(validation, metric, ValidationMetric.LOSS).build();
        }
    }

    @Override
    public void onEpochStart(Model model) {
        scoreSum = 0;
        scoreCount = 0;
        if (capture != null && !controller.shouldStop()) {
            capture.onEpochStart(model);
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        scoreSum += model.score();
        scoreCount++;
        if (capture != null && !controller.shouldStop()) {
            capture.iterationDone(model, iteration, epoch);
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        if (controller.shouldStop()) {
            return; // the loop ignored the signal; nothing more is reported
        }
        TrainableModel m = TrainableModel.of(model);
        int epoch = m.epochCount() + 1; // DL4J increments the counter after onEpochEnd
        double trainLoss = scoreCount == 0 ? Double.NaN : scoreSum / scoreCount;
        try {
            EpochResult result;
            if (capture != null) {
                capture.onEpochEnd(model);
                capture.flush();
                CheckpointRecord rec = store.latestCheckpoint(controller.trialId()).orElseThrow();
                if (rec.epoch() != epoch) {
                    throw new IllegalStateException("latest checkpoint of trial " + controller.trialId()
                            + " is for epoch " + rec.epoch() + ", expected " + epoch);
                }
                result = new EpochResult(epoch, rec.metric(metric.key()), null, trainLoss, rec.id(), null,
                        Map.of(ValidationMetric.LOSS.key(), rec.metric(ValidationMetric.LOSS.key())));
            } else {
                double loss = m.meanLoss(validation);
                double value = metric == ValidationMetric.LOSS || !Double.isFinite(loss) ? loss
                        : m.classificationMetric(validation, metric);
                result = new EpochResult(epoch, value, null, trainLoss, null, null,
                        Map.of(ValidationMetric.LOSS.key(), loss));
            }
            controller.reportEpoch(result);
        } catch (RuntimeException e) {
            if (!Double.isFinite(trainLoss)) {
                // DL4J's evaluation refuses NaN predictions: this is divergence, reported as such.
                try {
                    controller.reportEpoch(EpochResult.of(epoch, Double.NaN, trainLoss));
                } catch (RuntimeException again) {
                    controller.fail("diverged at epoch " + epoch + " and could not be reported: " + again);
                }
            } else {
                log.warn("epoch {} of trial {} could not be reported: {}", epoch, controller.trialId(), e.toString());
                controller.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        if (controller.shouldStop()) {
            close();
        }
    }

    /** Waits for pending checkpoint writes and stops the writer thread. Idempotent; never throws. */
    @Override
    public void close() {
        if (capture != null) {
            try {
                capture.close();
            } catch (RuntimeException e) {
                log.warn("closing the checkpoint capture of trial {} failed: {}", controller.trialId(), e.toString());
            }
        }
    }
}
