package dev.dl4jfms.store;

/** A trial and its value of a metric at some epoch (result of {@link CheckpointStore#topTrials}). */
public record TrialScore(TrialRecord trial, CheckpointRecord checkpoint, double value) {
}
