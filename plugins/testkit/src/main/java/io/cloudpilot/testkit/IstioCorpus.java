package io.cloudpilot.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The Istio validation corpus ({@code plugins/istio-config/src/test/resources/istio-corpus}, described in its
 * README): one directory per case under {@code sound/}, {@code raise/} and {@code near-miss/}, each with the
 * cluster's objects ({@code objects.yaml}, plus shared fragments it includes) and the findings expected
 * ({@code case.yaml}). The unit tests validate the objects in memory; the conformance suite applies them to a real
 * API server and reads the findings back over HTTP. Both compare with the same expectations.
 */
public final class IstioCorpus {

    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private IstioCorpus() {
    }

    /**
     * One finding a case expects.
     *
     * @param code     the code, e.g. {@code GatewayHostConflict}
     * @param severity error, warning or info
     * @param object   {@code Kind/namespace/name} of the object that carries it
     * @param path     the path in that object
     * @param refs     {@code Kind/namespace/name} of objects its refs must include (the other side of a conflict)
     */
    public record Expected(String code, String severity, String object, String path, List<String> refs) {
        /** @return the finding without its refs, as compared */
        public String identity() {
            return code + " " + severity + " " + object + " " + path;
        }
    }

    /**
     * One case.
     *
     * @param category    sound, raise or near-miss
     * @param name        the directory's name
     * @param description what it is
     * @param source      where the configuration comes from (Istio's documentation), or null
     * @param objects     the cluster's objects, as maps, included fragments first
     * @param settings    istio-config settings of the cluster ({@code dns-domain}, {@code outbound-traffic-policy})
     * @param absent      Istio kinds the cluster does not serve, by plural
     * @param nearMissOf  for a near miss: the codes it must not raise
     * @param expect      every finding the case must produce, and no other
     */
    public record Case(String category, String name, String description, String source,
                       List<Map<String, Object>> objects, Map<String, String> settings, List<String> absent,
                       List<String> nearMissOf, List<Expected> expect) {
        @Override
        public String toString() {
            return category + "/" + name;
        }
    }

    /** @param root the corpus directory @return every case, sorted by category and name */
    public static List<Case> load(Path root) {
        List<Case> out = new ArrayList<>();
        for (String category : List.of("sound", "raise", "near-miss")) {
            Path dir = root.resolve(category);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> cases = Files.list(dir)) {
                for (Path c : cases.filter(Files::isDirectory).sorted().toList()) {
                    out.add(loadCase(root, category, c));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Case loadCase(Path root, String category, Path dir) {
        Map<String, Object> meta = (Map<String, Object>) parse(read(dir.resolve("case.yaml")));
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object include : list(meta.get("include"))) {
            objects.addAll(documents(read(root.resolve("_shared").resolve(include + ".yaml"))));
        }
        objects.addAll(documents(read(dir.resolve("objects.yaml"))));
        List<Expected> expect = new ArrayList<>();
        for (Object e : list(meta.get("expect"))) {
            Map<String, Object> m = (Map<String, Object>) e;
            expect.add(new Expected(str(m.get("code")), str(m.get("severity")), str(m.get("object")),
                    str(m.get("path")), list(m.get("refs")).stream().map(String::valueOf).toList()));
        }
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        if (meta.get("settings") instanceof Map<?, ?> s) {
            s.forEach((k, v) -> settings.put(String.valueOf(k), String.valueOf(v)));
        }
        return new Case(category, dir.getFileName().toString(), str(meta.get("description")), str(meta.get("source")),
                List.copyOf(objects), Map.copyOf(settings),
                list(meta.get("absent")).stream().map(String::valueOf).toList(),
                list(meta.get("near_miss_of")).stream().map(String::valueOf).toList(), List.copyOf(expect));
    }

    /** @return the documents of a multi-document YAML text, as maps (empty documents skipped) */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> documents(String yaml) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String doc : DOCUMENT_SEPARATOR.split(yaml)) {
            if (doc.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"))) {
                continue;
            }
            Object v = parse(doc);
            if (v instanceof Map<?, ?> m) {
                out.add((Map<String, Object>) m);
            }
        }
        return out;
    }

    private static Object parse(String yaml) {
        return YAML.unmarshal(YAML.convertToJson(yaml), Object.class);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException("corpus file " + p + " cannot be read", e);
        }
    }

    private static List<?> list(Object v) {
        return v instanceof List<?> l ? l : List.of();
    }

    private static String str(Object v) {
        return v == null ? null : String.valueOf(v);
    }
}
