package io.cloudpilot.platform.http.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Speaks raw HTTP/1.1 to a server over a plain socket, the way an attacker or a broken proxy would: the test writes
 * the exact bytes, and reads back every response the server sent on the connection, and whether it closed it.
 */
final class RawHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One response read off the connection. */
    record Response(int status, Map<String, String> headers, String body) {
        /** @return the body as JSON (fails the test when it is not) */
        JsonNode json() {
            return JSON.readTree(body);
        }

        /** @return whether the body is the error envelope with code = status */
        boolean isEnvelope() {
            try {
                JsonNode j = json();
                return j.path("code").asInt() == status && j.has("message") && j.has("data")
                        && (status < 400 || j.path("data").has("error_type"));
            } catch (RuntimeException e) {
                return false;
            }
        }

        String message() {
            return json().path("message").asString();
        }
    }

    /**
     * Everything the server answered on one connection.
     *
     * @param responses the responses, in order
     * @param closed    whether the server closed the connection (within the wait)
     */
    record Exchange(List<Response> responses, boolean closed) {
        Response only() {
            if (responses.size() != 1) {
                throw new AssertionError("expected one response, got " + responses);
            }
            return responses.getFirst();
        }
    }

    private RawHttp() {
    }

    /**
     * @param port   the server's port on 127.0.0.1
     * @param raw    the bytes to send (ISO-8859-1)
     * @param waitMs how long to wait for more after the last byte received, before deciding the server keeps the
     *               connection open
     * @return what came back
     */
    static Exchange send(int port, String raw, int waitMs) {
        try (Socket socket = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return read(socket, waitMs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads until the server closes the connection or stays silent for {@code waitMs}.
     *
     * @param socket a connected socket
     * @param waitMs the silence that ends the reading
     * @return what came back
     */
    static Exchange read(Socket socket, int waitMs) throws IOException {
        socket.setSoTimeout(waitMs);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        boolean closed = false;
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[65536];
        try {
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    closed = true;
                    break;
                }
                all.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // silent for waitMs: the connection is still open
        } catch (java.net.SocketException e) {
            closed = true; // reset
        }
        return new Exchange(parse(all.toString(StandardCharsets.ISO_8859_1)), closed);
    }

    private static List<Response> parse(String text) {
        List<Response> out = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int headEnd = text.indexOf("\r\n\r\n", at);
            if (headEnd < 0) {
                throw new AssertionError("incomplete response: " + text.substring(at));
            }
            String[] lines = text.substring(at, headEnd).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new TreeMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            int bodyStart = headEnd + 4;
            StringBuilder body = new StringBuilder();
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                at = bodyStart;
                while (true) {
                    int lineEnd = text.indexOf("\r\n", at);
                    int size = Integer.parseInt(text.substring(at, lineEnd).split(";")[0].trim(), 16);
                    at = lineEnd + 2;
                    if (size == 0) {
                        at = text.indexOf("\r\n", at) + 2;
                        break;
                    }
                    body.append(text, at, at + size);
                    at += size + 2;
                }
            } else {
                int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                body.append(text, bodyStart, Math.min(text.length(), bodyStart + length));
                at = bodyStart + length;
            }
            out.add(new Response(status, headers, new String(body.toString().getBytes(StandardCharsets.ISO_8859_1),
                    StandardCharsets.UTF_8)));
        }
        return out;
    }
}
