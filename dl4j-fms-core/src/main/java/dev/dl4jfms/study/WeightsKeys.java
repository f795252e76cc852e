package dev.dl4jfms.study;

/**
 * Keys naming model weights for a forecaster's weight branch. Forecasters and embedders resolve them; the study only
 * builds them.
 * <ul>
 *   <li>{@code ckpt:<id>} a checkpoint of the study's store (weights stored by the executor);</li>
 *   <li>{@code init:<poolIndex>} the freshly initialised weights of a pool candidate. The pool index (not a trial
 *   id) is used because untried candidates have no trial yet and because a resolver can rebuild the network from
 *   {@link CandidatePool#value(int)}.</li>
 * </ul>
 * Executors that keep weights elsewhere (a benchmark hub) report their own keys in {@link EpochResult#weightsKey()}.
 */
public final class WeightsKeys {

    public static final String CHECKPOINT_PREFIX = "ckpt:";
    public static final String INITIAL_PREFIX = "init:";
    /**
     * Weights a stored trial started from when its store has no epoch-0 checkpoint: its DL4J configuration (stored
     * with the trial, seeded) initialised afresh. Meta-training on earlier studies uses these keys.
     */
    public static final String TRIAL_INITIAL_PREFIX = "trial-init:";

    private WeightsKeys() {
    }

    public static String checkpoint(long checkpointId) {
        return CHECKPOINT_PREFIX + checkpointId;
    }

    public static String initial(int poolIndex) {
        return INITIAL_PREFIX + poolIndex;
    }

    public static String trialInitial(long trialId) {
        return TRIAL_INITIAL_PREFIX + trialId;
    }

    /** The checkpoint id of a {@code ckpt:} key, or null for other keys. */
    public static Long checkpointId(String key) {
        if (key == null || !key.startsWith(CHECKPOINT_PREFIX)) {
            return null;
        }
        return Long.parseLong(key.substring(CHECKPOINT_PREFIX.length()));
    }
}
