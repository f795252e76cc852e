package dev.dl4jfms.store;

import java.time.Instant;

/** A stored trial. Nullable fields as in {@link NewTrial}; {@code statusReason} may be null. */
public record TrialRecord(long id, long studyId, String configJson, double[] unitVector,
                          String architectureSignature, Long startCheckpointId, String label,
                          TrialStatus status, String statusReason, Instant created) {
}
