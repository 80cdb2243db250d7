package io.cloudpilot.dist;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No package of a shipped CloudPilot jar depends, through other packages, on itself: the dependencies between the
 * packages of each jar of {@code lib/}, {@code plugins/} and {@code demo/plugins/} (as the JDK's {@code jdeps} reads them from the classes)
 * form no cycle.
 */
class PackageCyclesTest {

    @Test
    void noShippedJarHasAPackageCycle() throws IOException {
        Path dist = Path.of(System.getProperty("cloudpilot.dist.dir"));
        List<Path> jars = new ArrayList<>();
        for (String dir : List.of("lib", "plugins", "demo/plugins")) {
            try (Stream<Path> files = Files.walk(dist.resolve(dir))) {
                files.filter(p -> p.getFileName().toString().startsWith("cloudpilot-") && p.toString().endsWith(".jar"))
                        .forEach(jars::add);
            }
        }
        assertTrue(jars.size() >= 7, "the platform, the SPI and the plugins: " + jars);
        Map<String, List<String>> cycles = new TreeMap<>();
        for (Path jar : jars) {
            List<String> found = cycles(dependencies(jar));
            if (!found.isEmpty()) {
                cycles.put(jar.getFileName().toString(), found);
            }
        }
        assertEquals(Map.of(), cycles, "package cycles");
    }

    /** package → the packages of the same jar it uses, read by jdeps. */
    private static Map<String, Set<String>> dependencies(Path jar) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
        StringWriter out = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-verbose:package",
                "-filter:package", jar.toString());
        assertEquals(0, rc, "jdeps " + jar + ":\n" + out);
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String line : out.toString().lines().toList()) {
            String[] parts = line.trim().split("\\s+");
            // "   io.cloudpilot.a   -> io.cloudpilot.b   the-jar.jar"
            if (line.startsWith(" ") && parts.length >= 3 && parts[1].equals("->")
                    && parts[0].startsWith("io.cloudpilot.") && parts[2].startsWith("io.cloudpilot.")) {
                graph.computeIfAbsent(parts[0], k -> new TreeSet<>()).add(parts[2]);
            }
        }
        return graph;
    }

    /** Each cycle as {@code a -> b -> a}, found by a depth-first search. */
    private static List<String> cycles(Map<String, Set<String>> graph) {
        List<String> result = new ArrayList<>();
        Set<String> done = new TreeSet<>();
        for (String start : graph.keySet()) {
            walk(start, graph, new ArrayList<>(), done, result);
        }
        return result;
    }

    private static void walk(String node, Map<String, Set<String>> graph, List<String> path, Set<String> done,
                             List<String> result) {
        int at = path.indexOf(node);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
            cycle.add(node);
            result.add(String.join(" -> ", cycle));
            return;
        }
        if (done.contains(node)) {
            return;
        }
        path.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            walk(next, graph, path, done, result);
        }
        path.removeLast();
        done.add(node);
    }
}
