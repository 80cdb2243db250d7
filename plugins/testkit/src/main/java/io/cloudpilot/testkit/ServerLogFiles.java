package io.cloudpilot.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Writes every log record of the test JVM to {@code target/cloudpilot-logs/server-<pid>-<n>.log}, with CloudPilot's
 * loggers at every level and Helidon's and fabric8's at DEBUG (FINE), so that the secret scan reads what an operator
 * who turned logging up would see. The console keeps its own level. The test's simulated API server (the fabric8
 * mock under the sandbox) is left out: it is the cluster, not CloudPilot.
 */
final class ServerLogFiles {

    private static final List<String> ALL = List.of("io.cloudpilot");
    private static final List<String> DEBUG = List.of("io.helidon", "io.fabric8.kubernetes.client", "org.glassfish.jersey");
    /** Held: JUL keeps loggers weakly, and a collected logger forgets its level. */
    private static final List<Logger> LOUD = new java.util.ArrayList<>();
    private static boolean installed;

    private ServerLogFiles() {
    }

    static synchronized void capture() {
        if (installed) {
            return;
        }
        installed = true;
        try {
            Files.createDirectories(SecretLedger.directory());
            String pattern = SecretLedger.directory().resolve("server-" + ProcessHandle.current().pid() + "-%u.log")
                    .toString();
            FileHandler file = new FileHandler(pattern, 0, 1, false);
            file.setLevel(Level.ALL);
            file.setEncoding("UTF-8");
            file.setFormatter(new SimpleFormatter() {
                @Override
                public String format(LogRecord r) {
                    return r.getLevel() + " " + r.getLoggerName() + ": " + super.format(r);
                }
            });
            file.setFilter(r -> r.getLoggerName() == null
                    || !(r.getLoggerName().startsWith("io.fabric8.mockwebserver")
                    || r.getLoggerName().startsWith("io.fabric8.kubernetes.client.server.mock")));
            Logger root = Logger.getLogger("");
            for (var h : root.getHandlers()) {
                if (h.getLevel().intValue() < Level.INFO.intValue()) {
                    h.setLevel(Level.INFO); // the console stays as it was
                }
            }
            root.addHandler(file);
            ALL.forEach(n -> loud(n, Level.ALL));
            DEBUG.forEach(n -> loud(n, Level.FINE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test server's log under target/", e);
        }
    }

    private static void loud(String name, Level level) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(level);
        LOUD.add(logger);
    }
}
