package dev.dl4jfms.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubCsvTest {

    @Test
    void roundTripsQuotedParamsAndMissingValues(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hub.csv");
        try (HubCsvWriter w = new HubCsvWriter(file, List.of("layers", "lr"))) {
            w.write(new HubCsv.Row(7, List.of("[64, 32]", "0.001"), 1, 0.5, 0.49, 1.2, 3.25));
            w.write(new HubCsv.Row(7, List.of("[64, 32]", "0.001"), 2, 0.6, Double.NaN, 1.0, 3.5));
            w.write(new HubCsv.Row(3, List.of("say \"hi\"", "1e-5"), 1, Double.NaN, Double.NaN, Double.NaN, 0.1));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals("config_id,layers,lr,epoch,val_metric,test_metric,train_loss,seconds", lines.get(0));
        assertEquals("7,\"[64, 32]\",0.001,1,0.5,0.49,1.2,3.25", lines.get(1));
        assertEquals("7,\"[64, 32]\",0.001,2,0.6,,1.0,3.5", lines.get(2));
        assertEquals("3,\"say \"\"hi\"\"\",1e-5,1,,,,0.1", lines.get(3));

        HubTable t = HubCsv.read(file);
        assertEquals(List.of("layers", "lr"), t.paramNames());
        assertEquals(List.of(7L, 3L), t.configIds());
        assertEquals(2, t.maxEpochs());
        assertEquals("[64, 32]", t.rows(7).get(0).params().get(0));
        assertEquals("say \"hi\"", t.rows(3).get(0).params().get(0));
        assertTrue(Double.isNaN(t.rows(7).get(1).testMetric()));
        assertEquals(0.6, t.rows(7).get(1).valMetric());
        HubRange r = t.range(true);
        assertEquals(0.6, r.best());
        assertEquals(0.5, r.worst());
    }

    @Test
    void malformedFilesGiveErrorsNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "config_id,lr,epoch,val_metric,test_metric,train_loss\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HubCsv.read(bad));
        assertTrue(e.getMessage().contains("bad.csv:1") && e.getMessage().contains("header"), e.getMessage());

        Files.writeString(bad, "config_id,lr,epoch,val_metric,test_metric,train_loss,seconds\n0,0.1,1,abc,,,\n");
        e = assertThrows(IllegalArgumentException.class, () -> HubCsv.read(bad));
        assertTrue(e.getMessage().contains("bad.csv:2") && e.getMessage().contains("abc"), e.getMessage());

        Files.writeString(bad, "config_id,lr,epoch,val_metric,test_metric,train_loss,seconds\n0,0.1,1,0.5,,,\n0,0.1,3,0.5,,,\n");
        e = assertThrows(IllegalArgumentException.class, () -> HubCsv.read(bad));
        assertTrue(e.getMessage().contains("config 0") && e.getMessage().contains("epoch 3"), e.getMessage());

        Files.writeString(bad, "config_id,lr,epoch,val_metric,test_metric,train_loss,seconds\n0,0.1,1,0.5,,,\n0,0.2,2,0.5,,,\n");
        e = assertThrows(IllegalArgumentException.class, () -> HubCsv.read(bad));
        assertTrue(e.getMessage().contains("hyperparameters differ"), e.getMessage());

        Files.writeString(bad, "config_id,lr,epoch,val_metric,test_metric,train_loss,seconds\n0,1,0.5,,,\n");
        e = assertThrows(IllegalArgumentException.class, () -> HubCsv.read(bad));
        assertTrue(e.getMessage().contains("6 cells, header has 7"), e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> new HubCsvWriter(dir.resolve("x.csv"), List.of("epoch")));
        try (HubCsvWriter w = new HubCsvWriter(dir.resolve("y.csv"), List.of("lr"))) {
            assertThrows(IllegalArgumentException.class,
                    () -> w.write(new HubCsv.Row(0, List.of("0.1", "extra"), 1, 0.5, 0.5, 0.5, 0.5)));
        }
    }
}
