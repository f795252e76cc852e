package dev.dl4jfms.examples.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.arbiter.FmsCandidateGenerator;
import dev.dl4jfms.policy.FreezeThawPolicy;
import dev.dl4jfms.policy.PopulationTrendForecaster;
import dev.dl4jfms.store.SqliteCheckpointStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live progress line: in-place updates on a terminal, plain lines otherwise. */
class SearchProgressTest {

    @TempDir
    Path dir;

    private FmsCandidateGenerator generator(SqliteCheckpointStore store) {
        return FmsCandidateGenerator.builder(SearchSpaces.mlp(784, 10, 1)).store(store).studyName("p")
                .budgetEpochs(12).maxEpochsPerTrial(3).poolSize(5).seed(1).warmupConfigs(2)
                .policy(FreezeThawPolicy.builder(new PopulationTrendForecaster()).build()).build();
    }

    @Test
    void terminalRewritesOneLineAndLogsPrintWholeLines() throws Exception {
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(dir.resolve("s.db"))) {
            FmsCandidateGenerator g = generator(store);
            g.study();
            StringWriter tty = new StringWriter();
            SearchProgress onTerminal = SearchProgress.start(g, new PrintWriter(tty), true, 5, 2);
            Thread.sleep(2300);
            onTerminal.close();
            String t = tty.toString();
            assertTrue(t.startsWith("\r[fms] epochs 0/12 | trials 0 running, 0 paused, 0 stopped, 0 finished"), t);
            assertTrue(t.contains("best val_accuracy -"), t);
            assertEquals(1, t.chars().filter(c -> c == '\n').count(), "one line end, at close: " + t);
            assertTrue(t.chars().filter(c -> c == '\r').count() >= 2, "rewritten in place: " + t);

            StringWriter log = new StringWriter();
            SearchProgress inLog = SearchProgress.start(g, new PrintWriter(log), false, 1, 2);
            Thread.sleep(1500);
            inLog.close();
            String l = log.toString();
            assertFalse(l.contains("\r"), l);
            assertTrue(l.lines().count() >= 1 && l.lines().allMatch(x -> x.startsWith("[fms] epochs 0/12")), l);
        }
    }

    @Test
    void clockFormat() {
        assertEquals("0:07", SearchProgress.clock(Duration.ofSeconds(7)));
        assertEquals("2:05", SearchProgress.clock(Duration.ofSeconds(125)));
        assertEquals("1:00:01", SearchProgress.clock(Duration.ofSeconds(3601)));
    }
}
