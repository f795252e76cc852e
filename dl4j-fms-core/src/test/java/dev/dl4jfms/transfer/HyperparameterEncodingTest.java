package dev.dl4jfms.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HyperparameterEncodingTest {

    private static final HyperparameterEncoding ENCODING = HyperparameterEncoding.fit(List.of(
            Map.of("learning_rate", "0.0001", "dropout", "0.0", "updater", "adam"),
            Map.of("learning_rate", "0.1", "dropout", "0.5", "updater", "sgd"),
            Map.of("learning_rate", "0.001", "updater", "adam")));

    @Test
    void numbersAreStandardisedOnTheirScaleCategoriesOneHotAndMissingNamesAreMarkedMissing() {
        // names in sorted order: dropout (2), learning_rate (2), updater (adam, sgd, present = 3)
        assertEquals(List.of("dropout", "learning_rate", "updater"), ENCODING.names());
        assertEquals(7, ENCODING.dimension());
        // learning rates span 1000x: log10 values -4, -1, -3 -> mean -8/3, std sqrt(((4/3)^2+(5/3)^2+(1/3)^2)/3)
        double mean = -8.0 / 3;
        double std = Math.sqrt((16.0 / 9 + 25.0 / 9 + 1.0 / 9) / 3);
        double[] e = ENCODING.encode(Map.of("learning_rate", "0.01", "updater", "sgd"));
        assertArrayEquals(new double[] {0, 0, (-2 - mean) / std, 1, 0, 1, 1}, e, 1e-12);
        // dropout spans 0..0.5 (a zero, so linear): mean 0.25, std 0.25
        double[] d = ENCODING.encode(Map.of("dropout", "0.25", "learning_rate", "0.001", "updater", "adam"));
        assertEquals(0.0, d[0], 1e-12);
        assertEquals(1.0, d[1]);
        // a missing name is (0, present 0), not a genuine value 0: dropout 0.0 is (-1, 1)
        double[] zero = ENCODING.encode(Map.of("dropout", "0.0"));
        assertEquals(-1.0, zero[0], 1e-12);
        assertEquals(1.0, zero[1]);
        assertEquals(0.0, zero[3], "learning rate missing");
        // a category the sources never saw: no one-hot entry, but present
        double[] unseen = ENCODING.encode(Map.of("updater", "rmsprop"));
        assertArrayEquals(new double[] {0, 0, 1}, new double[] {unseen[4], unseen[5], unseen[6]});
        assertEquals(Set.of("momentum"), ENCODING.unknownNames(Map.of("momentum", "0.9", "dropout", "0.1")));
    }

    @Test
    void jsonRoundTripKeepsTheEncodingAndANonNumberForANumericNameIsRefusedByName() {
        HyperparameterEncoding back = HyperparameterEncoding.fromJson(ENCODING.toJson());
        assertEquals(ENCODING, back);
        Map<String, String> c = Map.of("learning_rate", "0.003", "dropout", "0.2", "updater", "sgd");
        assertArrayEquals(ENCODING.encode(c), back.encode(c), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ENCODING.encode(Map.of("learning_rate", "fast")));
        assertTrue(e.getMessage().contains("learning_rate"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HyperparameterEncoding.fit(List.of(Map.of())));
    }
}
