package dev.dl4jfms.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The embedded {@link CheckpointStore}: one SQLite catalog file (WAL mode) plus a folder of parameter blobs beside
 * it, {@code <db file name>.blobs/}.
 *
 * <p><b>Epochs.</b> A checkpoint's {@code epoch} is the number of epochs completed when it was taken (1 for the end
 * of the first epoch; 0 for initial weights), matching the 1-based learning curves y<sub>1..b</sub> of the method.
 *
 * <p><b>Durability.</b> {@link #putCheckpoint} writes the blob to a temporary file, forces it to disk, renames it
 * atomically and only then commits the catalog row; a crash at any point leaves no visible half-written checkpoint
 * (at most an orphan temporary file, removed by a later {@link #open}). Blobs are verified against their SHA-256 on
 * every read.
 *
 * <p><b>Concurrency.</b> One instance may be shared by many threads: blobs are serialised and written in parallel,
 * catalog statements are serialised on one connection. Several processes may open the same file; SQLite's WAL mode
 * and a busy timeout arbitrate between them.
 */
public final class SqliteCheckpointStore implements CheckpointStore {

    private static final Logger log = LoggerFactory.getLogger(SqliteCheckpointStore.class);
    /** Temporary blobs older than this at open time belong to a crashed writer. */
    private static final Duration ORPHAN_AGE = Duration.ofMinutes(10);
    private static final int BUSY_TIMEOUT_MS = 30_000;

    private final Path dbFile;
    private final Path blobFolder;
    private final SqliteCatalog catalog;

    private SqliteCheckpointStore(Path dbFile, Path blobFolder, Connection connection) {
        this.dbFile = dbFile;
        this.blobFolder = blobFolder;
        this.catalog = new SqliteCatalog(dbFile, connection);
    }

    /**
     * Opens the store in {@code dbFile}, creating the file, its parent folders and the blob folder when absent.
     *
     * @throws StoreException naming the file when it is not a dl4j-fms store, has an unsupported schema version, or
     *                        cannot be opened
     */
    public static SqliteCheckpointStore open(Path dbFile) {
        Path file = dbFile.toAbsolutePath().normalize();
        if (Files.isDirectory(file)) {
            throw new StoreException(file + " is a directory, not a store file");
        }
        Path blobs = blobFolderOf(file);
        Connection connection = null;
        try {
            Files.createDirectories(file.getParent());
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.setBusyTimeout(BUSY_TIMEOUT_MS);
            config.enforceForeignKeys(true);
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            connection = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
            SqliteSchema.createOrValidate(connection, file);
            Files.createDirectories(blobs);
            SqliteCheckpointStore store = new SqliteCheckpointStore(file, blobs, connection);
            store.sweepTemporaryBlobs(ORPHAN_AGE);
            return store;
        } catch (StoreException e) {
            closeQuietly(connection);
            throw e;
        } catch (SQLException e) {
            closeQuietly(connection);
            String message = String.valueOf(e.getMessage());
            if (message.contains("NOTADB") || message.contains("not a database")) {
                throw new StoreException(file + " is not a dl4j-fms store (not an SQLite database)", e);
            }
            throw new StoreException("Cannot open store " + file + ": " + message, e);
        } catch (IOException e) {
            closeQuietly(connection);
            throw new StoreException("Cannot open store " + file + ": " + e, e);
        }
    }

    /** The blob folder used for a given database file: {@code <file name>.blobs} beside it. */
    public static Path blobFolderOf(Path dbFile) {
        Path file = dbFile.toAbsolutePath().normalize();
        return file.resolveSibling(file.getFileName() + ".blobs");
    }

    /** The folder holding this store's parameter blobs. */
    public Path blobFolder() {
        return blobFolder;
    }

    /** SQLite's journal mode of the open connection ({@code wal}). */
    public String journalMode() {
        return catalog.locked(() -> catalog.queryOne("PRAGMA journal_mode", rs -> rs.getString(1)).orElseThrow()
                .toLowerCase(Locale.ROOT));
    }

    /**
     * Deletes temporary blob files (left by crashed writers) last modified more than {@code olderThan} ago; younger
     * ones may belong to a live writer in another process and are left alone. Returns the number deleted.
     */
    public int sweepTemporaryBlobs(Duration olderThan) {
        Instant cutoff = Instant.now().minus(olderThan);
        int deleted = 0;
        try (Stream<Path> files = Files.walk(blobFolder)) {
            for (Path temp : files.filter(p -> p.getFileName().toString().endsWith(SnapshotBlobFormat.TEMP_SUFFIX))
                    .toList()) {
                if (Files.getLastModifiedTime(temp).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(temp);
                    deleted++;
                }
            }
        } catch (IOException e) {
            log.warn("Could not sweep temporary blobs in {}: {}", blobFolder, e.toString());
        }
        if (deleted > 0) {
            log.info("Removed {} orphan temporary blob(s) from {}", deleted, blobFolder);
        }
        return deleted;
    }

    // ---- studies ----------------------------------------------------------------------------------------------

    @Override
    public StudyRecord createStudy(String name, String settingsJson) {
        requireText(name, "study name");
        return catalog.locked(() -> {
            if (studyByNameLocked(name).isPresent()) {
                throw new StoreException("Study '" + name + "' already exists in store " + dbFile);
            }
            long now = System.currentTimeMillis();
            long id = catalog.insert("INSERT INTO studies(name, settings_json, created_ms) VALUES (?, ?, ?)",
                    name, settingsJson, now);
            return new StudyRecord(id, name, settingsJson, Instant.ofEpochMilli(now));
        });
    }

    @Override
    public void updateStudySettings(long studyId, String settingsJson) {
        catalog.locked(() -> {
            if (catalog.update("UPDATE studies SET settings_json = ? WHERE id = ?", settingsJson, studyId) == 0) {
                throw new StoreException("No study " + studyId + " in store " + dbFile);
            }
            return null;
        });
    }

    @Override
    public Optional<StudyRecord> study(long studyId) {
        return catalog.locked(() -> catalog.queryOne("SELECT * FROM studies WHERE id = ?", StoreRows::study,
                studyId));
    }

    @Override
    public Optional<StudyRecord> studyByName(String name) {
        return catalog.locked(() -> studyByNameLocked(name));
    }

    @Override
    public List<StudyRecord> studies() {
        return catalog.locked(() -> catalog.queryList("SELECT * FROM studies ORDER BY id", StoreRows::study));
    }

    // ---- trials -----------------------------------------------------------------------------------------------

    @Override
    public TrialRecord createTrial(long studyId, NewTrial trial) {
        return catalog.locked(() -> {
            requireStudy(studyId);
            long now = System.currentTimeMillis();
            long id = catalog.insert("INSERT INTO trials(study_id, config_json, unit_vector_json, arch_signature,"
                            + " start_checkpoint_id, label, status, status_reason, created_ms)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)",
                    studyId, trial.configJson(), StoreJson.vectorToJson(trial.unitVector()),
                    trial.architectureSignature(), trial.startCheckpointId(), trial.label(),
                    TrialStatus.PENDING.name(), now);
            return new TrialRecord(id, studyId, trial.configJson(), trial.unitVector(),
                    trial.architectureSignature(), trial.startCheckpointId(), trial.label(), TrialStatus.PENDING,
                    null, Instant.ofEpochMilli(now));
        });
    }

    @Override
    public Optional<TrialRecord> trial(long trialId) {
        return catalog.locked(() -> catalog.queryOne("SELECT * FROM trials WHERE id = ?", StoreRows::trial,
                trialId));
    }

    @Override
    public List<TrialRecord> trials(long studyId) {
        return catalog.locked(() -> catalog.queryList("SELECT * FROM trials WHERE study_id = ? ORDER BY id",
                StoreRows::trial, studyId));
    }

    @Override
    public void updateTrialStatus(long trialId, TrialStatus status, String reason) {
        if (status == null) {
            throw new IllegalArgumentException("status is required");
        }
        catalog.locked(() -> {
            if (catalog.update("UPDATE trials SET status = ?, status_reason = ? WHERE id = ?", status.name(), reason,
                    trialId) == 0) {
                throw new StoreException("No trial " + trialId + " in store " + dbFile);
            }
            return null;
        });
    }

    // ---- checkpoints ------------------------------------------------------------------------------------------

    @Override
    public CheckpointRecord putCheckpoint(long trialId, int epoch, long iteration, Map<String, Double> metrics,
                                          ModelSnapshot snapshot) {
        if (epoch < 0 || iteration < 0) {
            throw new IllegalArgumentException("epoch and iteration must be >= 0, got " + epoch + ", " + iteration);
        }
        String metricsJson = StoreJson.metricsToJson(metrics);
        catalog.locked(() -> catalog.queryOne("SELECT id FROM trials WHERE id = ?", rs -> rs.getLong(1), trialId))
                .orElseThrow(() -> new StoreException("No trial " + trialId + " in store " + dbFile));
        SnapshotBlobFormat.WrittenBlob blob = null;
        String relative = null;
        if (snapshot != null) {
            // Written outside the lock: serialisation and fsync are the slow part and run in parallel.
            relative = "trial-" + trialId + "/e" + epoch + "-i" + iteration + "-" + UUID.randomUUID()
                    + SnapshotBlobFormat.BLOB_SUFFIX;
            blob = SnapshotBlobFormat.write(snapshot, blobFolder.resolve(relative));
        }
        SnapshotBlobFormat.WrittenBlob written = blob;
        String blobPath = relative;
        try {
            return catalog.transaction(() -> insertCheckpoint(trialId, epoch, iteration, metricsJson, blobPath,
                    written));
        } catch (RuntimeException e) {
            if (written != null) {
                deleteQuietly(written.path());
            }
            throw e;
        }
    }

    private CheckpointRecord insertCheckpoint(long trialId, int epoch, long iteration, String metricsJson,
                                              String blobPath, SnapshotBlobFormat.WrittenBlob blob)
            throws SQLException {
        long now = System.currentTimeMillis();
        long id = catalog.insert("INSERT INTO checkpoints(trial_id, epoch, iteration, metrics_json, blob_path,"
                        + " byte_size, data_type, sha256, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                trialId, epoch, iteration, metricsJson, blobPath, blob == null ? 0L : blob.byteSize(),
                blob == null ? null : blob.dataType(), blob == null ? null : blob.sha256(), now);
        Map<String, Double> metrics = StoreJson.metricsFromJson(metricsJson);
        try (PreparedStatement insert = catalog.prepareBatch("INSERT INTO metrics(checkpoint_id, trial_id, epoch,"
                + " iteration, name, value) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<String, Double> metric : metrics.entrySet()) {
                if (!Double.isFinite(metric.getValue())) {
                    continue; // kept in the JSON; SQLite cannot rank NaN
                }
                insert.setLong(1, id);
                insert.setLong(2, trialId);
                insert.setInt(3, epoch);
                insert.setLong(4, iteration);
                insert.setString(5, metric.getKey());
                insert.setDouble(6, metric.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return new CheckpointRecord(id, trialId, epoch, iteration, metrics, blob == null ? null : blob.path(),
                blob == null ? 0 : blob.byteSize(), blob == null ? null : blob.dataType(),
                blob == null ? null : blob.sha256(), Instant.ofEpochMilli(now));
    }

    @Override
    public List<CheckpointRecord> checkpoints(long trialId) {
        return catalog.locked(() -> catalog.queryList("SELECT * FROM checkpoints WHERE trial_id = ?"
                + " ORDER BY epoch, iteration, id", this::checkpointRow, trialId));
    }

    @Override
    public Optional<CheckpointRecord> checkpoint(long checkpointId) {
        return catalog.locked(() -> checkpointLocked(checkpointId));
    }

    @Override
    public Optional<CheckpointRecord> latestCheckpoint(long trialId) {
        return catalog.locked(() -> catalog.queryOne("SELECT * FROM checkpoints WHERE trial_id = ?"
                + " ORDER BY epoch DESC, iteration DESC, id DESC LIMIT 1", this::checkpointRow, trialId));
    }

    @Override
    public Optional<CheckpointRecord> bestCheckpoint(long trialId, String metric, boolean higherIsBetter) {
        String order = higherIsBetter ? "DESC" : "ASC";
        return catalog.locked(() -> catalog.queryOne("SELECT c.* FROM metrics m"
                        + " JOIN checkpoints c ON c.id = m.checkpoint_id WHERE m.trial_id = ? AND m.name = ?"
                        + " ORDER BY m.value " + order + ", c.epoch, c.id LIMIT 1",
                this::checkpointRow, trialId, metric));
    }

    @Override
    public List<CheckpointRecord> checkpointsByArchitecture(String signature) {
        return catalog.locked(() -> catalog.queryList("SELECT c.* FROM checkpoints c JOIN trials t"
                        + " ON t.id = c.trial_id WHERE t.arch_signature = ? AND c.blob_path IS NOT NULL"
                        + " ORDER BY c.trial_id, c.epoch, c.iteration, c.id",
                this::checkpointRow, signature));
    }

    @Override
    public List<TrialScore> topTrials(long studyId, String metric, int epoch, int k, boolean higherIsBetter) {
        if (k <= 0) {
            return List.of();
        }
        String order = higherIsBetter ? "DESC" : "ASC";
        // Per trial, the value at the last checkpoint (highest iteration) of that epoch that has the metric.
        String sql = "SELECT trial_id, checkpoint_id, value FROM ("
                + " SELECT m.trial_id, m.checkpoint_id, m.value, ROW_NUMBER() OVER ("
                + "  PARTITION BY m.trial_id ORDER BY m.iteration DESC, m.checkpoint_id DESC) AS rank_in_trial"
                + " FROM metrics m JOIN trials t ON t.id = m.trial_id"
                + " WHERE t.study_id = ? AND m.name = ? AND m.epoch = ?)"
                + " WHERE rank_in_trial = 1 ORDER BY value " + order + ", trial_id LIMIT ?";
        record Hit(long trialId, long checkpointId, double value) {
        }
        return catalog.locked(() -> {
            List<TrialScore> scores = new ArrayList<>();
            for (Hit hit : catalog.queryList(sql, rs -> new Hit(rs.getLong(1), rs.getLong(2), rs.getDouble(3)),
                    studyId, metric, epoch, k)) {
                TrialRecord trial = catalog.queryOne("SELECT * FROM trials WHERE id = ?", StoreRows::trial,
                        hit.trialId()).orElseThrow();
                scores.add(new TrialScore(trial, checkpointLocked(hit.checkpointId()).orElseThrow(), hit.value()));
            }
            return List.copyOf(scores);
        });
    }

    @Override
    public ModelSnapshot readSnapshot(CheckpointRecord checkpoint) {
        if (!checkpoint.hasWeights()) {
            throw new StoreException("Checkpoint " + checkpoint.id() + " of trial " + checkpoint.trialId()
                    + " in store " + dbFile + " has no weights (metrics only)");
        }
        return SnapshotBlobFormat.read(checkpoint.blobPath(), checkpoint.byteSize(), checkpoint.sha256());
    }

    /**
     * Checks a checkpoint's blob against its recorded size and SHA-256 without deserialising it (an addition to
     * {@link CheckpointStore}, used by {@code fms store verify}).
     *
     * @throws StoreException naming the file when it is missing, truncated or corrupted
     */
    public void verifyBlob(CheckpointRecord checkpoint) {
        if (checkpoint.hasWeights()) {
            SnapshotBlobFormat.verify(checkpoint.blobPath(), checkpoint.byteSize(), checkpoint.sha256());
        }
    }

    // ---- events -----------------------------------------------------------------------------------------------

    @Override
    public long appendEvent(long studyId, Long trialId, String kind, String payloadJson) {
        requireText(kind, "event kind");
        return catalog.locked(() -> {
            requireStudy(studyId);
            return catalog.insert("INSERT INTO events(study_id, trial_id, kind, payload_json, created_ms)"
                    + " VALUES (?, ?, ?, ?, ?)", studyId, trialId, kind, payloadJson, System.currentTimeMillis());
        });
    }

    @Override
    public List<EventRecord> events(long studyId) {
        return catalog.locked(() -> catalog.queryList("SELECT * FROM events WHERE study_id = ? ORDER BY id",
                StoreRows::event, studyId));
    }

    @Override
    public Path location() {
        return dbFile;
    }

    @Override
    public void close() {
        catalog.close();
    }

    @Override
    public String toString() {
        return "SqliteCheckpointStore[" + dbFile + "]";
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private CheckpointRecord checkpointRow(ResultSet rs) throws SQLException {
        return StoreRows.checkpoint(rs, blobFolder);
    }

    private Optional<CheckpointRecord> checkpointLocked(long checkpointId) throws SQLException {
        return catalog.queryOne("SELECT * FROM checkpoints WHERE id = ?", this::checkpointRow, checkpointId);
    }

    private Optional<StudyRecord> studyByNameLocked(String name) throws SQLException {
        return catalog.queryOne("SELECT * FROM studies WHERE name = ?", StoreRows::study, name);
    }

    private void requireStudy(long studyId) throws SQLException {
        if (catalog.queryOne("SELECT id FROM studies WHERE id = ?", rs -> rs.getLong(1), studyId).isEmpty()) {
            throw new StoreException("No study " + studyId + " in store " + dbFile);
        }
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete uncommitted blob {}: {}", file, e.toString());
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already failing
            }
        }
    }
}
