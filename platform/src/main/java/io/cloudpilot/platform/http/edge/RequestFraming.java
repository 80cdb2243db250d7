package io.cloudpilot.platform.http.edge;

import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import io.cloudpilot.platform.deadline.ThreadDeadline;
import io.cloudpilot.platform.http.Refusal;
import io.helidon.common.buffers.DataReader;
import io.helidon.webserver.CloseConnectionException;

/**
 * The bytes of one connection on their way from the socket to Helidon's HTTP/1 parser: each request's head is read
 * whole (within {@link EdgeRules#headerTimeout()} and the size limits), checked ({@link RequestHead}) and handed on in
 * canonical form; its body is handed on exactly as framed, a chunked one with its chunk extensions and trailer fields
 * dropped (RFC 9112 §7.1.1, §7.1.2: Helidon 4.3's parser takes neither) after checking every chunk-size line. What
 * is refused raises a {@link Refusal} once, on the connection's thread, and then the stream ends: nothing after a
 * malformed request is read as a request. After a request with {@code Connection: close} the stream ends too.
 */
final class RequestFraming implements Supplier<byte[]> {

    private static final System.Logger LOG = System.getLogger(RequestFraming.class.getName());
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = {'0', '\r', '\n'};
    private static final byte[] NOTHING = new byte[0];
    /** Empty lines tolerated before a request line (RFC 9112 §2.2). */
    private static final int LEADING_EMPTY_LINES = 4;

    private enum State { HEAD, LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, ENDED }

    private final DataReader socket;
    private final EdgeRules rules;
    private byte[] in = NOTHING;
    private int pos;
    private State state = State.HEAD;
    private long remaining;
    private boolean closeAfter;
    private boolean firstHead = true;
    private Refusal refused;

    RequestFraming(DataReader socket, EdgeRules rules) {
        this.socket = socket;
        this.rules = rules;
    }

    /** The server answered {@code Connection: close}: whatever the client sends after is not read. */
    void answeredWithClose() {
        if (state != State.ENDED) {
            state = State.ENDED;
        }
    }

    @Override
    public byte[] get() {
        try {
            while (true) {
                byte[] out = switch (state) {
                    case HEAD -> closeAfter ? null : head();
                    case LENGTH -> counted(State.HEAD);
                    case CHUNK_SIZE -> chunkSize();
                    case CHUNK_DATA -> counted(State.CHUNK_END);
                    case CHUNK_END -> chunkEnd();
                    case TRAILERS -> trailers();
                    case ENDED -> ended();
                };
                if (out == null) {
                    state = State.ENDED;
                    return ended();
                }
                if (out.length > 0) {
                    return out;
                }
            }
        } catch (Refusal refusal) {
            state = State.ENDED;
            refused = refusal;
            throw refusal.toRequestException();
        }
    }

    /**
     * The end of the stream. After a refusal it says why on every read: a body reader that closes its stream in a
     * {@code finally} (Jersey does) must not replace the refusal with "no more data", while the next request's
     * prologue reader takes it as the end of the connection.
     */
    private byte[] ended() {
        if (refused != null) {
            DataReader.InsufficientDataAvailableException end = new DataReader.InsufficientDataAvailableException();
            end.initCause(refused);
            throw end;
        }
        return null;
    }

    private byte[] head() {
        if (!firstHead && !await()) {
            return null; // the client closed its idle keep-alive connection
        }
        firstHead = false;
        ThreadDeadline deadline = ThreadDeadline.arm(Thread.currentThread(), rules.headerTimeout());
        try {
            byte[] requestLine = null;
            int emptyLines = 0;
            int sectionBytes = 0;
            List<byte[]> fields = new ArrayList<>();
            while (true) {
                byte[] line = requestLine == null
                        ? line(rules.maxRequestLine(), true, () -> new Refusal(414, "ValidationError", "The request "
                                + "line is longer than " + rules.maxRequestLine() + " bytes: shorten the query.",
                                "request line too long"))
                        : line(rules.maxHeaderSection() - sectionBytes, false, this::headersTooLarge);
                if (line == null) {
                    return null; // the client closed the connection before its head was complete
                }
                if (requestLine == null) {
                    if (line.length == 0 && emptyLines++ < LEADING_EMPTY_LINES) {
                        continue;
                    }
                    if (line.length == 0) {
                        throw Refusal.badRequest("The request line is missing.", "no request line");
                    }
                    requestLine = line;
                    continue;
                }
                if (line.length == 0) {
                    break;
                }
                sectionBytes += line.length + 2;
                fields.add(line);
            }
            RequestHead head = RequestHead.parse(requestLine, fields, rules);
            closeAfter = head.close();
            remaining = head.length();
            state = switch (head.body()) {
                case NONE -> State.HEAD;
                case LENGTH -> State.LENGTH;
                case CHUNKED -> State.CHUNK_SIZE;
            };
            return head.canonical();
        } catch (RuntimeException e) {
            if (deadline.disarm()) {
                Thread.interrupted(); // the deadline's interrupt ended the read: the connection is closed for it
                LOG.log(Level.DEBUG, () -> "Closed a connection whose request head took longer than "
                        + rules.headerTimeoutSeconds() + " s (" + EdgeRules.HEADER_TIMEOUT + ")");
                throw new CloseConnectionException("request head not complete within the header timeout", e);
            }
            throw e;
        } finally {
            if (deadline.disarm()) {
                Thread.interrupted(); // fired after the head was complete: the request goes on
            }
        }
    }

    private Refusal headersTooLarge() {
        return new Refusal(431, "ValidationError", "The request's header section is larger than "
                + rules.maxHeaderSection() + " bytes.", "header section too large");
    }

