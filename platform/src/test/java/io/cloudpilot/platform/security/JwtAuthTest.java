package io.cloudpilot.platform.security;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.cloudpilot.platform.AllLogs;
import io.cloudpilot.platform.CloudPilotServer;
import io.cloudpilot.platform.json.Json;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cloudpilot.auth.mode=jwt}: tokens an identity provider would issue, signed in the test with RSA and EC keys
 * whose public halves are in a JWKS file; the role comes from a claim. Every way a token can be wrong is a 401.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwtAuthTest {

    private static final String ISSUER = "https://idp.example.com/realms/platform";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private KeyPair rsa;
    private KeyPair ec;
    private KeyPair stranger;
    private Path dataDir;
    private CloudPilotServer server;
    private AllLogs logs;
    private final List<String> issued = new ArrayList<>();
    private final String staticAdmin = ApiAuthTest.token();

    @BeforeAll
    void start() throws Exception {
        KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
        r.initialize(2048);
        rsa = r.generateKeyPair();
        stranger = r.generateKeyPair();
        KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
        e.initialize(new ECGenParameterSpec("secp256r1"));
        ec = e.generateKeyPair();
        dataDir = Files.createTempDirectory("cloudpilot-jwt-test-");
        RSAPublicKey rp = (RSAPublicKey) rsa.getPublic();
        ECPublicKey ep = (ECPublicKey) ec.getPublic();
        String jwks = Json.MAPPER.writeValueAsString(Map.of("keys", List.of(
                Map.of("kty", "RSA", "kid", "rsa-1", "use", "sig", "n", b64(rp.getModulus()), "e",
                        b64(rp.getPublicExponent())),
                Map.of("kty", "EC", "kid", "ec-1", "crv", "P-256", "x", b64(ep.getW().getAffineX()), "y",
                        b64(ep.getW().getAffineY())))));
        Path jwksFile = Files.writeString(dataDir.resolve("jwks.json"), jwks);
        logs = new AllLogs();
        Map<String, String> s = new HashMap<>();
        s.put("server.port", "0");
        s.put("server.host", "127.0.0.1");
        s.put("cloudpilot.mode", "server");
        s.put("cloudpilot.data-dir", dataDir.toString());
        s.put("plugins.dirs", dataDir.resolve("no-plugins").toString());
        s.put("cloudpilot.auth.mode", "jwt");
        s.put("cloudpilot.auth.jwt.jwks", jwksFile.toString());
        s.put("cloudpilot.auth.jwt.issuer", ISSUER);
        s.put("cloudpilot.auth.jwt.audience", "cloudpilot");
        s.put("cloudpilot.auth.jwt.name-claim", "preferred_username");
        s.put("cloudpilot.auth.tokens.0.name", "automation");
        s.put("cloudpilot.auth.tokens.0.role", "admin");
        s.put("cloudpilot.auth.tokens.0.hash", ApiAuthTest.hash(staticAdmin));
        server = CloudPilotServer.start(Optional.empty(), s);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    private static String b64(BigInteger n) {
        byte[] b = n.toByteArray();
        if (b.length > 1 && b[0] == 0) {
            b = java.util.Arrays.copyOfRange(b, 1, b.length);
        }
        return B64.encodeToString(b);
    }

    private Map<String, Object> claims(String user, Object role) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", ISSUER);
        c.put("aud", List.of("account", "cloudpilot"));
        c.put("sub", "f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
        c.put("preferred_username", user);
        c.put("exp", Instant.now().plusSeconds(300).getEpochSecond());
        c.put("iat", Instant.now().getEpochSecond());
        if (role != null) {
            c.put("cloudpilot_role", role);
        }
        return c;
    }

    private String sign(String alg, String kid, Map<String, Object> claims, PrivateKey key) throws Exception {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", alg);
        header.put("typ", "JWT");
        if (kid != null) {
            header.put("kid", kid);
        }
        return sign(header, claims, key);
    }

    private String sign(Map<String, Object> header, Map<String, Object> claims, PrivateKey key) throws Exception {
        String alg = (String) header.get("alg");
        String input = B64.encodeToString(Json.MAPPER.writeValueAsBytes(header)) + "."
                + B64.encodeToString(Json.MAPPER.writeValueAsBytes(claims));
        Signature s = Signature.getInstance(alg.equals("RS256") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
        s.initSign(key);
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        String jwt = input + "." + B64.encodeToString(s.sign());
        issued.add(jwt);
        return jwt;
    }

    private AuthClient as(String jwt) {
        return AuthClient.bearer(server.url(), jwt);
    }

    @Test
    void validTokensActWithTheRoleOfTheirClaim() throws Exception {
        String viewer = sign("RS256", "rsa-1", claims("vera", "viewer"), rsa.getPrivate());
        assertEquals(200, as(viewer).get("/k8s/cluster/list").status());
        AuthClient.Answer denied = as(viewer).post("/k8s/cluster/add", Map.of("name", "jwt-one", "api_server",
                "https://k.example", "token", "t0k-jwt", "verify", false));
        assertEquals(403, denied.status(), denied::toString);
        assertThat(denied.message()).as(denied::message).contains("'jwt:vera'");

        // ES256, the role among several values of the claim: the highest counts
        String admin = sign("ES256", "ec-1", claims("ada", List.of("viewer", "admin", "unrelated")), ec.getPrivate());
        AuthClient.Answer added = as(admin).post("/k8s/cluster/add", Map.of("name", "jwt-one", "api_server",
                "https://k.example", "token", "t0k-jwt", "verify", false));
        assertEquals(200, added.status(), added::toString);

        AuthClient.Answer audit = AuthClient.bearer(server.url(), staticAdmin).get("/audit?result=ok");
        assertEquals(200, audit.status(), "the configured API tokens keep working next to JWTs: " + audit);
        assertEquals("jwt:ada", audit.data().path("entries").get(0).path("principal").asString(), audit::toString);
        assertEquals("admin", audit.data().path("entries").get(0).path("role").asString());
    }

    @Test
    void everyWrongTokenIs401() throws Exception {
        Map<String, Object> expired = claims("eve", "admin");
        expired.put("exp", Instant.now().minusSeconds(600).getEpochSecond());
        Map<String, Object> notYet = claims("eve", "admin");
        notYet.put("nbf", Instant.now().plusSeconds(600).getEpochSecond());
        Map<String, Object> otherIssuer = claims("eve", "admin");
        otherIssuer.put("iss", "https://evil.example.com");
        Map<String, Object> otherAudience = claims("eve", "admin");
        otherAudience.put("aud", "another-app");
        Map<String, Object> noExp = claims("eve", "admin");
        noExp.remove("exp");
        String good = sign("RS256", "rsa-1", claims("eve", "viewer"), rsa.getPrivate());
        String[] parts = good.split("\\.");
        String escalated = parts[0] + "." + B64.encodeToString(Json.MAPPER.writeValueAsBytes(claims("eve", "admin")))
                + "." + parts[2];
        String unsigned = B64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + parts[1] + ".";
        // HS256 keyed with the RSA public key: the classic algorithm confusion
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(rsa.getPublic().getEncoded(), "HmacSHA256"));
        String hsInput = B64.encodeToString("{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}".getBytes(StandardCharsets.UTF_8))
                + "." + parts[1];
        String confused = hsInput + "." + B64.encodeToString(mac.doFinal(hsInput.getBytes(StandardCharsets.US_ASCII)));
        issued.add(confused);

        Map<String, String> wrong = new LinkedHashMap<>();
        wrong.put("expired", sign("RS256", "rsa-1", expired, rsa.getPrivate()));
        wrong.put("not yet valid", sign("RS256", "rsa-1", notYet, rsa.getPrivate()));
        wrong.put("other issuer", sign("RS256", "rsa-1", otherIssuer, rsa.getPrivate()));
        wrong.put("other audience", sign("RS256", "rsa-1", otherAudience, rsa.getPrivate()));
        wrong.put("no exp", sign("RS256", "rsa-1", noExp, rsa.getPrivate()));
        wrong.put("no role", sign("RS256", "rsa-1", claims("eve", null), rsa.getPrivate()));
        wrong.put("unknown role", sign("RS256", "rsa-1", claims("eve", "root"), rsa.getPrivate()));
        wrong.put("key not in the JWKS", sign("RS256", "rsa-1", claims("eve", "admin"), stranger.getPrivate()));
        wrong.put("unknown kid", sign("RS256", "rsa-9", claims("eve", "admin"), rsa.getPrivate()));
        wrong.put("RSA kid for ES256", sign("ES256", "rsa-1", claims("eve", "admin"), ec.getPrivate()));
        wrong.put("payload changed after signing", escalated);
        wrong.put("alg none", unsigned);
        wrong.put("HS256 with the public key", confused);
        wrong.put("garbage with two dots", "a.b.c");
        Map<String, Object> critical = new LinkedHashMap<>(Map.of("alg", "RS256", "kid", "rsa-1", "crit",
                List.of("exp"), "exp", Instant.now().plusSeconds(300).getEpochSecond()));
        wrong.put("crit header", sign(critical, claims("eve", "admin"), rsa.getPrivate()));
        for (Map.Entry<String, String> w : wrong.entrySet()) {
            AuthClient.Answer a = as(w.getValue()).get("/k8s/cluster/list");
            assertEquals(401, a.status(), () -> w.getKey() + ": " + a);
            assertEquals("Unauthenticated", a.errorType(), w.getKey());
            assertThat(a.raw()).as(w.getKey()).doesNotContain(w.getValue());
        }
        assertEquals(200, as(good).get("/k8s/cluster/list").status(), "the untouched token works");
    }

    @Test
    void aJwtNamedLikeAnApiTokenIsAuditedAsAJwt() throws Exception {
        // issue 20: a JWT whose name claim was "automation" was audited as the API token "automation"
        String lookalike = sign("RS256", "rsa-1", claims("automation", "admin"), rsa.getPrivate());
        AuthClient.Answer removed = as(lookalike).delete("/k8s/cluster/remove?cluster_name=no-such-cluster");
        assertEquals(404, removed.status(), removed::toString);
        AuthClient.Answer real = AuthClient.bearer(server.url(), staticAdmin)
                .delete("/k8s/cluster/remove?cluster_name=no-such-cluster-either");
        assertEquals(404, real.status(), real::toString);
        AuthClient.Answer audit = AuthClient.bearer(server.url(), staticAdmin).get("/audit?result=ClusterNotFound");
        List<String> principals = new ArrayList<>();
        audit.data().path("entries").forEach(e -> principals.add(e.path("cluster").asString() + "="
                + e.path("principal").asString()));
        assertThat(principals).as(principals::toString).contains("no-such-cluster=jwt:automation");
        assertThat(principals).as(principals::toString).contains("no-such-cluster-either=token:automation");
    }

    /**
     * Its own tokens, accepted and refused, whatever ran before (the tokens of the other tests are checked too when
     * they ran): each request reached the log (control), and no line holds a token or its signature.
     */
    @Test
    void noJwtInAnyLogLine() throws Exception {
        Map<String, Object> expired = claims("lee", "viewer");
        expired.put("exp", Instant.now().minusSeconds(600).getEpochSecond());
        List<String> mine = List.of(sign("RS256", "rsa-1", claims("lee", "viewer"), rsa.getPrivate()),
                sign("RS256", "rsa-1", expired, rsa.getPrivate()),
                sign("RS256", "rsa-1", claims("lee", "viewer"), stranger.getPrivate()));
        for (int i = 0; i < mine.size(); i++) {
            AuthClient.Answer a = as(mine.get(i)).get("/jwt-log-" + i); // a path of its own, to find its log line
            assertEquals(i == 0 ? 404 : 401, a.status(), a::toString);
        }
        // the access log is written once the answer has gone: wait for the last request's line
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!logs.lines().stream().anyMatch(l -> l.contains("jwt-log-" + (mine.size() - 1)))
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<String> lines = logs.lines();
        for (int i = 0; i < mine.size(); i++) {
            String marker = "jwt-log-" + i;
            assertTrue(lines.stream().anyMatch(l -> l.contains(marker)), () -> "the request " + marker
                    + " was logged, so the log is the one scanned: " + lines.size() + " lines");
        }
        assertTrue(issued.containsAll(mine));
        for (String jwt : issued) {
            String signature = jwt.substring(jwt.lastIndexOf('.') + 1);
            for (String line : lines) {
                assertFalse(line.contains(jwt) || (!signature.isEmpty() && line.contains(signature)),
                        () -> "a JWT in the log: " + line);
            }
        }
    }
}
