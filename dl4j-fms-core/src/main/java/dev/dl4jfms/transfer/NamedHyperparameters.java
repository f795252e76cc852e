package dev.dl4jfms.transfer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * The hyperparameters of a DL4J network configuration by name, in the vocabulary of the hub definitions
 * (docs/hubs.md), so that a prior meta-trained on hubs can read the configurations of a live Arbiter search
 * ({@link HyperparameterEncoding} matches by name): {@code hidden_layers} and {@code width1..N} (dense layers before
 * the output layer), {@code conv_layers} and {@code filters1..N} (convolution layers), {@code activation} (of the
 * first hidden layer, as DL4J's {@link Activation} name in lower case), {@code updater} (adam, nesterovs, rmsprop,
 * sgd, ...: the updater class in lower case), {@code learning_rate} (at iteration 0), {@code momentum} (Nesterov),
 * {@code l2} and {@code dropout} (the drop probability; DL4J stores the keep probability).
 */
public final class NamedHyperparameters {

    private NamedHyperparameters() {
    }

    /** The named hyperparameters of {@code conf}. */
    public static Map<String, String> of(MultiLayerConfiguration conf) {
        Map<String, String> out = new LinkedHashMap<>();
        List<org.deeplearning4j.nn.conf.NeuralNetConfiguration> layers = conf.getConfs();
        int dense = 0;
        int conv = 0;
        BaseLayer first = null;
        for (int i = 0; i < layers.size() - 1; i++) { // the last layer is the output layer
            Layer l = layers.get(i).getLayer();
            if (l instanceof ConvolutionLayer c) {
                conv++;
                out.put("filters" + conv, Long.toString(c.getNOut()));
            } else if (l instanceof DenseLayer d) {
                dense++;
                out.put("width" + dense, Long.toString(d.getNOut()));
            }
            if (first == null && l instanceof BaseLayer b) {
                first = b;
            }
        }
        out.put("hidden_layers", Integer.toString(dense));
        if (conv > 0) {
            out.put("conv_layers", Integer.toString(conv));
        }
        if (first == null && !layers.isEmpty() && layers.get(0).getLayer() instanceof BaseLayer b) {
            first = b; // a network with only an output layer
        }
        if (first != null) {
            String activation = activationName(first.getActivationFn());
            if (activation != null) {
                out.put("activation", activation);
            }
            IUpdater u = first.getIUpdater();
            if (u != null) {
                out.put("updater", u.getClass().getSimpleName().toLowerCase(Locale.ROOT));
                if (u.hasLearningRate()) {
                    out.put("learning_rate", Double.toString(u.getLearningRate(0, 0)));
                }
                if (u instanceof Nesterovs n) {
                    out.put("momentum", Double.toString(n.getMomentum()));
                }
            }
            double l2 = 0;
            if (first.getRegularization() != null) {
                for (Regularization r : first.getRegularization()) {
                    if (r instanceof L2Regularization l) {
                        l2 += l.getL2().valueAt(0, 0);
                    }
                }
            }
            out.put("l2", Double.toString(l2));
            IDropout d = first.getIDropout();
            out.put("dropout", Double.toString(d instanceof Dropout dr ? 1.0 - dr.getP() : 0.0));
        }
        return out;
    }

    /** DL4J's enum name of an activation function in lower case (e.g. relu, leakyrelu), or null if none matches. */
    static String activationName(IActivation fn) {
        if (fn == null) {
            return null;
        }
        for (Activation a : Activation.values()) {
            try {
                if (a.getActivationFunction().getClass() == fn.getClass()) {
                    return a.name().toLowerCase(Locale.ROOT);
                }
            } catch (RuntimeException e) {
                // an enum constant without an implementation here
            }
        }
        return null;
    }
}
