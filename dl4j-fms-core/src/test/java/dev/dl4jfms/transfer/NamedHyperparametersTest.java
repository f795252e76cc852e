package dev.dl4jfms.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class NamedHyperparametersTest {

    @Test
    void aDl4jConfigurationIsReadInTheHubVocabulary() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Nesterovs(0.01, 0.8))
                .l2(1e-4).list()
                .layer(new DenseLayer.Builder().nIn(196).nOut(32).activation(Activation.LEAKYRELU).dropOut(0.75)
                        .build())
                .layer(new DenseLayer.Builder().nIn(32).nOut(16).activation(Activation.LEAKYRELU).dropOut(0.75)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        Map<String, String> named = NamedHyperparameters.of(conf);
        assertEquals("2", named.get("hidden_layers"));
        assertEquals("32", named.get("width1"));
        assertEquals("16", named.get("width2"));
        assertEquals("leakyrelu", named.get("activation"));
        assertEquals("nesterovs", named.get("updater"));
        assertEquals(0.01, Double.parseDouble(named.get("learning_rate")), 1e-12);
        assertEquals(0.8, Double.parseDouble(named.get("momentum")), 1e-12);
        assertEquals(1e-4, Double.parseDouble(named.get("l2")), 1e-12);
        assertEquals(0.25, Double.parseDouble(named.get("dropout")), 1e-12);

        MultiLayerConfiguration plain = new NeuralNetConfiguration.Builder().updater(new Adam(3e-3)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().nIn(8).nOut(2).activation(Activation.SOFTMAX).build()).build();
        Map<String, String> p = NamedHyperparameters.of(plain);
        assertEquals("adam", p.get("updater"));
        assertEquals("tanh", p.get("activation"));
        assertEquals(0.0, Double.parseDouble(p.get("dropout")));
        assertEquals(0.0, Double.parseDouble(p.get("l2")));
        assertEquals(null, p.get("momentum"));
    }
}
