package io.cloudpilot.platform.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.cloudpilot.platform.registry.Database;
import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.AuditLog;

/**
 * The audit log: every write and every denied request, one entry each (time, principal, role, action, cluster,
 * object, result, HTTP status), written three ways:
 * <ul>
 *   <li>a line to the logger {@code cloudpilot.audit} (whatever the logging configuration does with it);</li>
 *   <li>a line to the dedicated file {@code cloudpilot.audit.file} (default {@code <data-dir>/audit.log});</li>
 *   <li>a row of the table {@code audit_log} in CloudPilot's database, read by {@code GET /audit}.</li>
 * </ul>
 * The log lines are written before the response leaves; rows are written by one background thread in batches
 * (a flood of denied requests costs the database one transaction per batch, not one per request), and
 * {@link #query} waits for the rows queued before it. Auditing never fails the request it records.
 *
 * <p>Plugins record through the SPI's {@link AuditLog}: during a request their entries are held until the
 * response is known and written with the request's caller and status.
 */
public final class AuditTrail implements AuditLog, AutoCloseable {

    private static final System.Logger AUDIT = System.getLogger("cloudpilot.audit");
    private static final System.Logger LOG = System.getLogger(AuditTrail.class.getName());
    private static final int QUEUE = 10_000;
    private static final int BATCH = 500;
    private static final Duration FLUSH_WAIT = Duration.ofSeconds(5);

    private final Optional<Path> file;
    private final Supplier<Database> database;
    private final boolean ownsDatabase;
    private final BlockingQueue<Queued> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Object doneSignal = new Object();
    private final Thread writer;
    private volatile AuditStore store;
    private BufferedWriter fileOut;
    private volatile boolean closed;

    private record Queued(long seq, AuditRecord record) {
    }

    /**
     * @param file         the dedicated audit file, if any
     * @param database     opens the database the rows go to (called once, on the first row or read)
     * @param ownsDatabase whether {@link #close()} closes that database (false when the registry shares its own)
     */
    public AuditTrail(Optional<Path> file, Supplier<Database> database, boolean ownsDatabase) {
        this.file = file;
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        this.writer = Thread.ofPlatform().daemon().name("cloudpilot-audit-writer").unstarted(this::writeRows);
        this.writer.start();
    }

    /**
     * A plugin's entry: held for the current request and written with its caller and status, or written at once
     * outside a request.
     */
    @Override
    public void record(Entry e) {
        try {
            RequestAudit request = RequestAudit.current();
            if (request != null) {
                request.add(e);
                return;
            }
            write(new AuditRecord(Instant.now(), "system", null, orDash(e.action()), null, null, e.cluster(),
                    e.namespace(), e.object(), e.from(), e.to(), orDash(e.result()), 0));
        } catch (RuntimeException ignored) {
            // auditing must never break the request it records
        }
    }

