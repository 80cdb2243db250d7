package io.cloudpilot.sandbox;

import io.cloudpilot.sandbox.LogProfiles.Context;
import io.cloudpilot.sandbox.LogProfiles.Msg;

import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of a log profile's data file: {@code [WEIGHT] [if GUARD] LEVEL TEXT}. The weight (steady lines only) is
 * the line's share among the steady lines whose guard holds; the level is info, warn, error or raw; {@code \t} in the
 * text is a tab and {@code ${...}} a placeholder, expanded left to right (innermost first: a {@code pick} may choose
 * among texts with placeholders) with the line's random numbers:
 * <ul>
 * <li>{@code ${int:A-B}} a number from A to B ({@code ${int:A-B:W}} zero-padded to W digits), {@code ${real:A-B}}
 * one with one decimal, {@code ${u32}}, {@code ${bool}}, {@code ${uuid}}, {@code ${pick:a|b|c}};</li>
 * <li>{@code ${slot}}, {@code ${slot*K+C}}: the steady line's number; {@code ${hex:N}}, {@code ${HEX:N}}: N hex
 * digits fixed per container and slot;</li>
 * <li>the container's {@code ${pod}}, {@code ${namespace}}, {@code ${pod-ip}}, {@code ${container}},
 * {@code ${version}}, {@code ${app}}, {@code ${started}}; a random {@code ${proxy}} of the mesh and
 * {@code ${proxy-count}}; {@code ${ips:NS:APP[:VERSION]}} a pod IP; {@code ${pending}} an unschedulable pod;
 * {@code ${unready-node}}, {@code ${unready-address}}; {@code ${var:NAME}} and {@code ${padded:NAME:W}} a value
 * set by the rule of {@code profiles.txt};</li>
 * <li>{@code ${x=PLACEHOLDER}} also keeps the value as {@code x}; {@code ${$x}} and {@code ${$x-1}} repeat it.</li>
 * </ul>
 * Guards: {@code unready-nodes}, {@code pending-pods}, {@code app=X}, {@code version-before:V} (the image's version
 * does not start with V).
 */
