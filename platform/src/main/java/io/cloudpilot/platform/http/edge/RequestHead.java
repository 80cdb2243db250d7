package io.cloudpilot.platform.http.edge;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.cloudpilot.platform.http.Refusal;

/**
 * One request's head as the edge reads it, checked against RFC 9112's framing rules (§2.2, §3, §5, §6.1–6.3), and
 * the canonical form the web server gets: exactly one way to read where the body ends. Anything a proxy in front
 * might read differently is refused (400, connection closed): {@code Transfer-Encoding} with {@code Content-Length},
 * a transfer coding other than a final {@code chunked}, a {@code Content-Length} that is not digits or differs
 * between its values, folded or malformed header lines, no or several {@code Host}s.
 *
 * @param body      how the body is framed
 * @param length    the body's length when {@code body} is {@link Body#LENGTH}
 * @param close     whether the client asked to close the connection after this request
 * @param canonical the head as the web server gets it: request line, header lines (the framing ones rewritten in
 *                  canonical form), empty line
 */
@SuppressWarnings("ArrayRecordComponent") // bytes handed on as they are; a head is never compared or hashed
record RequestHead(Body body, long length, boolean close, byte[] canonical) {

    /** How a request's body is framed. */
    enum Body {
        /** No body. */
        NONE,
        /** {@code Content-Length} bytes. */
        LENGTH,
        /** Chunked. */
        CHUNKED
    }

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern VERSION = Pattern.compile("HTTP/\\d\\.\\d");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");
    private static final byte[] CRLF = {'\r', '\n'};

    /**
     * @param requestLine the request line, without its CRLF
     * @param fields      the header lines, without their CRLF
     * @param rules       the socket's rules (the Host check)
     * @return the checked head
     * @throws Refusal when the head is malformed or ambiguous
     */
    static RequestHead parse(byte[] requestLine, List<byte[]> fields, EdgeRules rules) {
        String target = checkRequestLine(new String(requestLine, StandardCharsets.ISO_8859_1));
        List<String> hosts = new ArrayList<>();
        List<String> lengths = new ArrayList<>();
        List<String> codings = new ArrayList<>();
        boolean transferEncoding = false;
        boolean close = false;
        List<String> contentCodings = new ArrayList<>();
        for (byte[] line : fields) {
            Field field = field(line);
            switch (field.name()) {
                case "host" -> hosts.add(field.value());
                case "content-length" -> lengths.addAll(field.value().isEmpty() ? List.of("") : list(field.value()));
                case "transfer-encoding" -> {
                    transferEncoding = true;
                    codings.addAll(list(field.value()));
                }
                case "connection" -> close |= list(field.value()).contains("close");
                case "content-encoding" -> contentCodings.addAll(list(field.value()));
                default -> {
                }
            }
        }
        if (hosts.size() != 1) {
            throw Refusal.badRequest("An HTTP/1.1 request needs exactly one Host header (RFC 9112 §3.2); this one has "
                    + hosts.size() + ".", "Host header count " + hosts.size());
        }
        rules.hosts().ifPresent(check -> checkHost(check, hosts.getFirst(), target));

        Body body = Body.NONE;
        long length = 0;
        if (transferEncoding) {
            if (!lengths.isEmpty()) {
                throw Refusal.badRequest("Transfer-Encoding and Content-Length together are refused (RFC 9112 §6.1): "
                        + "send one of them.", "Transfer-Encoding with Content-Length");
            }
            if (codings.isEmpty() || !codings.getLast().equals("chunked")) {
                throw Refusal.badRequest("The request body's length cannot be determined: the final "
                        + "Transfer-Encoding must be chunked (RFC 9112 §6.3).", "final transfer coding not chunked");
            }
            if (codings.size() > 1) {
                throw new Refusal(501, "ValidationError", "Only Transfer-Encoding: chunked is supported; send the body "
                        + "without other transfer codings.", "transfer coding not implemented");
            }
            body = Body.CHUNKED;
        } else if (!lengths.isEmpty()) {
            for (String value : lengths) {
                if (!DIGITS.matcher(value).matches()) {
                    throw Refusal.badRequest("Content-Length must be a decimal number of bytes (RFC 9110 §8.6).",
                            "malformed Content-Length");
                }
            }
            length = Long.parseLong(lengths.getFirst());
            for (String value : lengths) {
                if (Long.parseLong(value) != length) {
                    throw Refusal.badRequest("The request has different Content-Length values (RFC 9112 §6.3): send "
                            + "one.", "conflicting Content-Length");
                }
            }
            body = length == 0 ? Body.NONE : Body.LENGTH;
        }
        if (body != Body.NONE && contentCodings.stream().anyMatch(c -> !c.equals("identity"))) {
            throw new Refusal(415, "ValidationError", "CloudPilot does not decompress request bodies: send the body "
                    + "without Content-Encoding.", "unsupported content coding");
        }
        return new RequestHead(body, length, close, canonical(requestLine, fields, body, length, close));
    }

