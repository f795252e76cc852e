package dev.dl4jfms.transfer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A family of related tasks for transfer tests: configurations named {@code learning_rate} (log-uniform 1e-4..1e-1),
 * {@code width} (8..64) and {@code activation} (relu/tanh); every task's final accuracy peaks at a learning rate of
 * 1e-2 and rises with width, but each task has its own level, spread and speed — what one task teaches about the map
 * hyperparameters → outcome carries over, its units do not.
 */
final class SyntheticFamily {

    static final int MAX_EPOCHS = 8;

    private SyntheticFamily() {
    }

    /** One configuration's hyperparameters. */
    static Map<String, String> config(Random rnd) {
        double lr = Math.pow(10, -4 + 3 * rnd.nextDouble());
        int width = 8 + rnd.nextInt(57);
        String act = rnd.nextBoolean() ? "relu" : "tanh";
        return Map.of("learning_rate", String.format(Locale.ROOT, "%.6g", lr), "width", Integer.toString(width),
                "activation", act);
    }

    /** The learning curve of {@code config} in task (level, spread, speed), with noise from {@code rnd}. */
    static double[] curve(Map<String, String> config, double level, double spread, double speed, Random rnd) {
        double lr = Double.parseDouble(config.get("learning_rate"));
        double width = Double.parseDouble(config.get("width"));
        double d = Math.log10(lr) + 2; // 0 at the best learning rate
        double quality = Math.exp(-d * d) + 0.15 * (width - 8) / 56 + ("relu".equals(config.get("activation")) ? 0.05
                : 0);
        double fin = level + spread * quality;
        double[] c = new double[MAX_EPOCHS];
        for (int j = 0; j < MAX_EPOCHS; j++) {
            c[j] = fin * (1 - Math.exp(-speed * (j + 1))) + 0.003 * rnd.nextGaussian();
        }
        return c;
    }

    /** A source task of {@code n} fully trained configurations (no weights). */
    static SourceTask task(String name, int n, double level, double spread, double speed, long seed) {
        Random rnd = new Random(seed);
        List<SourceTask.Trial> trials = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, String> c = config(rnd);
            trials.add(new SourceTask.Trial(c, curve(c, level, spread, speed, rnd), null));
        }
        return new SourceTask(name, MAX_EPOCHS, trials);
    }
}
