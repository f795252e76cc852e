package dev.dl4jfms.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StudySettingsTest {

    @Test
    void defaultsFollowTheSpec() {
        StudySettings s = StudySettings.builder().budgetEpochs(1000).maxEpochsPerTrial(50).build();
        assertEquals(1, s.stepEpochs());
        assertEquals(20, s.warmupConfigs());
        assertEquals(MetricDirection.MAXIMIZE, s.direction());
        assertEquals("val_accuracy", s.metricName());
    }

    @Test
    void jsonRoundTripKeepsEveryField() {
        StudySettings s = StudySettings.builder().budgetEpochs(300).maxEpochsPerTrial(27).stepEpochs(3)
                .warmupConfigs(7).seed(-99).metric("val_loss", MetricDirection.MINIMIZE).testMetricName("test_loss")
                .trainLossName("loss").kappa(1.5).poolSize(123).build();
        StudySettings back = StudySettings.fromJson(s.toJson());
        assertEquals(s, back);
        assertEquals(27, back.maxEpochsPerTrial());
        assertEquals(3, back.stepEpochs());
        assertEquals(7, back.warmupConfigs());
        assertEquals(-99, back.seed());
        assertEquals(MetricDirection.MINIMIZE, back.direction());
        assertEquals("test_loss", back.testMetricName());
        assertEquals("loss", back.trainLossName());
        assertEquals(1.5, back.kappa(), 0.0);
        assertEquals(123, back.poolSize());
    }

    @Test
    void invalidValuesAreNamedInTheError() {
        var b = StudySettings.builder().budgetEpochs(10).maxEpochsPerTrial(5);
        assertMessage(() -> StudySettings.builder().maxEpochsPerTrial(5).build(), "budgetEpochs");
        assertMessage(() -> StudySettings.builder().budgetEpochs(5).build(), "maxEpochsPerTrial");
        assertMessage(() -> b.stepEpochs(6).build(), "stepEpochs");
        assertMessage(() -> b.stepEpochs(1).warmupConfigs(0).build(), "warmupConfigs");
        assertMessage(() -> b.warmupConfigs(3).kappa(Double.NaN).build(), "kappa");
        assertMessage(() -> b.kappa(1).poolSize(0).build(), "poolSize");
        assertMessage(() -> b.poolSize(5).metric("train_loss", MetricDirection.MINIMIZE).build(), "must differ");
        assertMessage(() -> StudySettings.fromJson("{not json"), "not valid JSON");
        assertMessage(() -> StudySettings.fromJson("[1]"), "JSON object");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String part) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(part), ex.getMessage());
    }
}
