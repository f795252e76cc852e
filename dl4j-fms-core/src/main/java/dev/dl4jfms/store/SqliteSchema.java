package dev.dl4jfms.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates and validates the catalog schema of a {@link SqliteCheckpointStore}.
 *
 * <p>The {@code meta} table holds {@code application = dl4j-fms} (so a foreign database that happens to have a
 * {@code meta} table is not mistaken for a store) and {@code schema_version}. Metric values live both as JSON on the
 * checkpoint row (read back verbatim, NaN included) and as rows of {@code metrics} indexed for the per-epoch
 * ranking and best-checkpoint queries.
 */
final class SqliteSchema {

    static final int SCHEMA_VERSION = 1;
    static final String APPLICATION = "dl4j-fms";

    private static final List<String> DDL = List.of(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "CREATE TABLE studies (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE,"
                    + " settings_json TEXT, created_ms INTEGER NOT NULL)",
            "CREATE TABLE trials (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                    + " study_id INTEGER NOT NULL REFERENCES studies(id),"
                    + " config_json TEXT NOT NULL, unit_vector_json TEXT, arch_signature TEXT,"
                    + " start_checkpoint_id INTEGER, label TEXT, status TEXT NOT NULL, status_reason TEXT,"
                    + " created_ms INTEGER NOT NULL)",
            "CREATE INDEX trials_by_study ON trials(study_id, id)",
            "CREATE INDEX trials_by_signature ON trials(arch_signature)",
            "CREATE TABLE checkpoints (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                    + " trial_id INTEGER NOT NULL REFERENCES trials(id), epoch INTEGER NOT NULL,"
                    + " iteration INTEGER NOT NULL, metrics_json TEXT NOT NULL, blob_path TEXT,"
                    + " byte_size INTEGER NOT NULL, data_type TEXT, sha256 TEXT, created_ms INTEGER NOT NULL)",
            "CREATE INDEX checkpoints_by_trial ON checkpoints(trial_id, epoch, iteration, id)",
            "CREATE TABLE metrics (checkpoint_id INTEGER NOT NULL REFERENCES checkpoints(id),"
                    + " trial_id INTEGER NOT NULL, epoch INTEGER NOT NULL, iteration INTEGER NOT NULL,"
                    + " name TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY (checkpoint_id, name))",
            "CREATE INDEX metrics_by_epoch ON metrics(name, epoch, trial_id)",
            "CREATE INDEX metrics_by_trial ON metrics(trial_id, name, value)",
            "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                    + " study_id INTEGER NOT NULL REFERENCES studies(id), trial_id INTEGER, kind TEXT NOT NULL,"
                    + " payload_json TEXT, created_ms INTEGER NOT NULL)",
            "CREATE INDEX events_by_study ON events(study_id, id)");

    private SqliteSchema() {
    }

    /**
     * Creates the schema in an empty database, or checks that an existing one is a store of a supported version.
     *
     * @throws StoreException naming {@code file} when it is not a store or has another schema version
     */
    static void createOrValidate(Connection connection, Path file) throws SQLException {
        // One immediate transaction, so that two processes opening a new file concurrently create it once.
        connection.setAutoCommit(false);
        try {
            List<String> tables = tables(connection);
            if (tables.isEmpty()) {
                create(connection);
            } else {
                validate(connection, file, tables);
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static void validate(Connection connection, Path file, List<String> tables) {
        if (!tables.contains("meta")) {
            throw new StoreException(file + " is an SQLite database but not a dl4j-fms store (no meta table; "
                    + "tables: " + String.join(", ", tables) + ")");
        }
        String application = metaValue(connection, "application");
        String version = metaValue(connection, "schema_version");
        if (!APPLICATION.equals(application) || version == null) {
            throw new StoreException(file + " is an SQLite database but not a dl4j-fms store (meta table without "
                    + "application=" + APPLICATION + " and schema_version)");
        }
        int found;
        try {
            found = Integer.parseInt(version.trim());
        } catch (NumberFormatException e) {
            throw new StoreException("Store " + file + " has an unreadable schema version '" + version + "'");
        }
        if (found != SCHEMA_VERSION) {
            throw new StoreException("Store " + file + " has schema version " + found + "; this build of dl4j-fms "
                    + "reads schema version " + SCHEMA_VERSION
                    + (found > SCHEMA_VERSION ? " (written by a newer version)" : " (no migration available)"));
        }
    }

    private static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String ddl : DDL) {
                statement.execute(ddl);
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO meta(key, value) VALUES (?, ?)")) {
                insert.setString(1, "application");
                insert.setString(2, APPLICATION);
                insert.executeUpdate();
                insert.setString(1, "schema_version");
                insert.setString(2, Integer.toString(SCHEMA_VERSION));
                insert.executeUpdate();
            }
        }
    }

    private static List<String> tables(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(
                     "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static String metaValue(Connection connection, String key) {
        try (PreparedStatement query = connection.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            query.setString(1, key);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            // a foreign meta table without key/value columns
            return null;
        }
    }
}
