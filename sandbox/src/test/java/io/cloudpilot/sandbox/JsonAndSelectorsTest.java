package io.cloudpilot.sandbox;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure parts: patches, selectors, durations, the selector string of a Scale. */
class JsonAndSelectorsTest {

    @Test
    void mergePatchFollowsRfc7386() {
        Object target = Json.parse("{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"},\"l\":[1,2]}");
        Object patched = Json.mergePatch(target, Json.parse("{\"a\":\"z\",\"c\":{\"f\":null},\"l\":[3]}"));
        assertEquals(Json.parse("{\"a\":\"z\",\"c\":{\"d\":\"e\"},\"l\":[3]}"), patched);
        assertEquals(Json.parse("{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"},\"l\":[1,2]}"), target);
    }

    @Test
    void strategicMergeByName() {
        Object target = Json.parse("{\"containers\":[{\"name\":\"a\",\"image\":\"a:1\"},{\"name\":\"b\",\"image\":\"b:1\"}],"
                + "\"args\":[\"x\"]}");
        Object patched = Json.strategicMergePatch(target, Json.parse("{\"containers\":[{\"name\":\"b\",\"image\":\"b:2\"},"
                + "{\"name\":\"c\",\"image\":\"c:1\"},{\"name\":\"a\",\"$patch\":\"delete\"}],\"args\":[\"y\"]}"));
        assertEquals(Json.parse("{\"containers\":[{\"name\":\"b\",\"image\":\"b:2\"},{\"name\":\"c\",\"image\":\"c:1\"}],"
                + "\"args\":[\"y\"]}"), patched);
    }

    @Test
    void jsonPatchOperations() {
        Object target = Json.parse("{\"spec\":{\"replicas\":3,\"list\":[\"a\"]}}");
        Object patched = Json.jsonPatch(target, Json.parse("[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":3},"
                + "{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":5},{\"op\":\"add\",\"path\":\"/spec/list/-\","
                + "\"value\":\"b\"},{\"op\":\"copy\",\"from\":\"/spec/replicas\",\"path\":\"/spec/copy\"},"
                + "{\"op\":\"remove\",\"path\":\"/spec/list/0\"}]"));
        assertEquals(Json.parse("{\"spec\":{\"replicas\":5,\"list\":[\"b\"],\"copy\":5}}"), patched);
        ApiException failed = assertThrows(ApiException.class, () -> Json.jsonPatch(target, Json.parse(
                "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":4}]")));
        assertEquals(422, failed.code());
        assertThrows(ApiException.class, () -> Json.jsonPatch(target, Json.parse(
                "[{\"op\":\"replace\",\"path\":\"/spec/missing/x\",\"value\":1}]")));
    }

    @Test
    void labelSelectors() {
        Map<String, String> labels = Map.of("app", "cart", "version", "v1");
        assertTrue(Selectors.labels("app=cart,version in (v1, v2),!canary").test(labels));
        assertTrue(Selectors.labels("app==cart,tier notin (db)").test(labels));
        assertFalse(Selectors.labels("app!=cart").test(labels));
        assertFalse(Selectors.labels("version notin (v1)").test(labels));
        assertTrue(Selectors.labels("version").test(labels));
        assertFalse(Selectors.labels("tier").test(labels));
        assertTrue(Selectors.labels(null).test(labels));
        assertTrue(Selectors.labels("version in(v1,v2)").test(labels), "no blank needed before '('");
        ApiException bad = assertThrows(ApiException.class, () -> Selectors.labels("app in v1"));
        assertEquals(400, bad.code());
        assertEquals("unable to parse requirement: found 'v1' expected: '('", bad.getMessage());
    }

    @Test
    void fieldSelectors() {
        Map<String, Object> pod = Json.parseObject("{\"metadata\":{\"name\":\"p\",\"namespace\":\"shop\"},"
                + "\"spec\":{\"nodeName\":\"worker-1\"},\"status\":{\"phase\":\"Running\"}}");
        assertTrue(Selectors.fields("spec.nodeName=worker-1,status.phase!=Pending", "pods").test(pod));
        assertFalse(Selectors.fields("spec.nodeName==worker-2", "pods").test(pod));
        assertTrue(Selectors.fields("metadata.namespace=shop", "configmaps").test(pod));
        ApiException unsupported = assertThrows(ApiException.class, () -> Selectors.fields("spec.nodeName=x",
                "configmaps"));
        assertEquals("field label not supported: spec.nodeName", unsupported.getMessage());
        Map<String, Object> event = Json.parseObject("{\"source\":{\"component\":\"kubelet\"}}");
        assertTrue(Selectors.fields("source=kubelet", "events").test(event));
        assertEquals("field label not supported: status.phase ", assertThrows(ApiException.class,
                () -> Selectors.fields("status.phase = Running", "pods")).getMessage(), "nothing is trimmed");
    }

    @Test
    void durationsAndSelectorStrings() {
        assertEquals(Duration.ofDays(3).plusHours(4), Fixtures.duration("3d4h"));
        assertEquals(Duration.ofMinutes(4).plusSeconds(10), Fixtures.duration("4m10s"));
        assertThrows(IllegalStateException.class, () -> Fixtures.duration("3x"));
        Map<String, Object> deployment = Json.parseObject("{\"spec\":{\"selector\":{\"matchLabels\":{\"version\":\"v1\","
                + "\"app\":\"frontend\"},\"matchExpressions\":[{\"key\":\"tier\",\"operator\":\"In\",\"values\":[\"web\","
                + "\"api\"]}]}}}");
        assertEquals("app=frontend,tier in (api,web),version=v1", Scaler.selectorString(deployment));
    }
}
