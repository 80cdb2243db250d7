package io.cloudpilot.platform.registry;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.sqlite.SQLiteConfig;

/**
 * The registry's JDBC connections: SQLite (default, a file in the data directory) or PostgreSQL (when
 * {@code db.url} names one). A small pool: at most {@code db.pool-size} connections, idle ones kept and checked
 * before reuse, a connection that failed is closed rather than reused. No ORM, no DataSource library.
 */
public final class Database implements AutoCloseable {

    /** The SQL dialects the migrations and statements are written for. */
    public enum Dialect {
        /** The embedded default. */
        SQLITE,
        /** The shared database of several replicas. */
        POSTGRESQL
    }

    /** The SQLite file's name in the data directory. */
    public static final String SQLITE_FILE = "cloudpilot.db";

    private static final long BORROW_TIMEOUT_SECONDS = 10;
    private static final long CHECK_IDLE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int SQLITE_BUSY_TIMEOUT_MS = 5000;

    private final Dialect dialect;
    private final String url;
    private final Path sqliteFile;
    private final Properties properties;
    private final String description;
    private final int poolSize;
    private final Semaphore permits;
    private final Deque<Idle> idle = new ArrayDeque<>();
    private volatile boolean closed;

    private record Idle(Connection connection, long since) {
    }

