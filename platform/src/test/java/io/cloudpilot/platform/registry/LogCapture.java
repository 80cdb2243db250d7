package io.cloudpilot.platform.registry;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Records every log line CloudPilot and the fabric8 client write, at every level, as an operator who turned all
 * logging up would see them (the mock server's own logs are left out: it is the test's cluster, not CloudPilot).
 */
final class LogCapture extends Handler implements AutoCloseable {

    private static final List<String> LOUD = List.of("io.cloudpilot", "io.fabric8.kubernetes.client");

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<Logger> loud = LOUD.stream().map(Logger::getLogger).toList();
    private final List<Level> before = loud.stream().map(Logger::getLevel).toList();
    private final SimpleFormatter formatter = new SimpleFormatter();

    LogCapture() {
        setLevel(Level.ALL);
        loud.forEach(l -> l.setLevel(Level.ALL));
        Logger.getLogger("").addHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
        String logger = r.getLoggerName() == null ? "" : r.getLoggerName();
        if (logger.startsWith("io.fabric8.mockwebserver") || logger.startsWith("io.fabric8.kubernetes.client.server.mock")) {
            return;
        }
        StringBuilder line = new StringBuilder(logger).append(' ').append(r.getLevel()).append(' ')
                .append(formatter.formatMessage(r));
        if (r.getThrown() != null) {
            StringWriter trace = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(trace));
            line.append('\n').append(trace);
        }
        lines.add(line.toString());
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
        for (int i = 0; i < loud.size(); i++) {
            loud.get(i).setLevel(before.get(i));
        }
    }
}
