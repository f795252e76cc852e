package dev.dl4jfms.it;

import dev.dl4jfms.examples.data.IdxData;
import dev.dl4jfms.listeners.CheckpointCaptureListener;
import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.NewTrial;
import dev.dl4jfms.store.SqliteCheckpointStore;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Three networks train in parallel threads, each with its own capture listener, all writing into one SQLite
 * store (as Arbiter runs candidates in parallel). Every checkpoint must land in its own trial and hold exactly
 * the parameters its network had at that moment.
 */
class ConcurrentCaptureTest {

    /** Records the parameters at every epoch end, after the capture listener ran. */
    private static final class ParamsRecorder extends BaseTrainingListener {
        final List<INDArray> atEpochEnd = new ArrayList<>();

        @Override
        public void onEpochEnd(Model model) {
            atEpochEnd.add(model.params().dup());
        }
    }

    @Test
    void parallelTrainingThreadsShareOneStore(@TempDir Path tmp) throws Exception {
        IdxData data = SmallNetworks.fashionSubset(600, 23);
        int networks = 3;
        int epochs = 2;
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(tmp.resolve("shared.db"))) {
            long study = store.createStudy("parallel", null).id();
            long[] trials = new long[networks];
            for (int i = 0; i < networks; i++) {
                trials[i] = store.createTrial(study, new NewTrial("{\"net\":" + i + "}", null, null, null,
                        "net-" + i)).id();
            }
            ExecutorService pool = Executors.newFixedThreadPool(networks);
            List<Future<ParamsRecorder>> results = new ArrayList<>();
            for (int i = 0; i < networks; i++) {
                int index = i;
                results.add(pool.submit(() -> {
                    MultiLayerNetwork net = SmallNetworks.mlp(16 + 8 * index, 100 + index);
                    ParamsRecorder recorder = new ParamsRecorder();
                    try (CheckpointCaptureListener capture = CheckpointCaptureListener.builder(store, trials[index])
                            .everyNIterations(2).queueCapacity(1).build()) {
                        net.setListeners(capture, recorder);
                        net.fit(data.trainIterator(32, true, index), epochs);
                    }
                    return recorder;
                }));
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(5, TimeUnit.MINUTES));
            int batchesPerEpoch = (480 + 31) / 32;
            for (int i = 0; i < networks; i++) {
                ParamsRecorder recorder = results.get(i).get();
                List<CheckpointRecord> rows = store.checkpoints(trials[i]);
                List<CheckpointRecord> epochEnds = rows.stream()
                        .filter(r -> !r.metrics().containsKey(CheckpointCaptureListener.MID_EPOCH)).toList();
                assertEquals(epochs, epochEnds.size(), "trial " + trials[i]);
                assertEquals(epochs * batchesPerEpoch / 2, rows.size() - epochEnds.size(), "mid-epoch rows");
                for (int e = 0; e < epochs; e++) {
                    INDArray stored = store.readSnapshot(epochEnds.get(e)).params();
                    INDArray expected = recorder.atEpochEnd.get(e);
                    assertEquals(expected, stored.reshape(expected.shape()),
                            "net " + i + " epoch " + (e + 1));
                }
                for (CheckpointRecord row : rows) {
                    assertEquals(trials[i], row.trialId());
                    store.readSnapshot(row); // verifies the SHA-256 of every blob
                }
            }
        }
    }
}
