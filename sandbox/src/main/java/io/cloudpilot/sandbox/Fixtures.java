package io.cloudpilot.sandbox;

import io.cloudpilot.sandbox.ApiCatalog.GroupVersion;
import io.cloudpilot.sandbox.ApiCatalog.Resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads the YAML fixtures shipped in the jar into the store, in the order of {@code fixtures/index.txt}.
 *
 * <p>Placeholders are replaced in the JSON form of each document (so values must not need JSON escaping), so that ages, ids and certificates look real at every start:
 * <ul>
 * <li>{@code ${ago:3d4h}} / {@code ${in:30d}}: a timestamp relative to the sandbox start (d, h, m, s units);
 * {@code ${now}} the start itself;</li>
 * <li>{@code ${ago.micro:50m}} / {@code ${now.micro}}: the same with microseconds, for {@code eventTime};</li>
 * <li>{@code ${uid:Kind/namespace/name}} (or {@code Kind/name} for cluster-scoped kinds): the uid the loader gives
 * that object (objects without {@code metadata.uid} get exactly this one), for ownerReferences and events;</li>
 * <li>{@code ${tls.crt:host:from:to}} / {@code ${tls.key:host:from:to}}: base64 of a PEM certificate / key for
 * host, valid from start+from to start+to (for example {@code -30d:+335d}); the same arguments give the same pair;</li>
 * <li>{@code ${ca.pem:organization:from:to}}: a PEM (not base64) self-signed CA certificate, for ConfigMaps;</li>
 * <li>{@code ${b64:text}}: base64 of text.</li>
 * </ul>
 * Endpoints of Services with a selector are not in the fixtures: they are derived from the pods after loading, as
 * the endpoints controller would.
 */
final class Fixtures {

