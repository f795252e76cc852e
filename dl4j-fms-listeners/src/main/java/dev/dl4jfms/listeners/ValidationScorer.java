package dev.dl4jfms.listeners;

import org.deeplearning4j.nn.api.Model;

import java.util.Map;

/**
 * A user-supplied evaluation run on the training thread at every epoch-end capture, e.g. a custom validation
 * metric. It must not keep references to the model or its arrays. Returned values (NaN and infinities allowed)
 * are stored as the checkpoint's metrics under the returned names.
 */
@FunctionalInterface
public interface ValidationScorer {
    /**
     * @param model the network ({@code MultiLayerNetwork} or {@code ComputationGraph}) at the end of an epoch
     * @return named metric values; never null
     */
    Map<String, Double> score(Model model);
}
