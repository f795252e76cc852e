package dev.dl4jfms.policy;

/**
 * Successive halving (Jamieson and Talwalkar 2016; Li et al.): repeated brackets that start η^s_max candidates at
 * one epoch and keep the best 1/η at each rung up to B_max (the most exploratory Hyperband bracket).
 */
public final class SuccessiveHalvingPolicy extends BracketPolicy {

    /** With reduction factor 3. */
    public SuccessiveHalvingPolicy() {
        this(3);
    }

    public SuccessiveHalvingPolicy(int eta) {
        super(eta);
    }

    @Override
    int bracketOf(int j, int sMax) {
        return sMax;
    }

    @Override
    public String name() {
        return "successive-halving";
    }
}
