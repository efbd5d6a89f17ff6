package dev.batchwise.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A file of function outputs keyed by a hash, in SQLite: a table {@code outputs(key BLOB PRIMARY KEY,
 * value BLOB)}, in write-ahead-log mode. A rowid table, not a WITHOUT ROWID one: its rows (an
 * embedding is 1.5 kB) are far above the twentieth of a page that SQLite advises for the latter, and
 * new rows are appended, with only the key's small index entry going to a random place. A process killed at any point (kill -9
 * included) leaves the file as of its last committed {@link #put}: SQLite's log makes each put
 * atomic, and the next open rolls back whatever was half-written. Synchronous mode NORMAL: a commit
 * survives the process's death at once, and the machine's within the next checkpoint.
 *
 * <p>Thread-safety: one connection, used under this object's monitor; calls from several workers
 * take turns (each is one statement or one transaction). Other processes may use the same file at
 * the same time: SQLite locks it, and a writer waits up to {@link #BUSY_MILLIS} for another.
 */
public final class OutputStore implements AutoCloseable {

    /** How long a write waits for another process's write to the same file. */
    static final int BUSY_MILLIS = 30_000;
    /** Keys per lookup statement: well under SQLite's limit of host parameters. */
    private static final int KEYS_PER_QUERY = 500;
    static final String SCHEMA_VERSION = "1";

    private final Path file;
    private final Connection connection;
    /** Guarded by {@code this}. */
    private final PreparedStatement insert;
    /** Guarded by {@code this}. */
    private final PreparedStatement select;

    private OutputStore(Path file, Connection connection) throws SQLException {
        this.file = file;
        this.connection = connection;
        this.insert = connection.prepareStatement("INSERT OR REPLACE INTO outputs(key, value) VALUES (?, ?)");
        this.select = connection.prepareStatement("SELECT value FROM outputs WHERE key = ?");
    }

    /**
     * Opens the store at {@code file}, creating it when absent.
     *
     * @throws IOException when the file cannot be opened or created, or is not such a store (another
     *     SQLite database, or not a database), saying which
     */
    public static OutputStore open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IOException("the cache " + file + " cannot be created: no directory " + parent);
        }
        Connection c = null;
        try {
            c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = " + BUSY_MILLIS);
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = NORMAL");
                s.execute("CREATE TABLE IF NOT EXISTS batchwise_cache(name TEXT PRIMARY KEY, value TEXT NOT NULL)");
                s.execute("INSERT OR IGNORE INTO batchwise_cache VALUES ('schema', '" + SCHEMA_VERSION + "')");
                try (ResultSet r = s.executeQuery("SELECT value FROM batchwise_cache WHERE name = 'schema'")) {
                    String version = r.next() ? r.getString(1) : null;
                    if (!SCHEMA_VERSION.equals(version)) {
                        throw new IOException("the cache " + file + " is of another version (" + version + ") of "
                                + "batchwise's cache; use another file");
                    }
                }
                s.execute("CREATE TABLE IF NOT EXISTS outputs(key BLOB PRIMARY KEY, value BLOB NOT NULL)");
            }
            c.setAutoCommit(false);
            c.commit();
            return new OutputStore(file, c);
        } catch (SQLException e) {
            closeQuietly(c);
            throw new IOException("cannot open the cache " + file + ": " + message(e), e);
        } catch (IOException e) {
            closeQuietly(c);
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /**
     * The stored value of {@code key}, or {@code null}.
     *
     * @throws IOException when the store cannot be read
     */
    public synchronized byte[] get(byte[] key) throws IOException {
        try {
            select.setBytes(1, key);
            byte[] value;
            try (ResultSet r = select.executeQuery()) {
                value = r.next() ? r.getBytes(1) : null;
            }
            connection.commit();
            return value;
        } catch (SQLException e) {
            rollback();
            throw new IOException("cannot read the cache " + file + ": " + message(e), e);
        }
    }

    /**
     * The stored values of {@code keys}, in their order, {@code null} where a key has none.
     *
     * @throws IOException when the store cannot be read
     */
    public synchronized byte[][] get(List<byte[]> keys) throws IOException {
        byte[][] values = new byte[keys.size()][];
        try {
            for (int from = 0; from < keys.size(); from += KEYS_PER_QUERY) {
                List<byte[]> part = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_QUERY));
                StringBuilder sql = new StringBuilder("SELECT key, value FROM outputs WHERE key IN (");
                for (int i = 0; i < part.size(); i++) {
                    sql.append(i == 0 ? "?" : ",?");
                }
                try (PreparedStatement q = connection.prepareStatement(sql.append(')').toString())) {
                    for (int i = 0; i < part.size(); i++) {
                        q.setBytes(i + 1, part.get(i));
                    }
                    try (ResultSet r = q.executeQuery()) {
                        while (r.next()) {
                            byte[] key = r.getBytes(1);
                            byte[] value = r.getBytes(2);
                            for (int i = 0; i < part.size(); i++) {
                                if (values[from + i] == null && java.util.Arrays.equals(key, part.get(i))) {
                                    values[from + i] = value;
                                }
                            }
                        }
                    }
                }
            }
            connection.commit();
        } catch (SQLException e) {
            rollback();
            throw new IOException("cannot read the cache " + file + ": " + message(e), e);
        }
        return values;
    }

    /**
     * Stores each value under its key, all in one transaction: after a crash, either all are there
     * or none.
     *
     * @throws IOException when the store cannot be written
     */
    public synchronized void put(List<byte[]> keys, List<byte[]> values) throws IOException {
        try {
            for (int i = 0; i < keys.size(); i++) {
                insert.setBytes(1, keys.get(i));
                insert.setBytes(2, values.get(i));
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            rollback();
            throw new IOException("cannot write the cache " + file + ": " + message(e), e);
        }
    }

    /** How many outputs the store holds. */
    public synchronized long size() throws IOException {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM outputs")) {
            r.next();
            long n = r.getLong(1);
            connection.commit();
            return n;
        } catch (SQLException e) {
            rollback();
            throw new IOException("cannot read the cache " + file + ": " + message(e), e);
        }
    }

    /** SQLite's own check of the whole file: "ok", or what is wrong. */
    public synchronized List<String> integrityCheck() throws IOException {
        List<String> out = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
            while (r.next()) {
                out.add(r.getString(1));
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IOException("cannot check the cache " + file + ": " + message(e), e);
        }
        return out;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            insert.close();
            select.close();
            connection.close();
        } catch (SQLException e) {
            throw new IOException("cannot close the cache " + file + ": " + message(e), e);
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the failure being reported is the one that matters
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // reporting the open's failure
            }
        }
    }

    private static String message(SQLException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
