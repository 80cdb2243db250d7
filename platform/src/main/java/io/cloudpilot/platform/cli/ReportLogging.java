package io.cloudpilot.platform.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * While a command prints a report on standard output ({@code plugins}, the imports), log records go to standard
 * error, WARNING and above only ({@code --verbose}: INFO too): the console handler of {@code conf/logging.properties}
 * writes to standard output, where its lines would mix into the report. Other handlers (files) are left as they
 * are; the console handlers are put back when the command ends.
 */
final class ReportLogging implements AutoCloseable {

    private final Logger root = Logger.getLogger("");
    private final List<Handler> replaced = new ArrayList<>();
    private final Handler toStandardError;

    private ReportLogging(boolean verbose) {
        ConsoleHandler handler = new ConsoleHandler(); // System.err
        handler.setLevel(verbose ? Level.INFO : Level.WARNING);
        for (Handler h : root.getHandlers()) {
            // the JDK's ConsoleHandler or Helidon's HelidonConsoleHandler (which writes to standard output)
            if (h.getClass().getSimpleName().endsWith("ConsoleHandler")) {
                handler.setFormatter(h.getFormatter());
                replaced.add(h);
                root.removeHandler(h);
            }
        }
        toStandardError = handler;
        root.addHandler(handler);
    }

    /**
     * @param verbose whether INFO records are shown too
     * @return the routing, undone by {@link #close()}
     */
    static ReportLogging toStandardError(boolean verbose) {
        return new ReportLogging(verbose);
    }

    @Override
    public void close() {
        root.removeHandler(toStandardError);
        toStandardError.close();
        replaced.forEach(root::addHandler);
    }
}
