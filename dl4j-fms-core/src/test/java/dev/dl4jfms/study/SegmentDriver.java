package dev.dl4jfms.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Test loop driver: keeps up to {@code workers} segments outstanding, "trains" them against {@link SyntheticCurves}
 * in a seeded random completion order, and counts every (candidate, epoch) it trains.
 */
public final class SegmentDriver {

    /** The answers of the "trainer". */
    public interface Curves {
        /** Validation value of candidate {@code index} after {@code epoch} epochs (NaN: diverged). */
        double value(int index, int epoch);

        default double test(int index, int epoch) {
            return value(index, epoch) - 0.01;
        }

        default double trainLoss(int index, int epoch) {
            return 1.0 - value(index, epoch);
        }
    }

    private final Curves curves;
    private final int workers;
    private final SplittableRandom rng;
    /** how many times each (poolIndex, epoch) was trained. */
    public final Map<Long, Integer> trainedCount = new HashMap<>();
    public final List<Segment> handedOut = new ArrayList<>();
    public int epochsTrained;
    /** When true, every epoch reports the weights key {@code hub:<poolIndex>:<epoch>} (as a hub replay would). */
    public boolean reportWeightsKeys;

    public SegmentDriver(Curves curves, int workers, long seed) {
        this.curves = curves;
        this.workers = workers;
        this.rng = new SplittableRandom(seed);
    }

    /** Runs until the study is finished. */
    public void run(Study study) {
        run(study, Integer.MAX_VALUE);
    }

    /** Runs until the study is finished or {@code maxTells} results were told; returns the still outstanding. */
    public List<Segment> run(Study study, int maxTells) {
        List<Segment> outstanding = new ArrayList<>();
        int tells = 0;
        int guard = 0;
        while (true) {
            if (++guard > 1_000_000) {
                fail("driver did not terminate");
            }
            while (outstanding.size() < workers) {
                var next = study.ask();
                if (next.isEmpty()) {
                    break;
                }
                Segment s = next.get();
                for (Segment o : outstanding) {
                    assertFalse(o.trialId() == s.trialId() || o.poolIndex() == s.poolIndex(),
                            "trial handed out while its segment " + o + " is outstanding");
                }
                handedOut.add(s);
                outstanding.add(s);
            }
            if (outstanding.isEmpty()) {
                assertTrue(study.isFinished(), "nothing outstanding, nothing handed out, but study not finished");
                return outstanding;
            }
            if (tells >= maxTells) {
                return outstanding;
            }
            Segment s = outstanding.remove(rng.nextInt(outstanding.size()));
            study.tell(train(s, s.toEpoch()));
            tells++;
        }
    }

    /** Trains {@code s} up to {@code upTo} (stopping after a divergent epoch) and returns the result. */
    public SegmentResult train(Segment s, int upTo) {
        List<EpochResult> epochs = new ArrayList<>();
        for (int e = s.fromEpoch() + 1; e <= upTo; e++) {
            EpochResult r = trainEpoch(s.poolIndex(), e);
            epochs.add(r);
            if (r.diverged()) {
                return SegmentResult.diverged(s, epochs, "loss is NaN");
            }
        }
        return SegmentResult.ok(s, epochs);
    }

    public EpochResult trainEpoch(int poolIndex, int epoch) {
        trainedCount.merge(key(poolIndex, epoch), 1, Integer::sum);
        epochsTrained++;
        return new EpochResult(epoch, curves.value(poolIndex, epoch), curves.test(poolIndex, epoch),
                curves.trainLoss(poolIndex, epoch), null, reportWeightsKeys ? "hub:" + poolIndex + ":" + epoch : null,
                null);
    }

    public static long key(int poolIndex, int epoch) {
        return poolIndex * 10_000L + epoch;
    }

    /** Asserts that no (candidate, epoch) was trained twice and the study charged exactly what was trained. */
    public void assertExactAccounting(Study study) {
        for (var e : trainedCount.entrySet()) {
            assertEquals(1, e.getValue(), "epoch trained twice: pool " + e.getKey() / 10_000 + " epoch "
                    + e.getKey() % 10_000);
        }
        assertEquals(epochsTrained, study.spentEpochs(), "charged epochs differ from trained epochs");
        int sum = study.view().trials().stream().mapToInt(TrialState::epochsTrained).sum();
        assertEquals(epochsTrained, sum, "sum of trial epochs differs from trained epochs");
    }
}
