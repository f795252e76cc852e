package dev.dl4jfms.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
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
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;

    private SqliteCheckpointStore(Path dbFile, Path blobFolder, Connection connection) {
        this.dbFile = dbFile;
        this.blobFolder = blobFolder;
        this.connection = connection;
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
        return locked(() -> {
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                return rs.getString(1).toLowerCase(Locale.ROOT);
            }
        });
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
        return locked(() -> {
            if (studyByNameLocked(name).isPresent()) {
                throw new StoreException("Study '" + name + "' already exists in store " + dbFile);
            }
            long now = System.currentTimeMillis();
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO studies(name, settings_json, created_ms) VALUES (?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                insert.setString(1, name);
                insert.setString(2, settingsJson);
                insert.setLong(3, now);
                insert.executeUpdate();
                return new StudyRecord(generatedId(insert), name, settingsJson, Instant.ofEpochMilli(now));
            }
        });
    }

    @Override
    public void updateStudySettings(long studyId, String settingsJson) {
        locked(() -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE studies SET settings_json = ? WHERE id = ?")) {
                update.setString(1, settingsJson);
                update.setLong(2, studyId);
                if (update.executeUpdate() == 0) {
                    throw new StoreException("No study " + studyId + " in store " + dbFile);
                }
            }
            return null;
        });
    }

    @Override
    public Optional<StudyRecord> study(long studyId) {
        return locked(() -> queryOne("SELECT * FROM studies WHERE id = ?", StoreRows::study, studyId));
    }

    @Override
    public Optional<StudyRecord> studyByName(String name) {
        return locked(() -> studyByNameLocked(name));
    }

    @Override
    public List<StudyRecord> studies() {
        return locked(() -> queryList("SELECT * FROM studies ORDER BY id", StoreRows::study));
    }

    // ---- trials -----------------------------------------------------------------------------------------------

    @Override
    public TrialRecord createTrial(long studyId, NewTrial trial) {
        return locked(() -> {
            requireStudy(studyId);
            long now = System.currentTimeMillis();
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO trials(study_id, config_json, unit_vector_json, arch_signature, start_checkpoint_id,"
                            + " label, status, status_reason, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                insert.setLong(1, studyId);
                insert.setString(2, trial.configJson());
                insert.setString(3, StoreJson.vectorToJson(trial.unitVector()));
                insert.setString(4, trial.architectureSignature());
                if (trial.startCheckpointId() == null) {
                    insert.setNull(5, Types.INTEGER);
                } else {
                    insert.setLong(5, trial.startCheckpointId());
                }
                insert.setString(6, trial.label());
                insert.setString(7, TrialStatus.PENDING.name());
                insert.setLong(8, now);
                insert.executeUpdate();
                return new TrialRecord(generatedId(insert), studyId, trial.configJson(), trial.unitVector(),
                        trial.architectureSignature(), trial.startCheckpointId(), trial.label(), TrialStatus.PENDING,
                        null, Instant.ofEpochMilli(now));
            }
        });
    }

    @Override
    public Optional<TrialRecord> trial(long trialId) {
        return locked(() -> queryOne("SELECT * FROM trials WHERE id = ?", StoreRows::trial, trialId));
    }

    @Override
    public List<TrialRecord> trials(long studyId) {
        return locked(() -> queryList("SELECT * FROM trials WHERE study_id = ? ORDER BY id", StoreRows::trial,
                studyId));
    }

    @Override
    public void updateTrialStatus(long trialId, TrialStatus status, String reason) {
        if (status == null) {
            throw new IllegalArgumentException("status is required");
        }
        locked(() -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE trials SET status = ?, status_reason = ? WHERE id = ?")) {
                update.setString(1, status.name());
                update.setString(2, reason);
                update.setLong(3, trialId);
                if (update.executeUpdate() == 0) {
                    throw new StoreException("No trial " + trialId + " in store " + dbFile);
                }
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
        locked(() -> queryOne("SELECT id FROM trials WHERE id = ?", rs -> rs.getLong(1), trialId))
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
            return locked(() -> insertCheckpoint(trialId, epoch, iteration, metricsJson, blobPath, written));
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
        connection.setAutoCommit(false);
        try {
            long id;
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO checkpoints(trial_id, epoch, iteration, metrics_json, blob_path, byte_size, data_type,"
                            + " sha256, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                insert.setLong(1, trialId);
                insert.setInt(2, epoch);
                insert.setLong(3, iteration);
                insert.setString(4, metricsJson);
                insert.setString(5, blobPath);
                insert.setLong(6, blob == null ? 0 : blob.byteSize());
                insert.setString(7, blob == null ? null : blob.dataType());
                insert.setString(8, blob == null ? null : blob.sha256());
                insert.setLong(9, now);
                insert.executeUpdate();
                id = generatedId(insert);
            }
            Map<String, Double> metrics = StoreJson.metricsFromJson(metricsJson);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO metrics(checkpoint_id, trial_id, epoch, iteration, name, value)"
                            + " VALUES (?, ?, ?, ?, ?, ?)")) {
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
            connection.commit();
            return new CheckpointRecord(id, trialId, epoch, iteration, metrics,
                    blob == null ? null : blob.path(), blob == null ? 0 : blob.byteSize(),
                    blob == null ? null : blob.dataType(), blob == null ? null : blob.sha256(),
                    Instant.ofEpochMilli(now));
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    @Override
    public List<CheckpointRecord> checkpoints(long trialId) {
        return locked(() -> queryList("SELECT * FROM checkpoints WHERE trial_id = ? ORDER BY epoch, iteration, id",
                this::checkpointRow, trialId));
    }

    @Override
    public Optional<CheckpointRecord> checkpoint(long checkpointId) {
        return locked(() -> queryOne("SELECT * FROM checkpoints WHERE id = ?", this::checkpointRow, checkpointId));
    }

    @Override
    public Optional<CheckpointRecord> latestCheckpoint(long trialId) {
        return locked(() -> queryOne("SELECT * FROM checkpoints WHERE trial_id = ?"
                + " ORDER BY epoch DESC, iteration DESC, id DESC LIMIT 1", this::checkpointRow, trialId));
    }

    @Override
    public Optional<CheckpointRecord> bestCheckpoint(long trialId, String metric, boolean higherIsBetter) {
        String order = higherIsBetter ? "DESC" : "ASC";
        return locked(() -> queryOne("SELECT c.* FROM metrics m JOIN checkpoints c ON c.id = m.checkpoint_id"
                        + " WHERE m.trial_id = ? AND m.name = ? ORDER BY m.value " + order + ", c.epoch, c.id LIMIT 1",
                this::checkpointRow, trialId, metric));
    }

    @Override
    public List<CheckpointRecord> checkpointsByArchitecture(String signature) {
        return locked(() -> queryList("SELECT c.* FROM checkpoints c JOIN trials t ON t.id = c.trial_id"
                        + " WHERE t.arch_signature = ? AND c.blob_path IS NOT NULL"
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
        return locked(() -> {
            List<long[]> ids = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            try (PreparedStatement query = prepare(sql, studyId, metric, epoch, k); ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    ids.add(new long[] {rs.getLong(1), rs.getLong(2)});
                    values.add(rs.getDouble(3));
                }
            }
            List<TrialScore> scores = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                TrialRecord trial = queryOne("SELECT * FROM trials WHERE id = ?", StoreRows::trial, ids.get(i)[0])
                        .orElseThrow();
                CheckpointRecord checkpoint = queryOne("SELECT * FROM checkpoints WHERE id = ?", this::checkpointRow,
                        ids.get(i)[1]).orElseThrow();
                scores.add(new TrialScore(trial, checkpoint, values.get(i)));
            }
            return scores;
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
        return locked(() -> {
            requireStudy(studyId);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO events(study_id, trial_id, kind, payload_json, created_ms) VALUES (?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                insert.setLong(1, studyId);
                if (trialId == null) {
                    insert.setNull(2, Types.INTEGER);
                } else {
                    insert.setLong(2, trialId);
                }
                insert.setString(3, kind);
                insert.setString(4, payloadJson);
                insert.setLong(5, System.currentTimeMillis());
                insert.executeUpdate();
                return generatedId(insert);
            }
        });
    }

    @Override
    public List<EventRecord> events(long studyId) {
        return locked(() -> queryList("SELECT * FROM events WHERE study_id = ? ORDER BY id", StoreRows::event,
                studyId));
    }

    @Override
    public Path location() {
        return dbFile;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                connection.close();
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot close store " + dbFile + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "SqliteCheckpointStore[" + dbFile + "]";
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    private <T> T locked(SqlWork<T> work) {
        lock.lock();
        try {
            if (closed) {
                throw new StoreException("Store " + dbFile + " is closed");
            }
            return work.run();
        } catch (SQLException e) {
            throw new StoreException("Store " + dbFile + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private CheckpointRecord checkpointRow(ResultSet rs) throws SQLException {
        return StoreRows.checkpoint(rs, blobFolder);
    }

    private Optional<StudyRecord> studyByNameLocked(String name) throws SQLException {
        return queryOne("SELECT * FROM studies WHERE name = ?", StoreRows::study, name);
    }

    private void requireStudy(long studyId) throws SQLException {
        if (queryOne("SELECT id FROM studies WHERE id = ?", rs -> rs.getLong(1), studyId).isEmpty()) {
            throw new StoreException("No study " + studyId + " in store " + dbFile);
        }
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
        return statement;
    }

    private <T> Optional<T> queryOne(String sql, StoreRows.Mapper<T> mapper, Object... args) throws SQLException {
        try (PreparedStatement query = prepare(sql, args); ResultSet rs = query.executeQuery()) {
            return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
        }
    }

    private <T> List<T> queryList(String sql, StoreRows.Mapper<T> mapper, Object... args) throws SQLException {
        List<T> rows = new ArrayList<>();
        try (PreparedStatement query = prepare(sql, args); ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                rows.add(mapper.map(rs));
            }
        }
        return List.copyOf(rows);
    }

    private static long generatedId(PreparedStatement insert) throws SQLException {
        try (ResultSet keys = insert.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("no generated id");
            }
            return keys.getLong(1);
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
