package io.cloudpilot.platform.http.edge;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.cloudpilot.platform.security.AuthSettings;

import org.eclipse.microprofile.config.Config;

/**
 * The {@code Host} values a server without authentication answers: loopback ones ({@code 127.0.0.1}, {@code [::1]},
 * {@code localhost}) and the names of {@value #KEY}. A web page cannot make a browser send any of these to a server
 * of the attacker's name, so it cannot drive the API through DNS rebinding (its name resolving to 127.0.0.1 after the
 * page loaded). Never resolves a name: the check is on the text the client sent.
 */
public final class HostCheck {

    /** Host names (without port) accepted besides loopback ones, comma-separated. */
    public static final String KEY = "cloudpilot.http.allowed-hosts";

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern PORT = Pattern.compile(":\\d{1,5}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,252})");

    private final Set<String> names;

    private HostCheck(Set<String> names) {
        this.names = names;
    }

    /**
     * @param config the server's configuration
     * @return the check when authentication is off and every socket is on loopback; empty when callers authenticate
     *         (a rebound page has no token to send) or when the operator opened the API to the network explicitly
     * @throws IllegalArgumentException when {@value #KEY} holds something other than host names
     */
    public static Optional<HostCheck> from(Config config) {
        Set<String> names = names(config);
        AuthSettings auth = AuthSettings.from(config);
        if (auth.mode() != AuthSettings.Mode.NONE || !auth.loopback()) {
            return Optional.empty();
        }
        return Optional.of(new HostCheck(names));
    }

    private static Set<String> names(Config config) {
        String value = config.getOptionalValue(KEY, String.class).orElse("");
        Set<String> names = Arrays.stream(value.split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        for (String name : names) {
            if (!NAME.matcher(name).matches() || name.contains("..")) {
                throw new IllegalArgumentException(KEY + " takes comma-separated host names without port, such as "
                        + "cloudpilot.internal; '" + (name.length() > 40 ? name.substring(0, 40) + "…" : name)
                        + "' is not one.");
            }
        }
        return names;
    }

    /**
     * @param host the value of a request's {@code Host} header (or the authority of an absolute-form target)
     * @return whether this server answers requests addressed to it
     */
    public boolean allows(String host) {
        String value = host.trim();
        String part = hostPart(value);
        String port = value.substring(part.length());
        String name = part.toLowerCase(Locale.ROOT);
        if (!port.isEmpty() && !PORT.matcher(port).matches()) {
            return false; // not host[:port] at all
        }
        if (name.startsWith("[") && name.endsWith("]")) {
            String literal = name.substring(1, name.length() - 1);
            return literal.indexOf(':') >= 0 && literal.chars().allMatch(c -> Character.digit(c, 16) >= 0
                    || c == ':' || c == '.') && loopbackLiteral(literal);
        }
        Matcher ipv4 = IPV4.matcher(name);
        if (ipv4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(ipv4.group(i)) > 255) {
                    return false; // not a literal: InetAddress would look it up as a name
                }
            }
            return loopbackLiteral(name);
        }
        return name.equals("localhost") || name.endsWith(".localhost") || names.contains(name);
    }

    /** The host of {@code host[:port]}, brackets of an IPv6 literal kept. */
    private static String hostPart(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /** A literal address only (checked by the caller), so this never asks DNS. */
    private static boolean loopbackLiteral(String literal) {
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
