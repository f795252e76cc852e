package dev.dl4jfms.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One SQLite connection shared by many threads: every use holds a lock, statements are prepared with bound
 * parameters, and {@link SQLException}s become {@link StoreException}s naming the database file.
 */
final class SqliteCatalog implements AutoCloseable {

    @FunctionalInterface
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    private final Path dbFile;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    SqliteCatalog(Path dbFile, Connection connection) {
        this.dbFile = dbFile;
        this.connection = connection;
    }

    /** Runs {@code work} holding the connection lock. */
    <T> T locked(SqlWork<T> work) {
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

    /** Runs {@code work} in one (immediate) transaction, rolled back when it throws. */
    <T> T transaction(SqlWork<T> work) {
        return locked(() -> {
            connection.setAutoCommit(false);
            try {
                T result = work.run();
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        });
    }

    /** Executes an INSERT and returns the generated row id. Call while {@link #locked}. */
    long insert(String sql, Object... args) throws SQLException {
        try (PreparedStatement insert = prepare(sql, Statement.RETURN_GENERATED_KEYS, args)) {
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no generated id for " + sql);
                }
                return keys.getLong(1);
            }
        }
    }

    /** Executes an UPDATE/DELETE and returns the number of rows changed. Call while {@link #locked}. */
    int update(String sql, Object... args) throws SQLException {
        try (PreparedStatement update = prepare(sql, Statement.NO_GENERATED_KEYS, args)) {
            return update.executeUpdate();
        }
    }

    <T> Optional<T> queryOne(String sql, StoreRows.Mapper<T> mapper, Object... args) throws SQLException {
        try (PreparedStatement query = prepare(sql, Statement.NO_GENERATED_KEYS, args);
             ResultSet rs = query.executeQuery()) {
            return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
        }
    }

    <T> List<T> queryList(String sql, StoreRows.Mapper<T> mapper, Object... args) throws SQLException {
        List<T> rows = new ArrayList<>();
        try (PreparedStatement query = prepare(sql, Statement.NO_GENERATED_KEYS, args);
             ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                rows.add(mapper.map(rs));
            }
        }
        return List.copyOf(rows);
    }

    /** A statement for batched execution; the caller closes it. Call while {@link #locked}. */
    PreparedStatement prepareBatch(String sql) throws SQLException {
        return connection.prepareStatement(sql);
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

    private PreparedStatement prepare(String sql, int generatedKeys, Object... args) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql, generatedKeys);
        try {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }
}
