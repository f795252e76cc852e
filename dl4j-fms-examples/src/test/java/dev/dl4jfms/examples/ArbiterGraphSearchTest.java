package dev.dl4jfms.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dl4jfms.examples.report.StoreStudyReports;
import dev.dl4jfms.examples.report.StudyReport;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.store.StudyRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program of docs/arbiter.md runs as written (real Arbiter runner, real training on Fashion-MNIST, a graph
 * space), the document shows exactly this program, and the report of the API-driven study has what a CLI study's
 * has: configuration summaries and final forecasts.
 */
class ArbiterGraphSearchTest {

    @TempDir
    Path dir;

    private static Path repoFile(String relative) {
        Path d = Path.of("").toAbsolutePath();
        while (d != null && !Files.exists(d.resolve(relative))) {
            d = d.getParent();
        }
        assertTrue(d != null, relative + " not found");
        return d.resolve(relative);
    }

    @Test
    void theDocumentShowsTheProgramVerbatim() throws Exception {
        String source = Files.readString(repoFile(
                "dl4j-fms-examples/src/main/java/dev/dl4jfms/examples/ArbiterGraphSearch.java"), StandardCharsets.UTF_8);
        String doc = Files.readString(repoFile("docs/arbiter.md"), StandardCharsets.UTF_8);
        String marker = "<!-- dl4j-fms-examples/src/main/java/dev/dl4jfms/examples/ArbiterGraphSearch.java -->\n```java\n";
        int at = doc.indexOf(marker);
        assertTrue(at >= 0, "docs/arbiter.md must show the program after the marker");
        int end = doc.indexOf("```\n", at + marker.length());
        assertEquals(source, doc.substring(at + marker.length(), end), "docs/arbiter.md drifted from the program");
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void theProgramRunsAndItsStudyReportsConfigurationsAndForecasts() throws Exception {
        Path fashion = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.exists(fashion.resolve("train-images-idx3-ubyte.gz")), "dataset-fashion-mnist not installed");
        Path store = dir.resolve("fms.db");
        ArbiterGraphSearch.main(new String[] {fashion.toString(), store.toString(), "400", "8"});
        try (SqliteCheckpointStore s = SqliteCheckpointStore.open(store)) {
            StudyRecord study = s.studyByName("graph-mlp").orElseThrow();
            StudyReport report = StoreStudyReports.load(s, study, null);
            assertEquals(8, report.incumbentEpochs().length, "8 epochs trained");
            assertFalse(report.trials().isEmpty());
            assertTrue(report.trials().stream().allMatch(t -> t.config().contains("dense")),
                    "graph configurations are summarised: " + report.trials());
            assertTrue(s.events(study.id()).stream().anyMatch(e -> e.kind().equals("report_forecasts")),
                    "the generator journals the final forecasts of an API-driven study");
        }
    }
}
