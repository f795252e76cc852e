package dev.dl4jfms.policy;

/**
 * Hyperband (Li et al., JMLR 2018): cycles through the brackets s = s_max, ..., 0 of {@link HalvingSchedule}
 * (fresh candidates for each bracket) until the budget or the pool is used up.
 */
public final class HyperbandPolicy extends BracketPolicy {

    /** With reduction factor 3. */
    public HyperbandPolicy() {
        this(3);
    }

    public HyperbandPolicy(int eta) {
        super(eta);
    }

    @Override
    int bracketOf(int j, int sMax) {
        return sMax - (j % (sMax + 1));
    }

    @Override
    public String name() {
        return "hyperband";
    }
}
