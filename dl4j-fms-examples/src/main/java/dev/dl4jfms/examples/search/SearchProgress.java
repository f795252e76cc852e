package dev.dl4jfms.examples.search;

import dev.dl4jfms.arbiter.FmsCandidateGenerator;
import dev.dl4jfms.store.TrialStatus;
import dev.dl4jfms.study.Study;
import dev.dl4jfms.study.StudyView;
import dev.dl4jfms.study.TrialState;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A live progress line for a running search, on stderr: epochs spent / budget, trials running / paused / stopped /
 * finished, the incumbent validation value, elapsed and estimated remaining time. On a terminal the line is
 * rewritten in place ({@code \r}) every second; otherwise (a log file, CI) one line is printed every
 * {@code intervalSeconds}.
 */
public final class SearchProgress implements AutoCloseable {

    private final FmsCandidateGenerator generator;
    private final PrintWriter err;
    private final boolean terminal;
    private final int concurrency;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer;
    private int lastLength;
    private String lastLine = "";

    private SearchProgress(FmsCandidateGenerator generator, PrintWriter err, boolean terminal, int intervalSeconds,
                           int concurrency) {
        this.generator = generator;
        this.concurrency = concurrency;
        this.err = err;
        this.terminal = terminal;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fms-progress");
            t.setDaemon(true);
            return t;
        });
        long period = terminal ? 1 : intervalSeconds;
        timer.scheduleAtFixedRate(this::print, period, period, TimeUnit.SECONDS);
    }

    /**
     * Starts printing.
     *
     * @param terminal        rewrite one line in place (stderr is a terminal)
     * @param intervalSeconds seconds between lines when not on a terminal, positive
     * @param concurrency     trials that can train at the same time
     */
    public static SearchProgress start(FmsCandidateGenerator generator, PrintWriter err, boolean terminal,
                                       int intervalSeconds, int concurrency) {
        if (intervalSeconds < 1) {
            throw new IllegalArgumentException("progress interval must be >= 1 s, got " + intervalSeconds);
        }
        return new SearchProgress(generator, err, terminal, intervalSeconds, concurrency);
    }

    /** Whether stderr is a terminal: the {@code fms} launcher sets {@code FMS_STDERR_TTY=1} when it is. */
    public static boolean stderrIsTerminal() {
        String env = System.getenv("FMS_STDERR_TTY");
        return env != null ? "1".equals(env) : System.console() != null;
    }

    /** The current progress text (one line, no line end). */
    public String line() {
        Study study = generator.study();
        StudyView view = study.view();
        int budget = view.settings().budgetEpochs();
        int spent;
        int running;
        int paused = 0;
        int stopped = 0;
        int finished = 0;
        int failed = 0;
        String incumbent;
        synchronized (study) {
            spent = view.spentEpochs();
            // The generator asks one segment ahead of Arbiter's free task: count at most `concurrency` as running.
            running = Math.min(view.runningCount(), concurrency);
            for (TrialState t : view.trials()) {
                TrialStatus s = t.status();
                if (s == TrialStatus.PAUSED) {
                    paused++;
                } else if (s == TrialStatus.STOPPED) {
                    stopped++;
                } else if (s == TrialStatus.FINISHED) {
                    finished++;
                } else if (s == TrialStatus.DIVERGED || s == TrialStatus.FAILED) {
                    failed++;
                }
            }
            incumbent = view.incumbent().map(i -> String.format(Locale.ROOT, "%.4f", i.rawValue())).orElse("-");
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        String left = spent == 0 ? "?" : clock(elapsed.multipliedBy(Math.max(0, budget - spent)).dividedBy(spent));
        return String.format(Locale.ROOT, "[fms] epochs %d/%d | trials %d running, %d paused, %d stopped, %d finished%s"
                        + " | best %s %s | %s elapsed, ~%s left", spent, budget, running, paused, stopped, finished,
                failed == 0 ? "" : ", " + failed + " diverged/failed", view.settings().metricName(), incumbent,
                clock(elapsed), left);
    }

    private synchronized void print() {
        String line;
        try {
            line = line();
        } catch (RuntimeException e) {
            return; // the study may not be open yet
        }
        if (terminal) {
            String pad = line.length() < lastLength ? " ".repeat(lastLength - line.length()) : "";
            err.print("\r" + line + pad);
            lastLength = line.length();
        } else if (!line.equals(lastLine)) {
            err.println(line);
        }
        lastLine = line;
        err.flush();
    }

    static String clock(Duration d) {
        long s = d.getSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Stops the timer and prints the final state as a complete line. */
    @Override
    public synchronized void close() {
        timer.shutdownNow();
        String line;
        try {
            line = line();
        } catch (RuntimeException e) {
            line = lastLine;
        }
        if (terminal) {
            String pad = line.length() < lastLength ? " ".repeat(lastLength - line.length()) : "";
            err.println("\r" + line + pad);
        } else if (!line.equals(lastLine)) {
            err.println(line);
        }
        err.flush();
    }
}
