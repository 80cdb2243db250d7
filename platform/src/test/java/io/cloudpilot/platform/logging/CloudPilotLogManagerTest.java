package io.cloudpilot.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

/**
 * What a server logs while it shuts down reaches the log: a JVM whose shutdown hook logs one second after the JVM
 * began to exit (as CloudPilot's drain logs the requests it still answers) with the JDK's log manager and with ours.
 */
class CloudPilotLogManagerTest {

    @Test
    void recordsWrittenWhileTheJvmShutsDownAreKept() throws Exception {
        String ours = run(CloudPilotLogManager.class.getName());
        assertThat(ours).as(ours).contains("before the exit");
        assertThat(ours).as("the record logged during the shutdown: " + ours).contains("late in the shutdown");
    }

    @Test
    void controlTheJdksOwnManagerLosesThem() throws Exception {
        String jdks = run(null);
        assertThat(jdks).as(jdks).contains("before the exit");
        assertThat(jdks).as("the JDK's reset hook removed the handlers: " + jdks).doesNotContain("late in the shutdown");
    }

    /** @return the standard error of a JVM running {@link LateLogger} with the given log manager */
    private static String run(String manager) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (manager != null) {
            command.add("-Djava.util.logging.manager=" + manager);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LateLogger.class.getName());
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the JVM ends");
        assertEquals(0, process.exitValue(), err);
        return err;
    }

    /** Logs once, exits, and logs again from a shutdown hook a second later. */
    public static final class LateLogger {
        public static void main(String[] args) {
            Logger log = Logger.getLogger("late");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                log.info("late in the shutdown");
            }));
            log.info("before the exit");
            System.exit(0);
        }
    }
}
