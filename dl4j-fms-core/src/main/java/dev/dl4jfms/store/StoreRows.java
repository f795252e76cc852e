package dev.dl4jfms.store;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Maps catalog rows ({@code SELECT *} of one table) to the store's records. */
final class StoreRows {

    @FunctionalInterface
    interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private StoreRows() {
    }

    static StudyRecord study(ResultSet rs) throws SQLException {
        return new StudyRecord(rs.getLong("id"), rs.getString("name"), rs.getString("settings_json"),
                Instant.ofEpochMilli(rs.getLong("created_ms")));
    }

    static TrialRecord trial(ResultSet rs) throws SQLException {
        long start = rs.getLong("start_checkpoint_id");
        Long startCheckpoint = rs.wasNull() ? null : start;
        return new TrialRecord(rs.getLong("id"), rs.getLong("study_id"), rs.getString("config_json"),
                StoreJson.vectorFromJson(rs.getString("unit_vector_json")), rs.getString("arch_signature"),
                startCheckpoint, rs.getString("label"), TrialStatus.valueOf(rs.getString("status")),
                rs.getString("status_reason"), Instant.ofEpochMilli(rs.getLong("created_ms")));
    }

    static CheckpointRecord checkpoint(ResultSet rs, Path blobFolder) throws SQLException {
        String blob = rs.getString("blob_path");
        return new CheckpointRecord(rs.getLong("id"), rs.getLong("trial_id"), rs.getInt("epoch"),
                rs.getLong("iteration"), StoreJson.metricsFromJson(rs.getString("metrics_json")),
                blob == null ? null : blobFolder.resolve(blob), rs.getLong("byte_size"), rs.getString("data_type"),
                rs.getString("sha256"), Instant.ofEpochMilli(rs.getLong("created_ms")));
    }

    static EventRecord event(ResultSet rs) throws SQLException {
        long trial = rs.getLong("trial_id");
        Long trialId = rs.wasNull() ? null : trial;
        return new EventRecord(rs.getLong("id"), rs.getLong("study_id"), trialId, rs.getString("kind"),
                rs.getString("payload_json"), Instant.ofEpochMilli(rs.getLong("created_ms")));
    }
}
