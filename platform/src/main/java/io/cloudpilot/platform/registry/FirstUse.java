package io.cloudpilot.platform.registry;

import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Work done once, by the first caller that needs it (the others wait for it), and again by the next one if it
 * failed: how the registry and the audit log migrate the database on first use rather than at start, so that a
 * database that is down at start does not stop the server.
 */
public final class FirstUse {

    /** The work. */
    @FunctionalInterface
    public interface Work {
        /** @throws SQLException when it fails; it is tried again on the next use */
        void run() throws SQLException;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean done;

    /**
     * Does the work unless it was done.
     *
     * @param work the work
     * @throws SQLException when it fails
     */
    public void ensure(Work work) throws SQLException {
        if (done) {
            return;
        }
        lock.lock();
        try {
            if (!done) {
                work.run();
                done = true;
            }
        } finally {
            lock.unlock();
        }
    }
}
