package io.cloudpilot.platform.registry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The registry API on the embedded SQLite file ({@code <data-dir>/cloudpilot.db}, the default).
 */
class SqliteRegistryApiTest extends AbstractRegistryApiTest {

    @Override
    Map<String, String> databaseSettings() {
        return Map.of();
    }

    /** The raw bytes of the database file and its WAL: what a stolen disk or backup shows. */
    @Override
    String storedContent() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("cloudpilot.db")).toList()) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        if (all.isEmpty()) {
            throw new AssertionError("no cloudpilot.db in " + dataDir);
        }
        return all.toString();
    }
}
