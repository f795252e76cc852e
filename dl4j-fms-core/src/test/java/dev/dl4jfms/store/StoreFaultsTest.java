package dev.dl4jfms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input and damaged files: every error names the file and the problem, and nothing else is damaged. */
class StoreFaultsTest {

    @TempDir
    Path dir;

    @Test
    void textFileIsNotAStore() throws IOException {
        Path text = dir.resolve("notes.db");
        Files.writeString(text, "this is a text file, not a database\n".repeat(50));
        StoreException e = assertThrows(StoreException.class, () -> SqliteCheckpointStore.open(text));
        assertTrue(e.getMessage().contains(text.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a dl4j-fms store"), e.getMessage());
        assertTrue(Files.readString(text).startsWith("this is a text file"), "file left untouched");
    }

    @Test
    void foreignSqliteDatabaseIsNotAStore() throws SQLException {
        Path foreign = dir.resolve("foreign.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + foreign);
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
        }
        StoreException e = assertThrows(StoreException.class, () -> SqliteCheckpointStore.open(foreign));
        assertTrue(e.getMessage().contains(foreign.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("customers"), e.getMessage());
    }

    @Test
    void directoryIsNotAStore() {
        StoreException e = assertThrows(StoreException.class, () -> SqliteCheckpointStore.open(dir));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
    }

    @Test
    void unknownSchemaVersionIsRejected() throws SQLException {
        Path db = dir.resolve("s.db");
        SqliteCheckpointStore.open(db).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
        }
        StoreException e = assertThrows(StoreException.class, () -> SqliteCheckpointStore.open(db));
        assertTrue(e.getMessage().contains(db.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
        assertTrue(e.getMessage().contains("reads schema version " + SqliteSchema.SCHEMA_VERSION), e.getMessage());
    }

    @Test
    void corruptedBlobFailsChecksumAndOthersStillRead() throws IOException {
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(dir.resolve("s.db"))) {
            CheckpointRecord[] cps = twoCheckpoints(store);
            Path blob = cps[0].blobPath();
            byte[] bytes = Files.readAllBytes(blob);
            bytes[bytes.length / 2] ^= 0x40; // flip one bit in the middle of the parameters
            Files.write(blob, bytes);

            StoreException e = assertThrows(StoreException.class, () -> store.readSnapshot(cps[0]));
            assertTrue(e.getMessage().contains(blob.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
            assertEquals(cps[1].epoch(), store.readSnapshot(cps[1]).epochCount(),
                    "the other checkpoint still reads");
            assertEquals(2, store.checkpoints(cps[0].trialId()).size());
        }
    }

    @Test
    void truncatedBlobIsReported() throws IOException {
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(dir.resolve("s.db"))) {
            CheckpointRecord[] cps = twoCheckpoints(store);
            Path blob = cps[1].blobPath();
            try (FileChannel ch = FileChannel.open(blob, StandardOpenOption.WRITE)) {
                ch.truncate(cps[1].byteSize() - 100);
            }
            StoreException e = assertThrows(StoreException.class, () -> store.readSnapshot(cps[1]));
            assertTrue(e.getMessage().contains(blob.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());

            Files.delete(blob);
            StoreException missing = assertThrows(StoreException.class, () -> store.readSnapshot(cps[1]));
            assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
        }
    }

    @Test
    void blobFormatDetectsTruncationWithoutCatalog() throws IOException {
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(dir.resolve("s.db"))) {
            Path blob = twoCheckpoints(store)[0].blobPath();
            byte[] bytes = Files.readAllBytes(blob);
            Path cut = dir.resolve("cut.fmsb");
            Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 2));
            StoreException e = assertThrows(StoreException.class, () -> SnapshotBlobFormat.read(cut, null, null));
            assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
            Path notBlob = dir.resolve("text.fmsb");
            Files.writeString(notBlob, "hello, not a blob");
            StoreException magic = assertThrows(StoreException.class,
                    () -> SnapshotBlobFormat.read(notBlob, null, null));
            assertTrue(magic.getMessage().contains("not a dl4j-fms checkpoint blob"), magic.getMessage());
        }
    }

    @Test
    void orphanTemporaryBlobsAreSweptOnOpen() throws IOException {
        Path db = dir.resolve("s.db");
        SqliteCheckpointStore.open(db).close();
        Path folder = SqliteCheckpointStore.blobFolderOf(db).resolve("trial-1");
        Files.createDirectories(folder);
        Path old = Files.writeString(folder.resolve("e1-i1-x.fmsb.tmp"), "half written");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path fresh = Files.writeString(folder.resolve("e1-i2-y.fmsb.tmp"), "being written by another process");
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(db)) {
            assertFalse(Files.exists(old), "crashed writer's temp file removed");
            assertTrue(Files.exists(fresh), "a recent temp file may belong to a live writer");
            assertTrue(store.studies().isEmpty());
            assertEquals(1, store.sweepTemporaryBlobs(Duration.ZERO));
        }
    }

    /** Two checkpoints with weights: epochs 1 and 2 of one trial. */
    private static CheckpointRecord[] twoCheckpoints(CheckpointStore store) {
        long study = store.createStudy("s", null).id();
        long trial = store.createTrial(study, new NewTrial("{}", null, null, null, null)).id();
        var net = TinyNetworks.mlp(8, 5);
        net.fit(TinyNetworks.data(64, 16, 1));
        CheckpointRecord first = store.putCheckpoint(trial, 1, 4, Map.of(), ModelSnapshots.of(net));
        net.fit(TinyNetworks.data(64, 16, 2));
        CheckpointRecord second = store.putCheckpoint(trial, 2, 8, Map.of(), ModelSnapshots.of(net));
        return new CheckpointRecord[] {first, second};
    }
}
