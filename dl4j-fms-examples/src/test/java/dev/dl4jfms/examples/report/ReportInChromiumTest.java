package dev.dl4jfms.examples.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads the report in real headless Chromium through {@code scripts/check-report.sh}. */
class ReportInChromiumTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static Path checkScript() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("scripts/check-report.sh"))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "scripts/check-report.sh not found above " + Path.of("").toAbsolutePath());
        return dir.resolve("scripts/check-report.sh");
    }

    private static Result run(Path... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = checkScript().toString();
        for (int i = 0; i < args.length; i++) {
            cmd[i + 1] = args[i].toString();
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(200, TimeUnit.SECONDS), "check-report.sh timed out");
        return new Result(p.exitValue(), out);
    }

    private record Result(int exit, String output) {
    }

    @Test
    void reportLoadsAndAllPlotsDecode() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "/usr/bin/chromium not installed (apt-get install -y chromium)");
        Path dir = Path.of("target", "study-report-check").toAbsolutePath();
        Path html = StudyReportWriter.write(StudyReportFixture.study(), dir);
        Path shot = dir.resolve("screenshot.png");
        Files.deleteIfExists(shot);
        Result r = run(html, shot);
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("OK, 3/3 images decoded"), r.output());
        BufferedImage img = ImageIO.read(shot.toFile());
        assertEquals(1100, img.getWidth());
    }

    @Test
    void brokenImageIsDetected(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "/usr/bin/chromium not installed (apt-get install -y chromium)");
        Path html = StudyReportWriter.write(StudyReportFixture.study(), dir);
        String page = Files.readString(html);
        // Corrupt one embedded image: the browser cannot decode it.
        Files.writeString(html, page.replaceFirst("base64,iVBORw0KGgo", "base64,AAAAAAAAAAA"));
        Result r = run(html);
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("only 2 of 3 images decoded"), r.output());
    }
}