    /** Work done with a connection. */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * @param connection a connection; do not close it
         * @return the result
         * @throws SQLException on a database error
         */
        T run(Connection connection) throws SQLException;
    }

    private Database(Dialect dialect, String url, Path sqliteFile, Properties properties, String description,
                     int poolSize) {
        this.dialect = dialect;
        this.url = url;
        this.sqliteFile = sqliteFile;
        this.properties = properties;
        this.description = description;
        this.poolSize = poolSize;
        this.permits = new Semaphore(poolSize, true);
    }

    /**
     * Chooses the database from the configuration; connects on first use.
     *
     * @param config the registry's settings
     * @return the database
     * @throws IllegalArgumentException when {@code db.url} names an unsupported database
     */
    public static Database of(RegistryConfig config) {
        String url = config.dbUrl().orElse(null);
        if (url == null || url.startsWith("jdbc:sqlite:")) {
            Path file = url == null ? config.dataDir().resolve(SQLITE_FILE).toAbsolutePath()
                    : Path.of(url.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", "")).toAbsolutePath();
            SQLiteConfig sqlite = new SQLiteConfig();
            sqlite.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
            sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
            sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            // writers take the lock when their transaction begins: no "database is locked" on a read→write upgrade
            sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            return new Database(Dialect.SQLITE, "jdbc:sqlite:" + file, file, sqlite.toProperties(), "SQLite at " + file,
                    config.poolSize());
        }
        if (url.startsWith("jdbc:postgresql:")) {
            Properties p = new Properties();
            config.dbUser().ifPresent(u -> p.setProperty("user", u));
            config.dbPassword().ifPresent(pw -> p.setProperty("password", pw));
            long connectSeconds = Math.max(1, config.clientSettings().connectTimeout().toSeconds());
            p.setProperty("connectTimeout", Long.toString(connectSeconds));
            p.setProperty("loginTimeout", Long.toString(connectSeconds));
            p.setProperty("socketTimeout", "30");
            p.setProperty("ApplicationName", "cloudpilot");
            // server error details can quote a failing row: keep them out of exception messages and logs
            p.setProperty("logServerErrorDetail", "false");
            return new Database(Dialect.POSTGRESQL, url, null, p, "PostgreSQL at " + redact(url), config.poolSize());
        }
        throw new IllegalArgumentException("db.url must be a jdbc:postgresql: URL (or jdbc:sqlite:<file>); '"
                + redact(url) + "' is neither. Leave it unset to use the embedded SQLite file.");
    }

    /**
     * @param url a JDBC URL
     * @return it without query parameters or user information (they may hold a password)
     */
    static String redact(String url) {
        String s = url.replaceFirst("\\?.*$", "");
        return s.replaceFirst("//[^/@]*@", "//");
    }

    /** @return the dialect */
    public Dialect dialect() {
        return dialect;
    }

    /** @return e.g. {@code SQLite at /var/lib/cloudpilot/cloudpilot.db}; never a password */
    public String description() {
        return description;
    }

    /** @return the SQLite file, or null for PostgreSQL */
    public Path sqliteFile() {
        return sqliteFile;
    }

    /**
     * Runs work on a connection in auto-commit mode.
     *
     * @param work the work
     * @param <T>  its result
     * @return its result
     * @throws SQLException on a database error
     */
    public <T> T read(Work<T> work) throws SQLException {
        Connection c = borrow();
        boolean ok = false;
        try {
            T result = work.run(c);
            ok = true;
            return result;
        } finally {
            giveBack(c, ok);
        }
    }

    /**
     * Runs work in one transaction: committed when it returns, rolled back when it throws.
     *
     * @param work the work
     * @param <T>  its result
     * @return its result
     * @throws SQLException on a database error
     */
    public <T> T transaction(Work<T> work) throws SQLException {
        Connection c = borrow();
        boolean ok = false;
        try {
            c.setAutoCommit(false);
            T result = work.run(c);
            c.commit();
            ok = true;
            return result;
        } finally {
            if (!ok) {
                try {
                    c.rollback();
                } catch (SQLException | RuntimeException ignored) {
                    // the connection is dropped below
                }
            }
            giveBack(c, ok);
        }
    }

    private Connection borrow() throws SQLException {
        if (closed) {
            throw new SQLTransientConnectionException("the registry database is closed");
        }
        try {
            if (!permits.tryAcquire(BORROW_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new SQLTransientConnectionException("all " + poolSize + " registry database connections stayed "
                        + "busy for " + BORROW_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for a database connection");
        }
        try {
            while (true) {
                Idle candidate;
                synchronized (idle) {
                    candidate = idle.pollFirst();
                }
                if (candidate == null) {
                    return connect();
                }
                if (System.nanoTime() - candidate.since() < CHECK_IDLE_AFTER_NANOS || isValid(candidate.connection())) {
                    return candidate.connection();
                }
                closeQuietly(candidate.connection());
            }
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    private void giveBack(Connection c, boolean ok) {
        try {
            if (ok && !closed) {
                if (!c.getAutoCommit()) {
                    c.setAutoCommit(true);
                }
                synchronized (idle) {
                    idle.addFirst(new Idle(c, System.nanoTime()));
                }
            } else {
                closeQuietly(c);
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
        } finally {
            permits.release();
        }
    }

    private Connection connect() throws SQLException {
        Connection c;
        if (dialect == Dialect.SQLITE) {
            prepareSqliteFile();
            c = new org.sqlite.JDBC().connect(url, properties);
        } else {
            c = new org.postgresql.Driver().connect(url, properties);
        }
        if (c == null) {
            throw new SQLException("the JDBC driver does not accept " + redact(url));
        }
        return c;
    }

    /** Creates the SQLite file private to CloudPilot's user before SQLite creates it with the umask's permissions. */
    private void prepareSqliteFile() throws SQLException {
        try {
            Path dir = sqliteFile.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            if (!Files.exists(sqliteFile)) {
                try {
                    if (dir != null && Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null) {
                        Files.createFile(sqliteFile, PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-------")));
                    } else {
                        Files.createFile(sqliteFile);
                    }
                } catch (FileAlreadyExistsException raced) {
                    // fine
                }
            }
        } catch (IOException e) {
            throw new SQLException("cannot create " + sqliteFile + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static boolean isValid(Connection c) {
        try {
            return c.isValid(2);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // nothing to do
        }
    }

    /** Closes the idle connections; connections in use are closed when given back. */
    @Override
    public void close() {
        closed = true;
        synchronized (idle) {
            idle.forEach(i -> closeQuietly(i.connection()));
            idle.clear();
        }
    }

    @Override
    public String toString() {
        return "Database[" + description + "]";
    }
}
