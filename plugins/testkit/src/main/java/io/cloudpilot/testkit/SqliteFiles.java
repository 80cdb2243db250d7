package io.cloudpilot.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What an SQLite database holds on disk, for tests that look for a value in it (a secret that must not be there, a
 * row that must): the database file and, since the registry runs SQLite in WAL mode, its write-ahead log, where a
 * row just written usually is until a checkpoint.
 */
public final class SqliteFiles {

    private SqliteFiles() {
    }

    /**
     * @param database the database file, e.g. {@code data/cloudpilot.db}
     * @return the bytes of the file and its {@code -wal} beside it (when there is one), as ISO-8859-1 text
     * @throws IOException when the database file cannot be read
     */
    public static String text(Path database) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Path file : List.of(database, database.resolveSibling(database.getFileName() + "-wal"))) {
            if (file.equals(database) || Files.exists(file)) {
                text.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).append('\n');
            }
        }
        return text.toString();
    }
}
