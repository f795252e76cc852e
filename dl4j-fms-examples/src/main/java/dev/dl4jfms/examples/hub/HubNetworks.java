package dev.dl4jfms.examples.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds the DL4J networks of a hub from configurations. Recognised parameters (others are recorded but unused):
 * {@code hidden_layers} (default 1), {@code width1..widthN} (default 32), {@code activation} (default relu),
 * {@code learning_rate} (default 1e-3), {@code l2} (default 0), {@code dropout} (drop probability, default 0),
 * {@code updater} (adam, nesterovs, rmsprop, sgd; default adam), {@code momentum} (for nesterovs, default 0.9),
 * {@code weight_decay} (fine-tuning; default 0). {@code batch_size} is read by the trainer.
 */
public final class HubNetworks {

    private HubNetworks() {
    }

    /** A freshly initialised MLP for configuration {@code c}. */
    public static MultiLayerNetwork build(HubConfig c, int numInputs, int numClasses, long seed) {
        int layers = (int) c.number("hidden_layers", 1);
        List<Integer> widths = new ArrayList<>();
        for (int k = 1; k <= layers; k++) {
            widths.add((int) c.number("width" + k, 32));
        }
        double lr = c.number("learning_rate", 1e-3);
        IUpdater updater = updater(c.text("updater", "adam"), lr, c.number("momentum", 0.9));
        return mlp(widths, activation(c.text("activation", "relu")), updater, c.number("l2", 0),
                c.number("dropout", 0), numInputs, numClasses, seed);
    }

    /** An MLP with the given hidden widths. {@code dropout} is the drop probability (DL4J takes the keep one). */
    public static MultiLayerNetwork mlp(List<Integer> widths, Activation activation, IUpdater updater, double l2,
                                        double dropout, int numInputs, int numClasses, long seed) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed).updater(updater).l2(l2).weightInit(WeightInit.XAVIER).list();
        int in = numInputs;
        for (int w : widths) {
            DenseLayer.Builder layer = new DenseLayer.Builder().nIn(in).nOut(w).activation(activation);
            if (dropout > 0) {
                layer.dropOut(1.0 - dropout);
            }
            b.layer(layer.build());
            in = w;
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(numClasses)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    /**
     * A fine-tuning copy of {@code pretrained}: new updater (Nesterov momentum with {@code learning_rate} and
     * {@code momentum}, or the configured {@code updater}), decoupled {@code weight_decay}, and a freshly
     * initialised output layer with {@code numClasses} outputs (seeded).
     */
    public static MultiLayerNetwork fineTune(MultiLayerNetwork pretrained, HubConfig c, int numClasses, long seed) {
        double lr = c.number("learning_rate", 1e-3);
        IUpdater updater = updater(c.text("updater", "nesterovs"), lr, c.number("momentum", 0.9));
        FineTuneConfiguration.Builder ft = new FineTuneConfiguration.Builder().updater(updater).seed(seed);
        double wd = c.number("weight_decay", 0);
        if (wd > 0) {
            ft.weightDecay(wd);
        }
        int outputIndex = pretrained.getnLayers() - 1;
        return new TransferLearning.Builder(pretrained).fineTuneConfiguration(ft.build())
                .nOutReplace(outputIndex, numClasses, WeightInit.XAVIER).build();
    }

    /** A DL4J updater by name. */
    public static IUpdater updater(String name, double lr, double momentum) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "adam" -> new Adam(lr);
            case "nesterovs", "momentum" -> new Nesterovs(lr, momentum);
            case "rmsprop" -> new RmsProp(lr);
            case "sgd" -> new Sgd(lr);
            default -> throw new IllegalArgumentException("unknown updater '" + name
                    + "' (allowed: adam, nesterovs, rmsprop, sgd)");
        };
    }

    /** A DL4J activation by name (case-insensitive, e.g. relu, tanh, leakyrelu, sigmoid, elu). */
    public static Activation activation(String name) {
        try {
            return Activation.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown activation '" + name + "' (e.g. relu, tanh, leakyrelu, "
                    + "sigmoid, elu)");
        }
    }
}