    /**
     * Writes the entries of a finished request: one per entry its plugins recorded, or, for a write or a denied
     * request that recorded none, one for the request itself.
     *
     * @param request   the request
     * @param status    the HTTP status answered
     * @param errorType the error type of an error answer, or null
     */
    public void finish(RequestAudit request, int status, String errorType) {
        try {
            Instant now = Instant.now();
            List<Entry> entries = request.entries();
            String result = request.isDenied() ? "denied" : status < 400 ? "ok" : errorType == null ? "HTTP " + status
                    : errorType;
            if (entries.isEmpty()) {
                if (!isWrite(request.method()) && status != 401 && status != 403) {
                    return;
                }
                write(new AuditRecord(now, request.principal(), request.role(),
                        request.method() + " " + request.path(), request.method(), request.path(),
                        request.clusterParam(), null, null, null, null, result, status));
                return;
            }
            for (Entry e : entries) {
                write(new AuditRecord(now, request.principal(), request.role(), orDash(e.action()), request.method(),
                        request.path(), e.cluster(), e.namespace(), e.object(), e.from(), e.to(),
                        e.result() == null ? result : e.result(), status));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Writing an audit entry failed: {0}", e.toString());
        }
    }

    /**
     * @param method an HTTP method
     * @return whether requests of this method can change something
     */
    public static boolean isWrite(String method) {
        return !(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS"));
    }

    private void write(AuditRecord r) {
        String line = r.line();
        AUDIT.log(Level.INFO, line);
        appendToFile(line);
        if (closed) {
            return;
        }
        long seq = queued.incrementAndGet();
        if (!queue.offer(new Queued(seq, r))) {
            markDone(seq);
            if (dropped.incrementAndGet() % 1000 == 1) {
                LOG.log(Level.WARNING, "The audit database cannot keep up: {0} entries were not stored (the audit "
                        + "log file and logger have them)", dropped.get());
            }
        }
    }

    private synchronized void appendToFile(String line) {
        if (file.isEmpty()) {
            return;
        }
        try {
            if (fileOut == null) {
                fileOut = open(file.get());
            }
            fileOut.write(line);
            fileOut.newLine();
            fileOut.flush();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot write the audit log file {0}: {1}", file.get(), e.toString());
            closeFile();
        }
    }

    /** Creates the file private to CloudPilot's user (it names callers and objects), then appends. */
    private static BufferedWriter open(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        if (!Files.exists(path)) {
            try {
                if (dir != null && Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null) {
                    Files.createFile(path, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                } else {
                    Files.createFile(path);
                }
            } catch (FileAlreadyExistsException raced) {
                // fine
            }
        }
        return Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }

    private void writeRows() {
        List<Queued> batch = new ArrayList<>();
        while (true) {
            try {
                Queued first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                store(batch);
                markDone(batch.getLast().seq());
                batch.clear();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void store(List<Queued> batch) throws InterruptedException {
        List<AuditRecord> records = batch.stream().map(Queued::record).toList();
        for (int attempt = 1; ; attempt++) {
            try {
                store().insert(records);
                return;
            } catch (SQLException | RuntimeException e) {
                if (attempt >= 2 || closed) {
                    LOG.log(Level.WARNING, "{0} audit entries could not be stored in the database ({1}); the audit log "
                            + "file and logger have them", records.size(), e.getClass().getSimpleName());
                    return;
                }
                Thread.sleep(1000);
            }
        }
    }

    private AuditStore store() {
        AuditStore s = store;
        if (s == null) {
            synchronized (this) {
                if (store == null) {
                    store = new AuditStore(database.get());
                }
                s = store;
            }
        }
        return s;
    }

    private void markDone(long seq) {
        synchronized (doneSignal) {
            if (seq > done.get()) {
                done.set(seq);
            }
            doneSignal.notifyAll();
        }
    }

    /** Waits (boundedly) until the rows queued so far are written. */
    private void flush() {
        long target = queued.get();
        long deadline = System.nanoTime() + FLUSH_WAIT.toNanos();
        synchronized (doneSignal) {
            while (done.get() < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(doneSignal, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Reads the stored entries, after the ones queued before this call are written.
     *
     * @param query filters, page and order
     * @return the page
     * @throws ApiException.ClusterUnavailable when the database cannot be read
     */
    public AuditPage query(AuditQuery query) {
        flush();
        try {
            return store().query(query);
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "Reading the audit log from the database failed: {0}", e.getClass().getSimpleName());
            throw new ApiException.ClusterUnavailable("The audit log's database is unavailable; try again shortly "
                    + "(GET /health/ready shows its state). The audit log file has every entry.", e);
        }
    }

    /** Writes what is queued (boundedly), stops the writer, closes the file and, if owned, the database. */
    @Override
    public void close() {
        flush();
        closed = true;
        writer.interrupt();
        try {
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            closeFile();
            if (ownsDatabase && store != null) {
                store.close();
            }
        }
    }

    private synchronized void closeFile() {
        if (fileOut != null) {
            try {
                fileOut.close();
            } catch (IOException ignored) {
                // nothing to do
            }
            fileOut = null;
        }
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }
}
