package io.cloudpilot.platform;

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
 * Records every log line of the server at every level: CloudPilot's, Helidon's (web server, access to requests),
 * Jersey's, fabric8's client and the audit logger, as an operator who turned all logging up would see them. The
 * fabric8 mock server that plays a cluster in some tests is not CloudPilot: its own logs are left out.
 */
public final class AllLogs extends Handler implements AutoCloseable {

    private static final List<String> LOUD = List.of("io.cloudpilot", "io.helidon", "org.glassfish", "cloudpilot.audit",
            "io.fabric8.kubernetes.client");

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<Logger> loud = LOUD.stream().map(Logger::getLogger).toList();
    private final List<Level> before = loud.stream().map(Logger::getLevel).toList();
    private final SimpleFormatter formatter = new SimpleFormatter();

    /** Turns the loggers up and starts recording. */
    public AllLogs() {
        setLevel(Level.ALL);
        loud.forEach(l -> l.setLevel(Level.ALL));
        Logger.getLogger("").addHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
        String logger = String.valueOf(r.getLoggerName());
        if (logger.startsWith("io.fabric8.mockwebserver") || logger.startsWith("io.fabric8.kubernetes.client.server.mock")) {
            return;
        }
        StringBuilder line = new StringBuilder(logger).append(' ').append(r.getLevel()).append(' ');
        try {
            line.append(formatter.formatMessage(r));
        } catch (RuntimeException e) {
            line.append(r.getMessage());
        }
        if (r.getParameters() != null) {
            for (Object p : r.getParameters()) {
                line.append(" | ").append(p);
            }
        }
        if (r.getThrown() != null) {
            StringWriter trace = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(trace));
            line.append('\n').append(trace);
        }
        lines.add(line.toString());
    }

    /** @return the lines recorded so far */
    public List<String> lines() {
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