record LogTemplate(int weight, String guard, String level, String text) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^{}]*)}");
    private static final Pattern SLOT = Pattern.compile("slot(?:\\*(\\d+))?(?:([+-])(\\d+))?");
    private static final Pattern VARIABLE = Pattern.compile("\\$([a-z][a-z0-9]*)(?:-(\\d+))?");

    /**
     * @param line     the data file's line
     * @param weighted whether the line starts with its weight
     * @return the template
     */
    static LogTemplate parse(String line, boolean weighted) {
        String rest = line;
        int weight = 1;
        if (weighted) {
            int space = rest.indexOf(' ');
            weight = Integer.parseInt(rest.substring(0, space));
            rest = rest.substring(space + 1);
        }
        String guard = null;
        if (rest.startsWith("if ")) {
            int space = rest.indexOf(' ', 3);
            guard = rest.substring(3, space);
            rest = rest.substring(space + 1);
        }
        int space = rest.indexOf(' ');
        String level = space < 0 ? rest : rest.substring(0, space);
        if (!List.of("info", "warn", "error", "raw").contains(level)) {
            throw new IllegalStateException("log profile line without a level: " + line);
        }
        return new LogTemplate(weight, guard, level, space < 0 ? "" : rest.substring(space + 1).replace("\\t", "\t"));
    }

    /** @return the messages of the templates whose guard holds, in order */
    static List<Msg> expandAll(List<LogTemplate> templates, Context c, SplittableRandom r) {
        List<Msg> out = new ArrayList<>();
        for (LogTemplate t : templates) {
            if (t.holds(c)) {
                out.add(t.expand(c, 0, r));
            }
        }
        return out;
    }

    /** @return one of the steady templates whose guard holds, chosen by weight, expanded */
    static Msg pick(List<LogTemplate> steady, Context c, long slot, SplittableRandom r) {
        List<LogTemplate> eligible = steady.stream().filter(t -> t.holds(c)).toList();
        int roll = r.nextInt(eligible.stream().mapToInt(LogTemplate::weight).sum());
        for (LogTemplate t : eligible) {
            roll -= t.weight;
            if (roll < 0) {
                return t.expand(c, slot, r);
            }
        }
        throw new IllegalStateException("unreachable: the roll is below the weights' sum");
    }

    private boolean holds(Context c) {
        if (guard == null) {
            return true;
        }
        if (guard.startsWith("app=")) {
            return guard.substring(4).equals(c.label("app"));
        }
        if (guard.startsWith("version-before:")) {
            return !c.version().startsWith(guard.substring("version-before:".length()));
        }
        return switch (guard) {
            case "unready-nodes" -> !c.unreadyNodes().isEmpty();
            case "pending-pods" -> !c.pendingPodMessages().isEmpty();
            default -> throw new IllegalStateException("log profile: unknown guard " + guard);
        };
    }

    private Msg expand(Context c, long slot, SplittableRandom r) {
        Map<String, String> kept = new HashMap<>();
        String expanded = text;
        // innermost placeholders first, so that a pick may choose among texts with placeholders of their own
        for (Matcher m = PLACEHOLDER.matcher(expanded); m.find(); m = PLACEHOLDER.matcher(expanded)) {
            StringBuilder out = new StringBuilder();
            do {
                String expression = m.group(1);
                String name = null;
                int equals = expression.indexOf('=');
                if (equals > 0 && expression.substring(0, equals).matches("[a-z][a-z0-9]*")) {
                    name = expression.substring(0, equals);
                    expression = expression.substring(equals + 1);
                }
                String value = value(expression, c, slot, r, kept);
                if (name != null) {
                    kept.put(name, value);
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            } while (m.find());
            m.appendTail(out);
            expanded = out.toString();
        }
        return new Msg(level, expanded);
    }

    private static String value(String expression, Context c, long slot, SplittableRandom r, Map<String, String> kept) {
        Matcher variable = VARIABLE.matcher(expression);
        if (variable.matches()) {
            String v = kept.get(variable.group(1));
            if (v == null) {
                throw new IllegalStateException("log profile: ${$" + variable.group(1) + "} before it is kept");
            }
            return variable.group(2) == null ? v : String.valueOf(Long.parseLong(v) - Long.parseLong(variable.group(2)));
        }
        Matcher slotted = SLOT.matcher(expression);
        if (slotted.matches()) {
            long v = slot * (slotted.group(1) == null ? 1 : Long.parseLong(slotted.group(1)));
            if (slotted.group(2) != null) {
                v += (slotted.group(2).equals("-") ? -1 : 1) * Long.parseLong(slotted.group(3));
            }
            return String.valueOf(v);
        }
        int colon = expression.indexOf(':');
        String function = colon < 0 ? expression : expression.substring(0, colon);
        String argument = colon < 0 ? "" : expression.substring(colon + 1);
        return switch (function) {
            case "int" -> {
                String[] parts = argument.split(":");
                String[] range = parts[0].split("-");
                long low = Long.parseLong(range[0]);
                long v = low + r.nextInt((int) (Long.parseLong(range[1]) - low + 1));
                yield parts.length > 1 ? String.format("%0" + parts[1] + "d", v) : String.valueOf(v);
            }
            case "real" -> {
                String[] range = argument.split("-");
                double low = Double.parseDouble(range[0]);
                yield String.format(Locale.ROOT, "%.1f", low + r.nextDouble() * (Double.parseDouble(range[1]) - low));
            }
            case "u32" -> String.valueOf(r.nextLong() & 0xffffffffL);
            case "bool" -> String.valueOf(r.nextBoolean());
            case "uuid" -> String.format("%08x-%04x-4%03x-%04x-%012x", r.nextInt() & 0xffffffffL, r.nextInt(0x10000),
                    r.nextInt(0x1000), 0x8000 | r.nextInt(0x4000), r.nextLong() & 0xffffffffffffL);
            case "pick" -> pick(r, List.of(argument.split("\\|", -1)));
            case "hex" -> Names.hex(c.seed() + slot, Integer.parseInt(argument));
            case "HEX" -> Names.hex(c.seed() + slot, Integer.parseInt(argument)).toUpperCase(Locale.ROOT);
            case "pod" -> c.podName();
            case "namespace" -> c.namespace();
            case "pod-ip" -> c.podIp();
            case "container" -> c.name();
            case "version" -> c.version();
            case "app" -> c.label("app") == null ? c.podName() : c.label("app");
            case "started" -> DateTimeFormatter.ISO_INSTANT.format(c.instance().start().truncatedTo(ChronoUnit.SECONDS));
            case "proxy" -> pick(r, c.meshProxies());
            case "proxy-count" -> String.valueOf(c.meshProxies().size());
            case "ips" -> {
                String[] parts = argument.split(":");
                yield pick(r, c.ips(parts[0], parts[1], parts.length > 2 ? parts[2] : null));
            }
            case "pending" -> pick(r, c.pendingPodMessages());
            case "unready-node" -> c.unreadyNodes().get(0);
            case "unready-address" -> c.unreadyNodeAddresses().get(0);
            case "var" -> c.variable(argument);
            case "padded" -> {
                String v = c.variable(argument.substring(0, argument.indexOf(':')));
                int width = Integer.parseInt(argument.substring(argument.indexOf(':') + 1));
                yield v + " ".repeat(Math.max(1, width - v.length()));
            }
            default -> throw new IllegalStateException("log profile: unknown placeholder ${" + expression + "}");
        };
    }

    private static <T> T pick(SplittableRandom r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }
}
