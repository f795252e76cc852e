package dev.dl4jfms.examples.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-line human-readable summary of a stored DL4J configuration for the report's trials table, e.g.
 * {@code "Adam lr=0.0031, l2=2.1e-05 | dense 120 relu (drop 0.71) | out 10 softmax"}. The full JSON stays in the
 * store ({@code fms store show}).
 */
public final class ConfigSummary {

    private static final Logger log = LoggerFactory.getLogger(ConfigSummary.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigSummary() {
    }

    /**
     * The summary of a {@code MultiLayerConfiguration} JSON, or of a trial's stored JSON that holds one under
     * {@code value} (as {@code CandidatePool.configJson} writes it); empty for null, blank or other JSON.
     */
    public static String describe(String configJson) {
        if (configJson == null || configJson.isBlank()
                || !(configJson.contains("confs") || configJson.contains("vertices"))) {
            return "";
        }
        try {
            JsonNode node = JSON.readTree(configJson);
            if (node.has("value") && (node.get("value").has("confs") || node.get("value").has("vertices"))) {
                node = node.get("value");
            }
            if (node.has("vertices")) {
                return describe(org.deeplearning4j.nn.conf.ComputationGraphConfiguration.fromJson(node.toString()));
            }
            return describe(MultiLayerConfiguration.fromJson(node.toString()));
        } catch (java.io.IOException e) {
            return "";
        } catch (RuntimeException e) {
            log.debug("not a MultiLayerConfiguration: {}", e.toString());
            return "";
        }
    }

    /** The summary of a configuration. */
    public static String describe(MultiLayerConfiguration conf) {
        return describe(conf.getConfs().stream().map(NeuralNetConfiguration::getLayer).toList());
    }

    /** The summary of a graph configuration: its layer vertices in the order they were added. */
    public static String describe(org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf) {
        List<Layer> layers = new ArrayList<>();
        for (org.deeplearning4j.nn.conf.graph.GraphVertex v : conf.getVertices().values()) {
            if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv && lv.getLayerConf() != null) {
                layers.add(lv.getLayerConf().getLayer());
            }
        }
        return describe(layers);
    }

    private static String describe(List<Layer> layers) {
        List<String> parts = new ArrayList<>();
        String head = null;
        for (Layer layer : layers) {
            if (head == null && layer instanceof BaseLayer base) {
                head = headOf(base);
            }
            parts.add(layerText(layer));
        }
        if (head != null) {
            parts.add(0, head);
        }
        return String.join(" | ", parts);
    }

    private static String headOf(BaseLayer base) {
        List<String> h = new ArrayList<>();
        IUpdater updater = base.getIUpdater();
        if (updater != null) {
            double lr = updater.hasLearningRate() ? updater.getLearningRate(0, 0) : Double.NaN;
            h.add(updater.getClass().getSimpleName() + (Double.isNaN(lr) ? "" : " lr=" + num(lr)));
        }
        if (base.getRegularization() != null) {
            for (Regularization r : base.getRegularization()) {
                if (r instanceof L2Regularization l2) {
                    h.add("l2=" + num(l2.getL2().valueAt(0, 0)));
                }
            }
        }
        return String.join(", ", h);
    }

    private static String layerText(Layer layer) {
        String act = layer instanceof BaseLayer b && b.getActivationFn() != null
                ? " " + b.getActivationFn().toString().toLowerCase(Locale.ROOT) : "";
        String drop = layer.getIDropout() instanceof Dropout d ? " (keep " + num(d.getP()) + ")" : "";
        if (layer instanceof ConvolutionLayer conv) {
            int[] k = conv.getKernelSize();
            return "conv " + k[0] + "x" + k[1] + "x" + conv.getNOut() + act + drop;
        }
        if (layer instanceof SubsamplingLayer pool) {
            return pool.getPoolingType().toString().toLowerCase(Locale.ROOT) + "pool";
        }
        if (layer instanceof OutputLayer out) {
            return "out " + out.getNOut() + act;
        }
        if (layer instanceof FeedForwardLayer ff) {
            return "dense " + ff.getNOut() + act + drop;
        }
        return layer.getClass().getSimpleName();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
