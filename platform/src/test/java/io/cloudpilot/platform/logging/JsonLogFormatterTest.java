package io.cloudpilot.platform.logging;

import java.io.IOException;
import java.net.ConnectException;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One log record, one line of JSON that any JSON parser reads, without the exception's message.
 */
class JsonLogFormatterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void oneParsableObjectPerLineWithTheRecordsFields() {
        LogRecord record = new LogRecord(Level.WARNING, "Cluster {0} said \"no\"\nand\ttabbed \\ {1}");
        record.setLoggerName("io.cloudpilot.test");
        record.setParameters(new Object[] {"prod", 42});
        String line = new JsonLogFormatter().format(record);
        assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, line);
        JsonNode json = JSON.readTree(line);
        assertEquals("WARNING", json.path("level").asString());
        assertEquals("io.cloudpilot.test", json.path("logger").asString());
        assertEquals("Cluster prod said \"no\"\nand\ttabbed \\ 42", json.path("message").asString());
        assertEquals(Thread.currentThread().getName(), json.path("thread").asString());
        assertTrue(json.path("time").asString().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), line);
        assertFalse(json.has("exception"));
    }

    @Test
    void exceptionsAreNamedButTheirMessagesLeftOut() {
        LogRecord record = new LogRecord(Level.SEVERE, "Cannot reach the cluster");
        record.setThrown(new IOException("GET https://admin:hunter2@k8s.example.com failed",
                new ConnectException("Authorization: Bearer abc")));
        String line = new JsonLogFormatter().format(record);
        JsonNode json = JSON.readTree(line);
        assertEquals("java.io.IOException <- java.net.ConnectException", json.path("exception").asString());
        assertThat(line).as(line).doesNotContain("hunter2", "Bearer");
    }
}
