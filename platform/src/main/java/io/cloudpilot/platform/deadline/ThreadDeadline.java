package io.cloudpilot.platform.deadline;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bound on how long a thread may work on something: when it passes, one shared timer thread interrupts the thread,
 * so whatever it waits on (a cluster call, a read in flight, another request's load) gives up. It is ARMED until the
 * timer fires it or its owner disarms it, whichever comes first, atomically: a late timer never interrupts a thread
 * whose deadline was disarmed.
 *
 * <p>Disarming removes the timer's task at once ({@code removeOnCancel}), so a finished call leaves nothing behind
 * that refers to its thread, and through it to what the thread computed. Helidon's fault-tolerance {@code Timeout}
 * (4.2.0 and 4.3.0, {@code currentThread(true)}) instead parks a virtual thread for the whole timeout after every call and
 * never cancels it; that sleeper holds the calling thread, and so every upstream answer (10,000 pods) stayed
 * reachable for the call timeout after its call had returned (docs/decisions/0014).
 */
public final class ThreadDeadline {

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private static final int ARMED = 0;
    private static final int FIRED = 1;
    private static final int DISARMED = 2;

    private final ReentrantLock lock = new ReentrantLock();
    private final Duration timeout;
    private Thread thread;
    private int state = ARMED;
    private ScheduledFuture<?> task;

    private ThreadDeadline(Thread thread, Duration timeout) {
        this.thread = thread;
        this.timeout = timeout;
    }

    /**
     * @param thread  the thread to interrupt when the deadline passes
     * @param timeout how long from now
     * @return the armed deadline; disarm it in a {@code finally}
     */
    public static ThreadDeadline arm(Thread thread, Duration timeout) {
        ThreadDeadline deadline = new ThreadDeadline(thread, timeout);
        ScheduledFuture<?> scheduled = TIMER.schedule(deadline::fire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        deadline.lock.lock();
        try {
            deadline.task = scheduled;
        } finally {
            deadline.lock.unlock();
        }
        return deadline;
    }

    private void fire() {
        lock.lock();
        try {
            if (state == ARMED) {
                state = FIRED;
                thread.interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Disarms the deadline and drops the timer's task. Idempotent: every call answers the same.
     *
     * @return true when the deadline had fired (its thread was interrupted for it) before the first disarm
     */
    public boolean disarm() {
        ScheduledFuture<?> t;
        boolean fired;
        lock.lock();
        try {
            fired = state == FIRED;
            if (!fired) {
                state = DISARMED;
            }
            t = task;
            task = null;
            thread = null; // nothing here keeps the thread, or what it computed, reachable
        } finally {
            lock.unlock();
        }
        if (t != null) {
            t.cancel(false);
        }
        return fired;
    }

    /** @return true when the deadline has fired */
    public boolean fired() {
        lock.lock();
        try {
            return state == FIRED;
        } finally {
            lock.unlock();
        }
    }

    /** @return the bound it was armed with */
    public Duration timeout() {
        return timeout;
    }

    /**
     * @param timeout a bound
     * @return it in seconds as messages show it: "30", "1.5", "0.2"
     */
    public static String seconds(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? Long.toString(timeout.toSeconds())
                : java.math.BigDecimal.valueOf(timeout.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "cloudpilot-deadlines");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true); // a disarmed deadline leaves nothing queued
        return timer;
    }
}
