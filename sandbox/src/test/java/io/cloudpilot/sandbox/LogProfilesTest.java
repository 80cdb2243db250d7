package io.cloudpilot.sandbox;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log data files against the logs the fixture's containers write: of every profile in use, each periodic line is
 * written (a placeholder that fails, a weight never drawn or a guard that never holds leaves its line out).
 */
class LogProfilesTest {

    @Test
    void everyLineOfEveryProfileIsWrittenByTheFixture() {
        List<String> logs = new ArrayList<>();
        try (SandboxCluster cluster = SandboxCluster.start()) {
            for (Pod pod : cluster.client().pods().inAnyNamespace().list().getItems()) {
                List<Container> containers = Stream.concat(pod.getSpec().getInitContainers().stream(),
                        pod.getSpec().getContainers().stream()).toList();
                for (Container c : containers) {
                    for (String previous : List.of("false", "true")) {
                        HttpResponse<String> r = Http.get(cluster, "/api/v1/namespaces/" + pod.getMetadata()
                                .getNamespace() + "/pods/" + pod.getMetadata().getName() + "/log?container="
                                + c.getName() + "&previous=" + previous);
                        if (r.statusCode() == 200) {
                            // Prometheus' format puts the level after the message's first word
                            r.body().lines().forEach(l -> logs.add(l.replaceFirst(" level=[a-z]+ ", " ")));
                        }
                    }
                }
            }
        }
        Set<String> profiles = new LinkedHashSet<>();
        for (String rule : LogProfiles.lines("profiles.txt")) {
            profiles.add(rule.substring(rule.indexOf("->") + 2).trim().split("\\s+")[0]);
        }
        List<String> unwritten = new ArrayList<>();
        List<String> unused = new ArrayList<>();
        for (String profile : profiles) {
            List<String> steady = LogProfiles.lines(profile + ".txt").stream()
                    .filter(line -> Character.isDigit(line.charAt(0))).toList();
            List<String> missing = steady.stream().filter(line -> {
                Pattern pattern = pattern(LogTemplate.parse(line, true).text());
                return logs.stream().noneMatch(l -> pattern.matcher(l).find());
            }).toList();
            if (!steady.isEmpty() && missing.size() == steady.size()) {
                unused.add(profile);
            } else {
                missing.forEach(line -> unwritten.add(profile + ": " + line));
            }
        }
        assertThat(logs).as("control: the fixture's containers log").hasSizeGreaterThan(10_000);
        assertThat(unused).as("profiles no running container of the fixture has (the exporter never ran)")
                .containsExactly("json-app");
        assertThat(unwritten).as("periodic lines of a profile in use that none of its containers writes").isEmpty();
    }

    /** The template's text with every placeholder (and raw lines' {@code {ts}}) as "anything". */
    private static Pattern pattern(String text) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf("${", i);
            int ts = text.indexOf("{ts", i);
            int next = start < 0 ? ts : ts < 0 ? start : Math.min(start, ts);
            if (next < 0) {
                regex.append(Pattern.quote(text.substring(i)));
                break;
            }
            regex.append(Pattern.quote(text.substring(i, next))).append(".*?");
            int depth = 0;
            int j = text.charAt(next) == '$' ? next + 1 : next;
            do {
                char ch = text.charAt(j);
                depth += ch == '{' ? 1 : ch == '}' ? -1 : 0;
                j++;
            } while (depth > 0);
            i = j;
        }
        return Pattern.compile(regex.toString());
    }
}