    /** @return the request target */
    private static String checkRequestLine(String line) {
        String[] parts = line.split(" ", -1);
        if (parts.length == 3 && VERSION.matcher(parts[2]).matches() && !parts[2].equals("HTTP/1.1")) {
            throw new Refusal(505, "ValidationError", "CloudPilot speaks HTTP/1.1: send the request over HTTP/1.1.",
                    "HTTP version " + parts[2] + " not supported");
        }
        if (parts.length != 3 || !TOKEN.matcher(parts[0]).matches() || parts[1].isEmpty()
                || !parts[1].chars().allMatch(c -> c > 0x20 && c < 0x7f) || !parts[2].equals("HTTP/1.1")) {
            throw Refusal.badRequest("The request line must be METHOD, one space, the target, one space and HTTP/1.1 "
                    + "(RFC 9112 §3), with the target in printable ASCII (percent-encode the rest).",
                    "malformed request line");
        }
        return parts[1];
    }

    private record Field(String name, String value) {
    }

    private static Field field(byte[] line) {
        if (line[0] == ' ' || line[0] == '\t') {
            throw Refusal.badRequest("Folded header lines are refused (RFC 9112 §5.2): send each header on one line.",
                    "obsolete line folding");
        }
        int colon = -1;
        for (int i = 0; i < line.length; i++) {
            if (line[i] == ':') {
                colon = i;
                break;
            }
        }
        String name = colon <= 0 ? "" : new String(line, 0, colon, StandardCharsets.ISO_8859_1);
        if (!TOKEN.matcher(name).matches()) {
            throw Refusal.badRequest("A header line must be a name, a colon and a value, with no space before the colon "
                    + "(RFC 9112 §5.1).", "malformed header line");
        }
        for (int i = colon + 1; i < line.length; i++) {
            int b = line[i] & 0xff;
            if ((b < 0x20 && b != '\t') || b == 0x7f) {
                throw Refusal.badRequest("A header value holds a control character (RFC 9110 §5.5).",
                        "control character in header " + name);
            }
        }
        String value = new String(line, colon + 1, line.length - colon - 1, StandardCharsets.ISO_8859_1).strip();
        return new Field(name.toLowerCase(Locale.ROOT), value);
    }

    /** The elements of a comma-separated field value, trimmed and lower case, empty ones dropped (RFC 9110 §5.6.1). */
    private static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        for (String element : value.split(",", -1)) {
            String e = element.strip().toLowerCase(Locale.ROOT);
            if (!e.isEmpty()) {
                out.add(e);
            }
        }
        return out;
    }

    private static void checkHost(HostCheck check, String host, String target) {
        String authority = null;
        String lower = target.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            int start = target.indexOf("//") + 2;
            int end = start;
            while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
                end++;
            }
            authority = target.substring(start, end);
        }
        if (!check.allows(host) || (authority != null && !check.allows(authority))) {
            throw new Refusal(403, "Forbidden", "API authentication is off, so CloudPilot answers only requests "
                    + "addressed to a loopback host (127.0.0.1, [::1], localhost) or to a name of "
                    + HostCheck.KEY + ": this protects it from web pages that rebind their name to this machine.",
                    "Host not allowed");
        }
    }

    private static byte[] canonical(byte[] requestLine, List<byte[]> fields, Body body, long length, boolean close) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(requestLine.length + 32 * (fields.size() + 2));
        out.writeBytes(requestLine);
        out.writeBytes(CRLF);
        for (byte[] line : fields) {
            String name = nameOf(line);
            if (name.equals("content-length") || name.equals("transfer-encoding")
                    || (close && name.equals("connection"))) {
                continue; // written once below, in canonical form
            }
            out.writeBytes(line);
            out.writeBytes(CRLF);
        }
        if (body == Body.CHUNKED) {
            out.writeBytes("Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII));
        } else if (body == Body.LENGTH) {
            out.writeBytes(("Content-Length: " + length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        if (close) {
            out.writeBytes("Connection: close\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(CRLF);
        return out.toByteArray();
    }

    private static String nameOf(byte[] line) {
        for (int i = 0; i < line.length; i++) {
            if (line[i] == ':') {
                return new String(line, 0, i, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            }
        }
        return "";
    }
}