    static final String DIRECTORY = "/io/cloudpilot/sandbox/fixtures/";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z.0-9]+)(?::([^}]*))?}");
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private static final Map<String, List<String>> DEFAULT_DOCUMENTS = new ConcurrentHashMap<>();

    private final ApiCatalog catalog;
    private final ObjectStore store;
    private final Instant start;

    Fixtures(ApiCatalog catalog, ObjectStore store, Instant start) {
        this.catalog = catalog;
        this.store = store;
        this.start = start.truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * @return the number of objects loaded
     */
    int loadDefault() {
        int count = 0;
        for (String file : read("index.txt").lines().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
            count += loadDocuments(file, DEFAULT_DOCUMENTS.computeIfAbsent(file, f -> toJson(f, read(f))));
        }
        Set<String> namespaces = new LinkedHashSet<>();
        for (Map<String, Object> service : store.list("/api/v1/services").items()) {
            namespaces.add(Json.namespace(service));
        }
        namespaces.forEach(ns -> Controllers.reconcileEndpoints(store, ns, start));
        return count;
    }

    private static String read(String file) {
        try (InputStream in = Fixtures.class.getResourceAsStream(DIRECTORY + file)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + DIRECTORY + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loads one multi-document YAML text.
     *
     * @param name the file name, for errors
     * @param yaml the text
     * @return the number of objects loaded
     */
    int load(String name, String yaml) {
        return loadDocuments(name, toJson(name, yaml));
    }

    /**
     * Converts the documents of a YAML text to JSON once; placeholders survive the conversion as JSON strings and
     * are substituted per sandbox, so the YAML parsing cost is paid once per JVM.
     */
    private static List<String> toJson(String name, String yaml) {
        List<String> documents = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(yaml)) {
            if (document.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"))) {
                continue;
            }
            try {
                documents.add(Json.serialization().convertToJson(document));
            } catch (RuntimeException e) {
                throw new IllegalStateException("invalid YAML in fixture " + name + ": " + e.getMessage(), e);
            }
        }
        return documents;
    }

    private int loadDocuments(String name, List<String> documents) {
        int count = 0;
        for (String json : documents) {
            Map<String, Object> object = Json.map(Json.parse(substitute(json)));
            if (object == null) {
                continue;
            }
            add(name, object);
            count++;
        }
        return count;
    }

    private void add(String file, Map<String, Object> object) {
        String apiVersion = String.valueOf(object.get("apiVersion"));
        String kind = String.valueOf(object.get("kind"));
        Map.Entry<GroupVersion, Resource> type = catalog.byKind(apiVersion, kind)
                .orElseThrow(() -> new IllegalStateException("fixture " + file + ": unknown kind " + apiVersion + " "
                        + kind));
        GroupVersion gv = type.getKey();
        Resource resource = type.getValue();
        String name = Json.name(object);
        String namespace = Json.namespace(object);
        if (name == null || (resource.namespaced() && namespace == null)) {
            throw new IllegalStateException("fixture " + file + ": " + kind + " " + name + " needs a name"
                    + (resource.namespaced() ? " and a namespace" : ""));
        }
        Map<String, Object> metadata = Json.metadata(object);
        metadata.putIfAbsent("uid", Names.uid(uidSeed(kind, resource.namespaced() ? namespace : null, name)));
        metadata.putIfAbsent("creationTimestamp", start.toString());
        String collection = new ResourcePath(gv, resource, resource.namespaced() ? namespace : null, null, null)
                .pathAt(gv.version());
        store.insert(collection, object);
    }

    static String uidSeed(String kind, String namespace, String name) {
        return namespace == null ? kind + "/" + name : kind + "/" + namespace + "/" + name;
    }

    String substitute(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(value(m.group(1), m.group(2))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String value(String function, String argument) {
        switch (function) {
            case "now":
                return start.toString();
            case "ago":
                return start.minus(duration(argument)).toString();
            case "ago.micro":
                return micro(start.minus(duration(argument)));
            case "now.micro":
                return micro(start);
            case "in":
                return start.plus(duration(argument)).toString();
            case "uid":
                return Names.uid(argument);
            case "b64":
                return Base64.getEncoder().encodeToString(argument.getBytes(StandardCharsets.UTF_8));
            case "tls.crt", "tls.key": {
                String[] parts = argument.split(":");
                if (parts.length != 3) {
                    throw new IllegalStateException("expected ${" + function + ":host:from:to}, got " + argument);
                }
                TlsMaterial.Pem pem = TlsMaterial.serverCertificate(parts[0], start.plus(signed(parts[1])),
                        start.plus(signed(parts[2])), argument);
                String value = function.equals("tls.crt") ? pem.certificate() : pem.privateKey();
                return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.US_ASCII));
            }
            case "ca.pem": {
                String[] parts = argument.split(":");
                if (parts.length != 3) {
                    throw new IllegalStateException("expected ${ca.pem:organization:from:to}, got " + argument);
                }
                TlsMaterial.Pem pem = TlsMaterial.caCertificate(parts[0], start.plus(signed(parts[1])),
                        start.plus(signed(parts[2])), argument);
                // substituted into JSON text: escape the line breaks
                return pem.certificate().replace("\n", "\\n");
            }
            default:
                throw new IllegalStateException("unknown fixture placeholder ${" + function + "}");
        }
    }

    private static String micro(Instant t) {
        String s = t.toString();
        return s.substring(0, s.length() - 1) + ".000000Z";
    }

    private static Duration signed(String s) {
        return s.startsWith("-") ? duration(s.substring(1)).negated()
                : duration(s.startsWith("+") ? s.substring(1) : s);
    }

    /**
     * @param s a duration such as {@code 3d}, {@code 5h30m}, {@code 45s}
     * @return the duration
     */
    static Duration duration(String s) {
        Matcher m = Pattern.compile("(\\d+)([dhms])").matcher(s.trim());
        Duration d = Duration.ZERO;
        int end = 0;
        List<String> seen = new ArrayList<>();
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            end = m.end();
            long n = Long.parseLong(m.group(1));
            seen.add(m.group(2));
            d = d.plus(switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            });
        }
        if (end != s.trim().length() || seen.isEmpty()) {
            throw new IllegalStateException("invalid duration in fixture: " + s);
        }
        return d;
    }
}
