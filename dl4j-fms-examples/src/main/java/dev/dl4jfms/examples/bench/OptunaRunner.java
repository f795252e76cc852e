package dev.dl4jfms.examples.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@code optuna-tpe-hb} peer: Debian's python3-optuna (TPE + HyperbandPruner) replayed on a hub CSV by the
 * script {@code optuna_tpe_hb.py} (shipped as a class-path resource; {@code scripts/optuna_tpe_hb.py} links to it),
 * in a subprocess, and reads its trajectories back as {@link MethodRun}s.
 *
 * <pre>{@code
 * List<MethodRun> runs = OptunaRunner.builder().build()
 *     .run(Path.of("hub.csv"), List.of(0L, 1L, 2L), 200, true, workDir);
 * }</pre>
 */
public final class OptunaRunner {

    private static final Logger log = LoggerFactory.getLogger(OptunaRunner.class);

    /** Method name written into trajectories. */
    public static final String METHOD = "optuna-tpe-hb";
    /** Debian's interpreter, which is the one python3-optuna installs into. */
    public static final Path DEFAULT_PYTHON = Path.of("/usr/bin/python3");
    static final String SCRIPT_RESOURCE = "optuna_tpe_hb.py";
    private static final String INSTALL_HINT = "apt-get install -y python3-optuna";

    private final Path python;
    private final Path script;
    private final int reductionFactor;
    private final Duration timeout;

    private OptunaRunner(Builder b) {
        this.python = b.python;
        this.script = b.script;
        this.reductionFactor = b.reductionFactor;
        this.timeout = b.timeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@code python} exists and can {@code import optuna}. */
    public static boolean optunaAvailable(Path python) {
        if (!Files.isExecutable(python)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(python.toString(), "-c", "import optuna").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Runs one study per seed on the hub and returns one run per seed, in seed order.
     *
     * @param hubCsv   hub exported as CSV
     * @param seeds    seeds (one fixed study name per seed)
     * @param budget   epochs per study
     * @param maximize whether a higher {@code val_metric} is better
     * @param workDir  folder for the trajectory CSV and the script's log (created if missing)
     * @throws IllegalStateException when the interpreter or optuna is missing (message says how to install) or the
     *                               script fails (message carries its error output)
     */
    public List<MethodRun> run(Path hubCsv, List<Long> seeds, long budget, boolean maximize, Path workDir)
            throws IOException {
        if (!Files.isRegularFile(hubCsv)) {
            throw new IllegalArgumentException("hub CSV " + hubCsv + " does not exist");
        }
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no seeds given");
        }
        if (budget < 1) {
            throw new IllegalArgumentException("epoch budget must be >= 1, got " + budget);
        }
        if (!optunaAvailable(python)) {
            throw new IllegalStateException(python + " cannot import optuna; install Debian's package: " + INSTALL_HINT);
        }
        Files.createDirectories(workDir);
        Path scriptFile = script != null ? script : extractScript(workDir);
        Path out = workDir.resolve("optuna-trajectories.csv");
        Path stderr = workDir.resolve("optuna.log");
        List<String> command = List.of(python.toString(), scriptFile.toString(), "--hub", hubCsv.toString(),
                "--seeds", seeds.stream().map(String::valueOf).collect(Collectors.joining(",")),
                "--budget", Long.toString(budget), "--direction", maximize ? "maximize" : "minimize",
                "--out", out.toString(), "--reduction-factor", Integer.toString(reductionFactor), "--method", METHOD);
        log.info("Running Optuna TPE + Hyperband: {}", String.join(" ", command));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(stderr.toFile()).start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Optuna script did not finish within " + timeout + "; log: " + stderr);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the Optuna script", e);
        }
        String output = Files.readString(stderr, StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0) {
            String hint = process.exitValue() == 3 ? " (" + INSTALL_HINT + ")" : "";
            throw new IllegalStateException("Optuna script failed with exit status " + process.exitValue() + hint + ": "
                    + output);
        }
        log.debug("Optuna script output: {}", output);
        return readTrajectories(out, seeds);
    }

    /** Reads {@code method,seed,epochs,incumbent_val,incumbent_test} rows into one run per seed. */
    static List<MethodRun> readTrajectories(Path file, List<Long> seeds) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String header = "method,seed,epochs,incumbent_val,incumbent_test";
        if (lines.isEmpty() || !lines.get(0).equals(header)) {
            throw new IllegalStateException(file + ":1: expected header '" + header + "'");
        }
        Map<Long, List<TrajectoryPoint>> bySeed = new LinkedHashMap<>();
        seeds.forEach(s -> bySeed.put(s, new ArrayList<>()));
        for (int i = 1; i < lines.size(); i++) {
            String[] c = lines.get(i).split(",", -1);
            if (c.length != 5) {
                throw new IllegalStateException(file + ":" + (i + 1) + ": expected 5 cells, got " + c.length);
            }
            long seed = Long.parseLong(c[1]);
            List<TrajectoryPoint> t = bySeed.get(seed);
            if (t == null) {
                throw new IllegalStateException(file + ":" + (i + 1) + ": unexpected seed " + seed);
            }
            t.add(new TrajectoryPoint(Long.parseLong(c[2]), parse(c[3]), parse(c[4])));
        }
        List<MethodRun> runs = new ArrayList<>();
        bySeed.forEach((seed, t) -> runs.add(MethodRun.of(METHOD, seed, t)));
        return runs;
    }

    private static double parse(String cell) {
        return cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
    }

    private static Path extractScript(Path workDir) throws IOException {
        Path target = workDir.resolve(SCRIPT_RESOURCE);
        try (InputStream in = OptunaRunner.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("class-path resource " + SCRIPT_RESOURCE + " missing next to "
                        + OptunaRunner.class.getName());
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** Validating builder for {@link OptunaRunner}. */
    public static final class Builder {
        private Path python = DEFAULT_PYTHON;
        private Path script;
        private int reductionFactor = 3;
        private Duration timeout = Duration.ofHours(2);

        private Builder() {
        }

        /** Interpreter with optuna (default {@code /usr/bin/python3}, not the first python3 on PATH). */
        public Builder python(Path python) { this.python = Objects.requireNonNull(python, "python"); return this; }

        /** Use this script file instead of the bundled one. */
        public Builder script(Path script) {
            if (!Files.isRegularFile(script)) {
                throw new IllegalArgumentException("Optuna script " + script + " does not exist");
            }
            this.script = script;
            return this;
        }

        /** Hyperband reduction factor η (default 3). */
        public Builder reductionFactor(int eta) {
            if (eta < 2) {
                throw new IllegalArgumentException("Hyperband reduction factor must be >= 2, got " + eta);
            }
            this.reductionFactor = eta;
            return this;
        }

        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public OptunaRunner build() {
            return new OptunaRunner(this);
        }
    }
}