    /** Hands on the {@code remaining} bytes of a body or chunk as they arrive, then moves to {@code next}. */
    private byte[] counted(State next) {
        byte[] out = take(remaining);
        if (out == null) {
            return null;
        }
        remaining -= out.length;
        if (remaining == 0) {
            state = next;
        }
        return out;
    }

    private byte[] chunkSize() {
        byte[] line = line(EdgeRules.MAX_CHUNK_LINE, false, () -> Refusal.badRequest("A chunk-size line is longer than "
                + EdgeRules.MAX_CHUNK_LINE + " bytes.", "chunk-size line too long"));
        if (line == null) {
            return null;
        }
        int digits = 0;
        long size = 0;
        while (digits < line.length && Character.digit(line[digits], 16) >= 0) {
            size = size * 16 + Character.digit(line[digits], 16);
            digits++;
            if (size > Integer.MAX_VALUE) {
                throw Refusal.badRequest("A chunk is larger than 2 GiB.", "chunk too large");
            }
        }
        if (digits == 0 || !extensions(line, digits)) {
            throw Refusal.badRequest("A chunk-size line is malformed: hexadecimal digits, then optional ';' extensions "
                    + "(RFC 9112 §7.1).", "malformed chunk size");
        }
        if (size == 0) {
            state = State.TRAILERS;
            return LAST_CHUNK;
        }
        remaining = size;
        state = State.CHUNK_DATA;
        return (Long.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether what follows the size is {@code *( BWS ";" BWS name [ BWS "=" BWS value ] )}, loosely: no controls. */
    private static boolean extensions(byte[] line, int from) {
        int i = from;
        while (i < line.length && (line[i] == ' ' || line[i] == '\t')) {
            i++;
        }
        if (i == line.length) {
            return true;
        }
        if (line[i] != ';') {
            return false;
        }
        for (; i < line.length; i++) {
            int b = line[i] & 0xff;
            if ((b < 0x20 && b != '\t') || b == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private byte[] chunkEnd() {
        byte[] line = line(0, false, () -> Refusal.badRequest("A chunk's data is not followed by CRLF: its size is wrong "
                + "(RFC 9112 §7.1).", "chunk longer than its size"));
        if (line == null) {
            return null;
        }
        state = State.CHUNK_SIZE;
        return CRLF;
    }

    private byte[] trailers() {
        int sectionBytes = 0;
        while (true) {
            byte[] line = line(rules.maxHeaderSection() - sectionBytes, false, this::headersTooLarge);
            if (line == null) {
                return null;
            }
            if (line.length == 0) {
                state = State.HEAD;
                return CRLF; // the empty line that ends the chunked body; trailer fields are dropped (§7.1.2)
            }
            if (line[0] == ' ' || line[0] == '\t' || indexOf(line, (byte) ':') <= 0) {
                throw Refusal.badRequest("A trailer line must be a name, a colon and a value (RFC 9112 §7.1.2).",
                        "malformed trailer line");
            }
            sectionBytes += line.length + 2;
        }
    }

    /**
     * Reads one line ending in CRLF.
     *
     * @param max         the longest line accepted, without its CRLF
     * @param requestLine whether it is a request line, which holds no control character
     * @param tooLong     the refusal when it is longer
     * @return the line without its CRLF, or null at the end of the stream
     */
    private byte[] line(int max, boolean requestLine, Supplier<Refusal> tooLong) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(Math.min(Math.max(max, 0), 256) + 2);
        while (true) {
            if (pos == in.length && !fill()) {
                return null;
            }
            byte b = in[pos++];
            if (b == '\n') {
                throw Refusal.badRequest("Lines must end with CRLF (RFC 9112 §2.2).", "bare LF");
            }
            if (b == '\r') {
                if (pos == in.length && !fill()) {
                    return null;
                }
                if (in[pos++] != '\n') {
                    throw Refusal.badRequest("A CR must be followed by LF (RFC 9112 §2.2).", "bare CR");
                }
                return line.toByteArray();
            }
            if (line.size() >= max) {
                throw tooLong.get();
            }
            if (requestLine && ((b & 0xff) < 0x20 || b == 0x7f)) {
                // not HTTP (a TLS handshake on the plain port, binary): said at once, not after the header timeout
                throw Refusal.badRequest("The request line must be METHOD, one space, the target, one space and "
                        + "HTTP/1.1 (RFC 9112 §3); this connection does not speak HTTP/1.1 (TLS to a plain-HTTP "
                        + "port?).", "not an HTTP request line");
            }
            line.write(b);
        }
    }

    /** @return up to {@code max} bytes as they arrive, or null at the end of the stream */
    private byte[] take(long max) {
        if (pos == in.length && !fill()) {
            return null;
        }
        int n = (int) Math.min(max, in.length - pos);
        if (pos == 0 && n == in.length) {
            byte[] out = in; // handed on whole, no copy
            in = NOTHING;
            return out;
        }
        byte[] out = Arrays.copyOfRange(in, pos, pos + n);
        pos += n;
        return out;
    }

    /** Waits for the next request's first byte, however long: an idle keep-alive connection is Helidon's to close. */
    private boolean await() {
        return pos < in.length || fill();
    }

    /** @return false at the end of the stream */
    private boolean fill() {
        try {
            socket.ensureAvailable();
        } catch (DataReader.InsufficientDataAvailableException e) {
            return false;
        }
        in = socket.readBytes(socket.available());
        pos = 0;
        return true;
    }

    private static int indexOf(byte[] line, byte b) {
        for (int i = 0; i < line.length; i++) {
            if (line[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
