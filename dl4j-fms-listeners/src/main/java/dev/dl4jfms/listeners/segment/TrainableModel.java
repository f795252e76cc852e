package dev.dl4jfms.listeners.segment;

import dev.dl4jfms.listeners.ValidationMetric;
import dev.dl4jfms.store.ModelSnapshot;
import java.util.Collection;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * One view over {@link MultiLayerNetwork} and {@link ComputationGraph} for the few operations a segment needs.
 */
final class TrainableModel {

    private final MultiLayerNetwork net;
    private final ComputationGraph graph;

    private TrainableModel(MultiLayerNetwork net, ComputationGraph graph) {
        this.net = net;
        this.graph = graph;
    }

    static TrainableModel of(Model model) {
        if (model instanceof MultiLayerNetwork n) {
            return new TrainableModel(n, null);
        }
        if (model instanceof ComputationGraph g) {
            return new TrainableModel(null, g);
        }
        throw new IllegalArgumentException("Unsupported model type: "
                + (model == null ? "null" : model.getClass().getName()));
    }

    /** A new, initialised network from a configuration JSON. */
    static TrainableModel fresh(ModelSnapshot.ModelType type, String configJson) {
        if (type == ModelSnapshot.ModelType.MULTI_LAYER_NETWORK) {
            MultiLayerNetwork n = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configJson));
            n.init();
            return new TrainableModel(n, null);
        }
        ComputationGraph g = new ComputationGraph(ComputationGraphConfiguration.fromJson(configJson));
        g.init();
        return new TrainableModel(null, g);
    }

    /**
     * Rebuilds a network from a snapshot: parameters, updater state (when saved), epoch and iteration counts.
     * The snapshot's arrays are copied, never shared.
     */
    static TrainableModel restore(ModelSnapshot s) {
        TrainableModel m;
        if (s.modelType() == ModelSnapshot.ModelType.MULTI_LAYER_NETWORK) {
            MultiLayerNetwork n = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(s.configJson()));
            n.init(s.params().dup().reshape(1, s.params().length()), false);
            m = new TrainableModel(n, null);
        } else {
            ComputationGraph g = new ComputationGraph(ComputationGraphConfiguration.fromJson(s.configJson()));
            g.init(s.params().dup().reshape(1, s.params().length()), false);
            m = new TrainableModel(null, g);
        }
        if (s.updaterState() != null && s.updaterState().length() > 0) {
            Updater updater = m.net != null ? m.net.getUpdater(true) : m.graph.getUpdater(true);
            INDArray view = updater.getStateViewArray();
            if (view == null || view.length() != s.updaterState().length()) {
                throw new IllegalArgumentException("Snapshot updater state has " + s.updaterState().length()
                        + " values but the network's updater needs " + (view == null ? 0 : view.length()));
            }
            view.assign(s.updaterState().reshape(view.shape()).castTo(view.dataType()));
        }
        m.setCounts(s.epochCount(), s.iterationCount());
        return m;
    }

    Model model() {
        return net != null ? net : graph;
    }

    ModelSnapshot.ModelType type() {
        return net != null ? ModelSnapshot.ModelType.MULTI_LAYER_NETWORK : ModelSnapshot.ModelType.COMPUTATION_GRAPH;
    }

    String configJson() {
        return net != null ? net.getLayerWiseConfigurations().toJson() : graph.getConfiguration().toJson();
    }

    int epochCount() {
        return net != null ? net.getEpochCount() : graph.getConfiguration().getEpochCount();
    }

    long iterationCount() {
        return net != null ? net.getIterationCount() : graph.getIterationCount();
    }

    private void setCounts(int epochs, long iterations) {
        if (net != null) {
            net.setEpochCount(epochs);
            net.setIterationCount(Math.toIntExact(iterations));
        } else {
            graph.getConfiguration().setEpochCount(epochs);
            graph.getConfiguration().setIterationCount(Math.toIntExact(iterations));
        }
    }

    void setListeners(Collection<TrainingListener> listeners) {
        if (net != null) {
            net.setListeners(listeners);
        } else {
            graph.setListeners(listeners);
        }
    }

    /** One pass over {@code data} ({@code fit(iterator)}: fires epoch start/end, increments the epoch count). */
    void fitOneEpoch(DataSetIterator data) {
        if (net != null) {
            net.fit(data);
        } else {
            graph.fit(data);
        }
    }

    double score() {
        return model().score();
    }

    /** Mean loss per example over {@code data} (regularisation included, as in training scores). */
    double meanLoss(DataSetIterator data) {
        data.reset();
        double sum = 0;
        long n = 0;
        while (data.hasNext()) {
            DataSet ds = data.next();
            double s = net != null ? net.score(ds, false) : graph.score(ds, false);
            sum += s * ds.numExamples();
            n += ds.numExamples();
        }
        data.reset();
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Accuracy or F1 of a classifier on {@code data}. */
    double classificationMetric(DataSetIterator data, ValidationMetric metric) {
        data.reset();
        Evaluation e = net != null ? net.evaluate(data) : graph.evaluate(data);
        data.reset();
        return switch (metric) {
            case ACCURACY -> e.accuracy();
            case F1 -> e.f1();
            case LOSS -> throw new IllegalArgumentException("loss is not a classification metric");
        };
    }

    void clear() {
        if (net != null) {
            net.clear();
        } else {
            graph.clear();
        }
    }
}
