package dev.dl4jfms.study;

/**
 * The best validation value seen so far at any epoch of any trial.
 *
 * @param poolIndex candidate that achieved it
 * @param trialId   its trial id
 * @param epoch     the epoch at which it was observed
 * @param value     the normalised (higher is better) value
 * @param rawValue  the value as reported
 * @param testValue the test value recorded at the same epoch (NaN when not measured); reported only
 */
public record Incumbent(int poolIndex, long trialId, int epoch, double value, double rawValue, double testValue) {
}
