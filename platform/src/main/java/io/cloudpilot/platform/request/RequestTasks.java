package io.cloudpilot.platform.request;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A virtual thread per task, each task bound to the request it was submitted from ({@link RequestLocal#carry}): the
 * reads a request makes in parallel count for its {@code X-Cache} and {@code Age}, and the audit entries they
 * record go to its audit. What the tasks themselves start inherits nothing.
 */
public final class RequestTasks extends AbstractExecutorService {

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @Override
    public void execute(Runnable task) {
        threads.execute(RequestLocal.carry(task));
    }

    @Override
    public void shutdown() {
        threads.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return threads.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return threads.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return threads.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return threads.awaitTermination(timeout, unit);
    }
}
