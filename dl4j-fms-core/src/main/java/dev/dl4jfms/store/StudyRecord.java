package dev.dl4jfms.store;

import java.time.Instant;

/** A study: one search (or one imported log folder). {@code settingsJson} may be null. */
public record StudyRecord(long id, String name, String settingsJson, Instant created) {
}
