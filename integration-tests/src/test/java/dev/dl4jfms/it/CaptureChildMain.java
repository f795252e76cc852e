package dev.dl4jfms.it;

import dev.dl4jfms.examples.data.IdxData;
import dev.dl4jfms.listeners.CheckpointCaptureListener;
import dev.dl4jfms.store.SqliteCheckpointStore;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.nio.file.Path;

/**
 * Child JVM of {@link KillDuringCaptureTest}: trains a small MLP on a Fashion-MNIST subset forever, capturing a
 * checkpoint every 2 iterations, and reports on stdout {@code WRITTEN <n>} whenever the number of checkpoints the
 * store has accepted grows. The parent kills it with SIGKILL. Arguments: store file, trial id.
 */
public final class CaptureChildMain {

    private CaptureChildMain() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        long trialId = Long.parseLong(args[1]);
        IdxData data = SmallNetworks.fashionSubset(1000, 3);
        MultiLayerNetwork net = SmallNetworks.mlp(64, 5);
        SqliteCheckpointStore store = SqliteCheckpointStore.open(db);
        CheckpointCaptureListener capture = CheckpointCaptureListener.builder(store, trialId)
                .everyNIterations(2).queueCapacity(2).build();
        net.setListeners(capture);
        Thread reporter = new Thread(() -> {
            long reported = 0;
            while (true) {
                long written = capture.stats().written();
                if (written != reported) {
                    reported = written;
                    System.out.println("WRITTEN " + written);
                    System.out.flush();
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "progress-reporter");
        reporter.setDaemon(true);
        reporter.start();
        System.out.println("TRAINING");
        System.out.flush();
        DataSetIterator train = data.trainIterator(32, true, 1);
        while (true) {
            net.fit(train);
        }
    }
}
