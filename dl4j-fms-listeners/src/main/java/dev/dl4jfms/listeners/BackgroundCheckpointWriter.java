package dev.dl4jfms.listeners;

import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.store.ModelSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * One writer thread that drains a bounded queue of captured checkpoints into a {@link CheckpointStore}.
 * {@link #submit} blocks only while the queue is full. Failures are collected, never dropped: the first one is
 * handed out (once) by {@link #takeFailure()}, later ones are attached to it as suppressed exceptions.
 */
final class BackgroundCheckpointWriter {

    private static final Logger log = LoggerFactory.getLogger(BackgroundCheckpointWriter.class);

    /** Queued work: everything the store needs, all arrays already detached copies. */
    record PendingCheckpoint(int epoch, long iteration, Map<String, Double> metrics, ModelSnapshot snapshot) {
    }

    private static final PendingCheckpoint STOP = new PendingCheckpoint(-1, -1, Map.of(), null);

    private final CheckpointStore store;
    private final long trialId;
    private final BlockingQueue<PendingCheckpoint> queue;
    private final Thread thread;
    private final Object lock = new Object();
    // guarded by lock
    private long submitted;
    private long completed;
    private long written;
    private long failed;
    private int maxQueued;
    private long blockedNanos;
    private CheckpointCaptureException failure;
    private boolean failureReported;
    private boolean stopped;

    BackgroundCheckpointWriter(CheckpointStore store, long trialId, int capacity) {
        this.store = store;
        this.trialId = trialId;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::drain, "checkpoint-writer-trial-" + trialId);
        // Daemon so a forgotten close() cannot keep the JVM alive; the store's atomic writes make an abrupt exit safe.
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a checkpoint, waiting while the queue is full. */
    void submit(PendingCheckpoint checkpoint) {
        synchronized (lock) {
            if (stopped) {
                throw new IllegalStateException("checkpoint writer of trial " + trialId + " is closed");
            }
            submitted++;
        }
        long start = System.nanoTime();
        try {
            if (!queue.offer(checkpoint)) {
                log.debug("Capture queue of trial {} is full; training waits for the writer", trialId);
                queue.put(checkpoint);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            synchronized (lock) {
                submitted--;
                lock.notifyAll();
            }
            throw new CheckpointCaptureException("Interrupted while queueing the checkpoint of trial " + trialId
                    + " epoch " + checkpoint.epoch() + " (iteration " + checkpoint.iteration() + ")", e);
        }
        long waited = System.nanoTime() - start;
        synchronized (lock) {
            blockedNanos += waited;
            // In flight = submitted but not completed: includes the one the writer is storing now.
            maxQueued = (int) Math.max(maxQueued, submitted - completed);
        }
    }

    private void drain() {
        while (true) {
            PendingCheckpoint next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                // Only close() may stop the writer; an interrupt from elsewhere must not lose queued checkpoints.
                continue;
            }
            if (next == STOP) {
                return;
            }
            Throwable error = null;
            try {
                store.putCheckpoint(trialId, next.epoch(), next.iteration(), next.metrics(), next.snapshot());
            } catch (Throwable t) {
                error = t;
                // Logged briefly here; the full exception is raised on the training thread.
                log.warn("Writing checkpoint of trial {} epoch {} iteration {} failed: {}", trialId, next.epoch(),
                        next.iteration(), t.toString());
            }
            synchronized (lock) {
                if (error == null) {
                    written++;
                } else {
                    failed++;
                    CheckpointCaptureException wrapped = new CheckpointCaptureException("Writing the checkpoint of trial "
                            + trialId + " epoch " + next.epoch() + " (iteration " + next.iteration()
                            + ") failed: " + error, error);
                    if (failure == null) {
                        failure = wrapped;
                    } else {
                        failure.addSuppressed(wrapped);
                    }
                }
                completed++;
                lock.notifyAll();
            }
        }
    }

    /** Waits until every submitted checkpoint was written or failed. */
    void awaitIdle() {
        synchronized (lock) {
            boolean interrupted = false;
            while (completed < submitted) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The first failure not yet handed out, or null; each failure is handed out once. */
    CheckpointCaptureException takeFailure() {
        synchronized (lock) {
            if (failure == null || failureReported) {
                return null;
            }
            failureReported = true;
            return failure;
        }
    }

    /** Drains the queue, then stops the writer thread. Idempotent. */
    void close() {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        awaitIdle();
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(STOP);
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    CaptureStats stats() {
        synchronized (lock) {
            return new CaptureStats(submitted, written, failed, submitted - completed, maxQueued,
                    blockedNanos / 1e9, 0);
        }
    }

}
