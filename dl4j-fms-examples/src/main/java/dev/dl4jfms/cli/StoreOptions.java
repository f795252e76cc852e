package dev.dl4jfms.cli;

import dev.dl4jfms.store.SqliteCheckpointStore;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --store <file>} option shared by commands that use a checkpoint store (use as a {@code @Mixin}). */
public final class StoreOptions {

    @Option(names = {"-s", "--store"}, required = true, paramLabel = "<file>",
            description = "The checkpoint store (SQLite file; parameter blobs live in <file>.blobs/).")
    Path storeFile;

    /** Opens an existing store; a missing file is a user error (so a typo does not create an empty store). */
    public SqliteCheckpointStore openExisting() {
        if (!Files.exists(storeFile)) {
            throw new CliException("store file " + storeFile.toAbsolutePath() + " does not exist");
        }
        return SqliteCheckpointStore.open(storeFile);
    }

    /** Opens the store, creating it when absent. */
    public SqliteCheckpointStore openOrCreate() {
        return SqliteCheckpointStore.open(storeFile);
    }

    public Path file() {
        return storeFile;
    }
}
