package io.cloudpilot.platform.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

import org.eclipse.microprofile.config.Config;

/**
 * How every cluster client is built: explicit connect and request timeouts and a short retry limit, because
 * fabric8's defaults retry for ~19 s on a closed port and ~40 s on a silent server (reference/fabric8-notes).
 *
 * @param connectTimeout  TCP/TLS connect bound ({@code cluster.connect-timeout}, default 5 s)
 * @param requestTimeout  bound on one request ({@code cluster.request-timeout}, default 15 s)
 * @param retries         retries of a failed request ({@code cluster.retries}, default 1)
 */
public record ClientSettings(Duration connectTimeout, Duration requestTimeout, int retries) {

    /**
     * @param config the server's configuration
     * @return the settings it names, with defaults
     */
    public static ClientSettings from(Config config) {
        return new ClientSettings(
                config.getOptionalValue("cluster.connect-timeout", Duration.class).orElse(Duration.ofSeconds(5)),
                config.getOptionalValue("cluster.request-timeout", Duration.class).orElse(Duration.ofSeconds(15)),
                config.getOptionalValue("cluster.retries", Integer.class).orElse(1));
    }

    /**
     * @param base a client configuration with the cluster's address and credentials
     * @return a client bounded by these settings
     */
    public KubernetesClient build(io.fabric8.kubernetes.client.Config base) {
        ConfigBuilder config = new ConfigBuilder(base);
        pkcs8KeyAlgorithm(base).ifPresent(config::withClientKeyAlgo);
        io.fabric8.kubernetes.client.Config bounded = config
                .withConnectionTimeout((int) connectTimeout.toMillis())
                .withRequestTimeout((int) requestTimeout.toMillis())
                .withRequestRetryBackoffLimit(retries)
                .withRequestRetryBackoffInterval(200)
                .build();
        return new KubernetesClientBuilder()
                .withConfig(bounded)
                .withHttpClientFactory(new NoRedirects())
                .withTaskExecutor(TASKS)
                .withKubernetesSerialization(new LeanSerialization())
                // fabric8 adds a logging interceptor that writes request headers (the bearer token) at TRACE:
                // no log level may reveal a cluster credential, so no client of ours has it
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("HttpLogging", null))
                .build();
    }

    /**
     * fabric8 reads a PKCS#8 client key ({@code BEGIN PRIVATE KEY}) as {@code clientKeyAlgo}, RSA unless told, so an
     * EC key in that form fails; its algorithm is in the key itself.
     *
     * @return the algorithm of the configured client key, when it is PKCS#8 and not RSA
     */
    static Optional<String> pkcs8KeyAlgorithm(io.fabric8.kubernetes.client.Config config) {
        String pem;
        try {
            if (config.getClientKeyData() != null) {
                pem = new String(Base64.getMimeDecoder().decode(config.getClientKeyData()), StandardCharsets.US_ASCII);
            } else if (config.getClientKeyFile() != null) {
                pem = Files.readString(Path.of(config.getClientKeyFile()), StandardCharsets.US_ASCII);
            } else {
                return Optional.empty();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // fabric8 says what is wrong with it when it builds the client
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            return Optional.empty();
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                return algorithm.equals("RSA") ? Optional.empty() : Optional.of(algorithm);
            } catch (GeneralSecurityException e) {
                // not this algorithm
            }
        }
        return Optional.empty();
    }

    /**
     * fabric8 follows every redirect, to any host, with the cluster's bearer token: an API server (or whatever answers
     * at its address) could send CloudPilot's credentials elsewhere. A Kubernetes API server never redirects its API.
     */
    private static final class NoRedirects extends JdkHttpClientFactory {
        /** The shared executor instead of fabric8's pool per client, which it shuts down when the client closes. */
        @Override
        protected java.net.http.HttpClient.Builder createNewHttpClientBuilder() {
            return java.net.http.HttpClient.newBuilder().executor(TASKS);
        }

        @Override
        protected void additionalConfig(java.net.http.HttpClient.Builder builder) {
            builder.followRedirects(java.net.http.HttpClient.Redirect.NEVER);
        }
    }

    /**
     * Runs the tasks of every cluster's client (the HTTP client's response handling, fabric8's callbacks and informer
     * events) on virtual threads: each client had two cached thread pools of its own, about six threads per cluster
     * once read (661 threads with 100 clusters). What stays per cluster is the JDK client's selector thread. Closing a
     * client never shuts it down: fabric8 calls no {@code onClose} for an executor given by {@code withTaskExecutor},
     * and its JDK factory shuts down only the pools it made itself.
     */
    private static final ExecutorService TASKS = Executors.newVirtualThreadPerTaskExecutor();

    /** @return the executor every cluster client's tasks run on */
    public static Executor tasks() {
        return TASKS;
    }
}
