package dev.dl4jfms.examples.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.store.TrialStatus;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyReportWriterTest {

    @Test
    void writesPageWithEmbeddedPlotsAndPngFiles(@TempDir Path dir) throws Exception {
        StudyReport study = StudyReportFixture.study();
        Path html = StudyReportWriter.write(study, dir);
        String page = Files.readString(html);
        List<String> pngs = List.of(StudyReportWriter.INCUMBENT_PNG, StudyReportWriter.CURVES_PNG,
                StudyReportWriter.FORECAST_PNG);
        Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(page);
        for (String png : pngs) {
            assertTrue(m.find(), "embedded image for " + png);
            byte[] embedded = Base64.getDecoder().decode(m.group(1));
            assertArrayEquals(Files.readAllBytes(dir.resolve(png)), embedded, png + " file equals embedded image");
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(embedded));
            assertTrue(img.getWidth() >= 800, png);
            assertTrue(page.contains("href=\"" + png + "\""));
        }
        assertFalse(m.find(), "exactly three images");
        assertFalse(page.contains("src=\"http"), "self-contained: no external resources");
    }

    @Test
    void escapesUserStrings(@TempDir Path dir) throws Exception {
        String page = Files.readString(StudyReportWriter.write(StudyReportFixture.study(), dir));
        assertFalse(page.contains("<script>alert"), "raw label must not reach the page");
        assertTrue(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"));
        assertTrue(page.contains("Study report: mnist-mlp &lt;demo&gt;"));
        assertEquals("a&amp;b&lt;c&gt;&quot;&#39;", StudyReportWriter.escape("a&b<c>\"'"));
        // The only script on the page is the image check.
        assertEquals(1, page.split("<script>", -1).length - 1);
    }

    @Test
    void roiLinesStateTheNumbersInPlainLanguage(@TempDir Path dir) throws Exception {
        StudyReport s = StudyReportFixture.study();
        long spent = s.roi().epochsSpent();
        String page = Files.readString(StudyReportWriter.write(s, dir));
        assertTrue(page.contains("Training all 30 candidate configurations for the full 20 epochs would have cost <b>600 "
                + "epochs</b>"), page);
        assertTrue(page.contains(String.format(java.util.Locale.ROOT, "The search used %.1f%% of that",
                100.0 * spent / 600)));
        assertTrue(page.contains("Random search needed <b>" + String.format(java.util.Locale.ROOT, "%,d", 3 * spent)
                + " epochs</b> to reach the same result: <b>3.0× more</b>"), page);
        assertTrue(page.contains("Hyperband needed"));
        assertTrue(page.contains("Optuna &lt;TPE&gt; <b>did not reach</b> the same result within its budget of 600 epochs"),
                page);
        String best = StudyReportWriter.num(s.finalIncumbent());
        assertTrue(page.contains("validation accuracy <b>" + best + "</b>"), page);
        assertTrue(page.contains("stopped early: budget spent"));
        assertTrue(page.contains("diverged: loss became NaN"));
    }

    @Test
    void baselineCheaperThanSearchIsSaidHonestly(@TempDir Path dir) throws Exception {
        StudyReport s = StudyReport.builder("s").trial(ReportTrial.of(1, null, TrialStatus.FINISHED, "", "",
                        new int[] {1, 2}, new double[] {0.5, 0.6}))
                .incumbent(new long[] {1, 2}, new double[] {0.5, 0.6})
                .roi(new RoiNumbers(100, 10, 10, List.of(new RoiNumbers.Baseline("Random search", java.util.OptionalLong.of(50), 100))))
                .build();
        String page = Files.readString(StudyReportWriter.write(s, dir));
        assertTrue(page.contains("Random search needed <b>50 epochs</b> to reach the same result, fewer than this search"),
                page);
        assertFalse(page.contains("Hyperband"));
        assertFalse(Files.exists(dir.resolve(StudyReportWriter.FORECAST_PNG)), "no forecasts, no forecast plot");
    }

    @Test
    void forecastPlotShowsBestForecastsFirst() {
        List<ReportTrial> top = StudyReportCharts.topForecastTrials(StudyReportFixture.study());
        assertEquals(10, top.size());
        for (int i = 1; i < top.size(); i++) {
            assertTrue(top.get(i - 1).forecastMean() >= top.get(i).forecastMean());
        }
    }

    @Test
    void invalidInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ReportTrial.of(1, null, TrialStatus.PAUSED, "", "",
                new int[] {2, 1}, new double[] {0.1, 0.2}));
        assertThrows(IllegalArgumentException.class, () -> StudyReport.builder("s")
                .incumbent(new long[] {3, 2}, new double[] {0.1, 0.2}));
        assertThrows(IllegalArgumentException.class, () -> StudyReport.builder("s")
                .trial(ReportTrial.of(1, null, TrialStatus.PAUSED, "", "", new int[0], new double[0]))
                .trial(ReportTrial.of(1, null, TrialStatus.PAUSED, "", "", new int[0], new double[0])).build());
    }
}
