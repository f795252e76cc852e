package dev.dl4jfms.store;

import java.time.Instant;

/** One entry of a study's journal: an observation or a decision of the optimizer. */
public record EventRecord(long id, long studyId, Long trialId, String kind, String payloadJson, Instant created) {
}
