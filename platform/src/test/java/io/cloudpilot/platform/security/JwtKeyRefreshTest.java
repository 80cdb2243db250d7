package io.cloudpilot.platform.security;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import io.cloudpilot.platform.CloudPilotServer;
import io.cloudpilot.platform.json.Json;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JWT keys of an identity provider over HTTPS, as in production: found by OpenID Connect discovery
 * ({@code <issuer>/.well-known/openid-configuration} → {@code jwks_uri}), fetched again for an unknown key id (rate-
 * limited), and no longer trusted once the provider removed them and the refresh interval passed. The provider is a
 * local HTTPS server whose certificate (made with the JDK's keytool) is trusted through
 * {@code cloudpilot.auth.jwt.ca-file}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwtKeyRefreshTest {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Path dir;
    private HttpsServer idp;
    private String issuer;
    private final Map<String, KeyPair> published = new LinkedHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger keyFetches = new AtomicInteger();
    private CloudPilotServer server;

    @BeforeAll
    void startIdentityProvider() throws Exception {
        dir = Files.createTempDirectory("cloudpilot-jwt-idp-");
        Path store = dir.resolve("idp.p12");
        keytool("-genkeypair", "-alias", "idp", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "idp", "-keystore", store.toString(), "-storepass", "changeit",
                "-file", dir.resolve("idp-ca.pem").toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        idp = HttpsServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        idp.setHttpsConfigurator(new HttpsConfigurator(tls));
        String base = "https://127.0.0.1:" + idp.getAddress().getPort();
        issuer = base + "/realms/platform";
        idp.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            byte[] body;
            int status = 200;
            if (path.equals("/realms/platform/.well-known/openid-configuration")) {
                body = Json.MAPPER.writeValueAsBytes(Map.of("issuer", issuer, "jwks_uri", base + "/realms/platform/certs"));
            } else if (path.equals("/realms/platform/certs")) {
                keyFetches.incrementAndGet();
                body = Json.MAPPER.writeValueAsBytes(Map.of("keys", jwks()));
            } else {
                status = 404;
                body = "{}".getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        idp.start();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @AfterAll
    void stopIdentityProvider() {
        if (idp != null) {
            idp.stop(0);
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + out);
    }

    private synchronized List<Map<String, String>> jwks() {
        List<Map<String, String>> keys = new ArrayList<>();
        published.forEach((kid, pair) -> {
            RSAPublicKey k = (RSAPublicKey) pair.getPublic();
            keys.add(Map.of("kty", "RSA", "kid", kid, "use", "sig", "alg", "RS256", "n", b64(k.getModulus()),
                    "e", b64(k.getPublicExponent())));
        });
        return keys;
    }

    private synchronized void publish(String kid) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        published.put(kid, g.generateKeyPair());
    }

    private synchronized KeyPair unpublish(String kid) {
        return published.remove(kid);
    }

    private synchronized KeyPair key(String kid) {
        return published.get(kid);
    }

    private static String b64(BigInteger n) {
        byte[] b = n.toByteArray();
        if (b.length > 1 && b[0] == 0) {
            b = java.util.Arrays.copyOfRange(b, 1, b.length);
        }
        return B64.encodeToString(b);
    }

    private String token(String kid, KeyPair pair) throws Exception {
        Map<String, Object> header = Map.of("alg", "RS256", "typ", "JWT", "kid", kid);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", "ops-" + kid);
        claims.put("exp", Instant.now().plusSeconds(300).getEpochSecond());
        claims.put("cloudpilot_role", "viewer");
        String input = B64.encodeToString(Json.MAPPER.writeValueAsBytes(header)) + "."
                + B64.encodeToString(Json.MAPPER.writeValueAsBytes(claims));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(pair.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(s.sign());
    }

    private void startServer(String refresh) throws IOException {
        Map<String, String> s = new HashMap<>();
        s.put("server.port", "0");
        s.put("server.host", "127.0.0.1");
        s.put("cloudpilot.mode", "server");
        s.put("cloudpilot.data-dir", Files.createTempDirectory(dir, "data-").toString());
        s.put("plugins.dirs", dir.resolve("no-plugins").toString());
        s.put("cloudpilot.auth.mode", "jwt");
        s.put("cloudpilot.auth.jwt.issuer", issuer); // no jwks: discovery
        s.put("cloudpilot.auth.jwt.ca-file", dir.resolve("idp-ca.pem").toString());
        s.put("cloudpilot.auth.jwt.jwks-refresh", refresh);
        server = CloudPilotServer.start(Optional.empty(), s);
    }

    private int status(String jwt) {
        return AuthClient.bearer(server.url(), jwt).get("/k8s/cluster/list").status();
    }

    @Test
    void discoveryFindsTheKeysAndAnUnknownKeyIdIsFetchedAtOnceButRateLimited() throws Exception {
        publish("k1");
        startServer("PT1H");
        assertEquals(200, status(token("k1", key("k1"))), "keys found through " + issuer
                + "/.well-known/openid-configuration");
        assertThat(requests).as(requests.toString()).contains("/realms/platform/.well-known/openid-configuration");

        // the provider rotates in a new key: a token naming it is verified at once, without waiting an hour
        publish("k2");
        int before = keyFetches.get();
        assertEquals(200, status(token("k2", key("k2"))));
        assertEquals(before + 1, keyFetches.get(), "one fetch for the unknown key id");

        // a flood of tokens naming keys nobody published does not become a flood of fetches
        int flood = keyFetches.get();
        KeyPair stranger = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        for (int i = 0; i < 20; i++) {
            assertEquals(401, status(token("unknown-" + i, stranger)));
        }
        assertTrue(keyFetches.get() - flood <= 2, "at most 2 fetches per 30 s: " + (keyFetches.get() - flood));
        unpublish("k1");
        unpublish("k2");
    }

    @Test
    void aRemovedKeyIsNoLongerTrustedAfterTheRefreshInterval() throws Exception {
        publish("k3");
        publish("k4");
        startServer("PT2S");
        String signedWithK3 = token("k3", key("k3"));
        assertEquals(200, status(signedWithK3));
        assertEquals(200, status(token("k4", key("k4"))));

        unpublish("k3"); // the provider revokes k3
        Thread.sleep(3000); // past the refresh interval (PT2S)
        assertEquals(401, status(signedWithK3), "a removed key is not trusted past jwks-refresh");
        assertEquals(200, status(token("k4", key("k4"))), "the remaining key still is");
        unpublish("k4");
    }
}
