package io.cloudpilot.platform.security;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps bearer tokens out of Helidon's own logs. Helidon's HTTP/1 connection listener writes every received
 * request's headers, {@code Authorization} included, when its logger allows DEBUG (and raw bytes at TRACE); CloudPilot
 * holds those loggers at INFO whatever the logging configuration says, so no level of logging shows a token.
 */
public final class TokenSafeLogging {

    /** Held strongly: JUL keeps loggers weakly, and a collected logger would forget its level. */
    private static final List<Logger> HELD = List.of(
            Logger.getLogger("io.helidon.webserver.http1.Http1LoggingConnectionListener"),
            Logger.getLogger("io.helidon.webserver.http1.Http1LoggingConnectionListener.recv"),
            Logger.getLogger("io.helidon.webserver.http1.Http1LoggingConnectionListener.send"));

    private TokenSafeLogging() {
    }

    /** Holds the loggers that would show request headers at INFO. */
    public static void hold() {
        for (Logger l : HELD) {
            l.setLevel(Level.INFO);
        }
    }
}
