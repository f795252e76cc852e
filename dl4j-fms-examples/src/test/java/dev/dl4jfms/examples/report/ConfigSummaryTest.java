package dev.dl4jfms.examples.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.store.TrialStatus;
import dev.dl4jfms.study.TerminationReason;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;

/** Reports of API-made studies: graph configurations are summarised, and each stop reason is said once. */
class ConfigSummaryTest {

    @Test
    void graphConfigurationsStoredWithATrialAreSummarisedLikeMultiLayerOnes() {
        ComputationGraphConfiguration graph = new NeuralNetConfiguration.Builder().updater(new Adam(0.002))
                .l2(1e-4).graphBuilder().addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build(), "in")
                .addLayer("out", new OutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out").setInputTypes(InputType.feedForward(8)).build();
        String stored = "{\"poolIndex\":0,\"value\":" + graph.toJson() + "}";
        String summary = ConfigSummary.describe(stored);
        assertEquals("Adam lr=0.00200, l2=0.000100 | dense 16 relu | out 3 softmax", summary);
        assertEquals("", ConfigSummary.describe("{\"poolIndex\":0}"));
    }

    @Test
    void aRecordedTerminationReasonIsShownOnceAndOtherReasonsAfterTheStatus() {
        String dominated = TerminationReason.DOMINATED.describe("mu 0.5 + 2 * sigma 0.1 = 0.7 < incumbent 0.8");
        ReportTrial stopped = new ReportTrial(1, "t", TrialStatus.STOPPED, dominated, "", new int[] {1},
                new double[] {0.4}, Double.NaN, Double.NaN);
        assertEquals(dominated, StudyReportWriter.reasonLine(stopped));
        assertEquals(1, StudyReportWriter.reasonLine(stopped).split("forecast upper bound", -1).length - 1);
        assertTrue(!StudyReportWriter.reasonLine(stopped).contains("stopped early"), "no repeated prefix");
        ReportTrial diverged = new ReportTrial(2, "d", TrialStatus.DIVERGED, "NaN loss at epoch 2", "",
                new int[] {1}, new double[] {0.1}, Double.NaN, Double.NaN);
        assertTrue(StudyReportWriter.reasonLine(diverged).endsWith(": NaN loss at epoch 2"),
                StudyReportWriter.reasonLine(diverged));
    }
}
