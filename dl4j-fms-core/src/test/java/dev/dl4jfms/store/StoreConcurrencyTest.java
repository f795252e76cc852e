package dev.dl4jfms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Several training threads writing into one store at once, as Arbiter runs candidates in parallel. */
class StoreConcurrencyTest {

    private static final int THREADS = 4;
    private static final int CHECKPOINTS_PER_THREAD = 6;

    @TempDir
    Path dir;

    @Test
    void concurrentWritersLoseNothingAndEveryBlobVerifies() throws Exception {
        Path db = dir.resolve("s.db");
        List<List<INDArray>> expectedParams = new ArrayList<>();
        long[] trialIds = new long[THREADS];
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
            long study = store.createStudy("parallel", null).id();
            CyclicBarrier start = new CyclicBarrier(THREADS);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<List<INDArray>>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    MultiLayerNetwork net = TinyNetworks.mlp(6 + thread, thread);
                    long trial = store.createTrial(study, new NewTrial("{\"thread\":" + thread + "}", null,
                            ArchitectureSignature.of(net), null, "thread-" + thread)).id();
                    trialIds[thread] = trial;
                    List<INDArray> written = new ArrayList<>();
                    start.await();
                    for (int epoch = 1; epoch <= CHECKPOINTS_PER_THREAD; epoch++) {
                        net.fit(TinyNetworks.data(32, 16, epoch * 31L + thread));
                        ModelSnapshot snapshot = ModelSnapshots.of(net);
                        written.add(snapshot.params());
                        store.putCheckpoint(trial, epoch, net.getIterationCount(),
                                Map.of("acc", thread + epoch / 100.0), snapshot);
                        store.appendEvent(study, trial, "epoch", null);
                    }
                    return written;
                }));
            }
            for (Future<List<INDArray>> f : futures) {
                expectedParams.add(f.get());
            }
            pool.shutdown();
        }
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
            long study = store.studyByName("parallel").orElseThrow().id();
            assertEquals(THREADS, store.trials(study).size());
            assertEquals(THREADS * CHECKPOINTS_PER_THREAD, store.events(study).size());
            for (int t = 0; t < THREADS; t++) {
                List<CheckpointRecord> curve = store.checkpoints(trialIds[t]);
                assertEquals(CHECKPOINTS_PER_THREAD, curve.size());
                for (int e = 0; e < CHECKPOINTS_PER_THREAD; e++) {
                    CheckpointRecord cp = curve.get(e);
                    assertEquals(e + 1, cp.epoch());
                    assertEquals(t + (e + 1) / 100.0, cp.metric("acc"), 1e-12);
                    assertEquals(expectedParams.get(t).get(e), store.readSnapshot(cp).params());
                }
            }
            try (Stream<Path> files = Files.walk(store.blobFolder())) {
                assertEquals(THREADS * CHECKPOINTS_PER_THREAD,
                        files.filter(p -> p.toString().endsWith(SnapshotBlobFormat.BLOB_SUFFIX)).count(),
                        "one blob per checkpoint, no temp files left");
            }
        }
    }

    @Test
    void twoStoreInstancesOnOneFileShareItSafely() throws Exception {
        // Two connections (as two processes would have) writing concurrently rely on WAL + busy timeout.
        Path db = dir.resolve("shared.db");
        try (SqliteCheckpointStore a = SqliteCheckpointStore.open(db);
             SqliteCheckpointStore b = SqliteCheckpointStore.open(db)) {
            long study = a.createStudy("s", null).id();
            long ta = a.createTrial(study, new NewTrial("{}", null, null, null, null)).id();
            long tb = b.createTrial(study, new NewTrial("{}", null, null, null, null)).id();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Future<?> fa = pool.submit(() -> {
                for (int i = 1; i <= 50; i++) {
                    a.putCheckpoint(ta, i, i, Map.of("x", (double) i), null);
                }
            });
            Future<?> fb = pool.submit(() -> {
                for (int i = 1; i <= 50; i++) {
                    b.putCheckpoint(tb, i, i, Map.of("x", (double) -i), null);
                }
            });
            fa.get();
            fb.get();
            pool.shutdown();
            assertEquals(50, b.checkpoints(ta).size());
            assertEquals(50, a.checkpoints(tb).size());
        }
    }
}
