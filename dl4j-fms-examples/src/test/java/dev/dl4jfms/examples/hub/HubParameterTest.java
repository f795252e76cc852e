package dev.dl4jfms.examples.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hub definition parsing and unit-cube decoding against hand-computed values. */
class HubParameterTest {

    @TempDir
    Path dir;

    @Test
    void logRangeInterpolatesGeometrically() {
        HubParameter lr = new HubParameter("lr", 1e-4, 1e-2, true, false, List.of());
        assertEquals(1e-4, (double) lr.value(0.0), 1e-15);
        assertEquals(1e-3, (double) lr.value(0.5), 1e-12); // geometric midpoint of 1e-4 and 1e-2
        assertEquals(1e-2, (double) lr.value(1.0), 1e-12);
    }

    @Test
    void integerRangeRoundsAndCategoriesUseEqualBins() {
        HubParameter w = new HubParameter("w", 8, 64, false, true, List.of());
        assertEquals(36, w.value(0.5)); // 8 + 0.5 * 56 = 36
        HubParameter act = new HubParameter("a", Double.NaN, Double.NaN, false, false, List.of("relu", "tanh", "elu"));
        assertEquals("relu", act.value(0.0));
        assertEquals("relu", act.value(0.333));
        assertEquals("tanh", act.value(0.334));
        assertEquals("elu", act.value(1.0));
        assertEquals(0.5, act.unitOfCategory("tanh"), 1e-12);
    }

    @Test
    void inactiveWidthsAreZeroed() {
        List<HubParameter> ps = List.of(
                new HubParameter("hidden_layers", Double.NaN, Double.NaN, false, false, List.of(1, 2)),
                new HubParameter("width1", 8, 64, false, true, List.of()),
                new HubParameter("width2", 8, 64, false, true, List.of()));
        HubConfig one = HubConfig.decode(0, new double[]{0.2, 0.5, 0.7}, ps);
        assertEquals(1, one.values().get("hidden_layers"));
        assertEquals(0, one.values().get("width2"));
        assertEquals(0.0, one.unitVector()[2]);
        HubConfig two = HubConfig.decode(1, new double[]{0.9, 0.5, 0.5}, ps);
        assertEquals(36, two.values().get("width2"));
        assertEquals(0.5, two.unitVector()[2]);
    }

    @Test
    void poolIsReproducibleFromTheSeed() throws Exception {
        Path f = dir.resolve("h.yaml");
        Files.writeString(f, """
                name: t
                poolSize: 5
                seed: 4
                data: {train: 10, validation: 10, test: 10}
                space:
                  lr: {min: 1.0e-3, max: 1.0e-1, log: true}
                  act: [relu, tanh]
                """);
        HubDefinition d = HubDefinition.load(f);
        List<HubConfig> a = HubConfig.drawPool(d);
        List<HubConfig> b = HubConfig.drawPool(d);
        assertEquals(5, a.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(a.get(i).values(), b.get(i).values());
        }
        HubDefinition other = d.withOverrides(null, null, 5L, null, null, null, null, null);
        assertTrue(!HubConfig.drawPool(other).get(0).values().equals(a.get(0).values()));
    }

    @Test
    void badDefinitionsNameTheFileAndProblem() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "name: t\ndata: {train: 10, validation: 10, test: 10}\nspace:\n  lr: {min: 0, max: 1, log: true}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HubDefinition.load(f));
        assertTrue(e.getMessage().contains("bad.yaml") && e.getMessage().contains("min > 0"), e.getMessage());
        Files.writeString(f, "name: t\ndata: {train: 10, validation: 10, test: 10}\nspace:\n  lr: 0.1\n");
        e = assertThrows(IllegalArgumentException.class, () -> HubDefinition.load(f));
        assertTrue(e.getMessage().contains("one-element list"), e.getMessage());
        Files.writeString(f, "name: t\ncolor: red\ndata: {train: 10, validation: 10, test: 10}\nspace: {a: [1]}\n");
        e = assertThrows(IllegalArgumentException.class, () -> HubDefinition.load(f));
        assertTrue(e.getMessage().contains("unknown field 'color'"), e.getMessage());
    }
}
