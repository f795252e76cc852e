package dev.dl4jfms.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A searchable archive of training runs: studies, trials, and per-epoch checkpoints with metrics and weights.
 *
 * <p>Implementations must be safe for concurrent use by several training threads (Arbiter runs candidates in
 * parallel) and must never expose a half-written checkpoint: a checkpoint row becomes visible only after its blob
 * is durably on disk. {@link SqliteCheckpointStore} is the embedded default; other catalogs (e.g. PostgreSQL for
 * multi-machine studies) implement the same interface.
 */
public interface CheckpointStore extends AutoCloseable {

    // ---- studies ----------------------------------------------------------------------------------------------

    /** Creates a study; {@code name} must be unique in the store. {@code settingsJson} may be null. */
    StudyRecord createStudy(String name, String settingsJson);

    /** Updates the free-form settings/state JSON of a study (e.g. the optimizer settings). */
    void updateStudySettings(long studyId, String settingsJson);

    Optional<StudyRecord> study(long studyId);

    Optional<StudyRecord> studyByName(String name);

    List<StudyRecord> studies();

    // ---- trials -----------------------------------------------------------------------------------------------

    TrialRecord createTrial(long studyId, NewTrial trial);

    Optional<TrialRecord> trial(long trialId);

    /** Trials of a study ordered by id. */
    List<TrialRecord> trials(long studyId);

    /** Records a status change with a human-readable reason (may be null). */
    void updateTrialStatus(long trialId, TrialStatus status, String reason);

    // ---- checkpoints ------------------------------------------------------------------------------------------

    /**
     * Records one checkpoint. When {@code snapshot} is non-null its blob is written atomically (temporary file,
     * fsync, rename) before the row is committed; a null snapshot records metrics only (e.g. imported logs).
     */
    CheckpointRecord putCheckpoint(long trialId, int epoch, long iteration, Map<String, Double> metrics,
                                   ModelSnapshot snapshot);

    /** The learning curve of a trial: its checkpoints ordered by epoch, then iteration. */
    List<CheckpointRecord> checkpoints(long trialId);

    Optional<CheckpointRecord> checkpoint(long checkpointId);

    Optional<CheckpointRecord> latestCheckpoint(long trialId);

    /** Best checkpoint of a trial by {@code metric}; checkpoints without the metric (or NaN) are ignored. */
    Optional<CheckpointRecord> bestCheckpoint(long trialId, String metric, boolean higherIsBetter);

    /** All checkpoints (with blobs) of trials whose architecture signature equals {@code signature}. */
    List<CheckpointRecord> checkpointsByArchitecture(String signature);

    /** The {@code k} best trials of a study by {@code metric} at exactly {@code epoch}. */
    List<TrialScore> topTrials(long studyId, String metric, int epoch, int k, boolean higherIsBetter);

    /**
     * Reads the weights of a checkpoint, verifying the blob's SHA-256.
     *
     * @throws StoreException naming the file when the blob is missing, truncated, corrupted or fails its checksum
     */
    ModelSnapshot readSnapshot(CheckpointRecord checkpoint);

    // ---- events (optimizer observations and decisions) --------------------------------------------------------

    /** Appends an event to the study's journal; {@code trialId} may be null. Returns the event id. */
    long appendEvent(long studyId, Long trialId, String kind, String payloadJson);

    /** The study's journal in insertion order. */
    List<EventRecord> events(long studyId);

    /** The database file (or a description of the location for non-file stores). */
    Path location();

    @Override
    void close();
}
