package io.cloudpilot.platform.registry;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import io.cloudpilot.k8s.syntax.Names;
import io.cloudpilot.spi.ApiException;
import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Turns what a caller sends into a {@link ClusterRegistration}, or a 400 {@code ValidationError} naming the field;
 * and a registration into a fabric8 client configuration. No message ever quotes a token, a kubeconfig or a value
 * that might be one (a secret pasted into the wrong field); only field names and the accepted forms.
 */
public final class Registrations {

    /** DNS-1123 label. */
    static final int MAX_DESCRIPTION = 1024;
    static final int MAX_URL = 2048;
    static final int MAX_TOKEN = 16 * 1024;
    static final int MAX_KUBECONFIG = 256 * 1024;
    static final int MAX_CA_DATA = 256 * 1024;

    private Registrations() {
    }

    /**
     * Validates the body of {@code POST /k8s/cluster/add}.
     *
     * @param r the body, or null when there was none
     * @return the registration
     * @throws ApiException.ValidationError naming the field that is wrong
     */
    public static ClusterRegistration validate(AddClusterRequest r) {
        if (r == null) {
            throw invalid("The request body is missing: send a JSON object with 'name', 'api_server' and 'token' "
                    + "(or 'name' and 'kubeconfig').", "body");
        }
        String name = validName(r.name());
        String description = validDescription(r.description());
        boolean insecure = Boolean.TRUE.equals(r.insecure());
        boolean skipVerify = Boolean.TRUE.equals(r.insecureSkipTlsVerify());
        if (r.kubeconfig() != null) {
            if (r.apiServer() != null || r.token() != null) {
                throw invalid("Give either 'kubeconfig', or 'api_server' with 'token', not both: the kubeconfig names "
                        + "its own server and credentials.", r.apiServer() != null ? "api_server" : "token");
            }
            if (r.caData() != null) {
                throw invalid("Field 'ca_data' does not apply to a kubeconfig registration: put "
                        + "certificate-authority-data in the kubeconfig's cluster.", "ca_data");
            }
            if (r.insecureSkipTlsVerify() != null) {
                throw invalid("Field 'insecure_skip_tls_verify' does not apply to a kubeconfig registration: set "
                        + "insecure-skip-tls-verify in the kubeconfig's cluster.", "insecure_skip_tls_verify");
            }
            return fromKubeconfig(name, r.kubeconfig(), description, insecure, true, "kubeconfig");
        }
        if (r.apiServer() == null && r.token() == null) {
            throw invalid("Give 'api_server' and 'token', or 'kubeconfig': the request has neither.", "api_server");
        }
        if (r.apiServer() == null) {
            throw invalid("Field 'api_server' is required with 'token': give the API server's https:// URL (or send "
                    + "'kubeconfig' instead).", "api_server");
        }
        if (r.token() == null) {
            throw invalid("Field 'token' is required with 'api_server' (or send 'kubeconfig' instead).", "token");
        }
        URI url = validUrl(r.apiServer(), insecure, true, "api_server");
        String token = validToken(r.token());
        TlsMode tls;
        String caData = null;
        if (isHttp(url)) {
            if (r.caData() != null) {
                throw invalid("Field 'ca_data' does not apply to an http:// api_server (no TLS).", "ca_data");
            }
            if (skipVerify) {
                throw invalid("Field 'insecure_skip_tls_verify' does not apply to an http:// api_server (no TLS).",
                        "insecure_skip_tls_verify");
            }
            tls = TlsMode.PLAIN_HTTP;
        } else if (r.caData() != null) {
            if (skipVerify) {
                throw invalid("Give 'ca_data' or 'insecure_skip_tls_verify: true', not both: with CA data the "
                        + "certificate is verified.", "insecure_skip_tls_verify");
            }
            caData = validCaData(r.caData(), "ca_data");
            tls = TlsMode.VERIFIED_CA_DATA;
        } else {
            tls = skipVerify ? TlsMode.INSECURE_SKIP_VERIFY : TlsMode.VERIFIED_SYSTEM_TRUST;
        }
        return new ClusterRegistration(name, url.toString(), description, AuthKind.TOKEN, tls, caData, token, null);
    }

    /**
     * Validates a kubeconfig the operator configured (not an API caller): an {@code http://} server is accepted
     * without {@code insecure}; everything else is checked as for the API.
     *
     * @param name        the cluster's name
     * @param kubeconfig  the kubeconfig text
     * @param description free text, or null
     * @return the registration
     * @throws ApiException.ValidationError when the name or the kubeconfig is not usable
     */
    public static ClusterRegistration fromKubeconfigFile(String name, String kubeconfig, String description) {
        return fromKubeconfig(validName(name), kubeconfig, validDescription(description), true, false, "kubeconfig");
    }

    /**
     * Validates a kubeconfig registration and reduces the kubeconfig to its current context (the only one used, so
     * the only credentials kept).
     *
     * @param name        the cluster's name (already valid)
     * @param kubeconfig  the kubeconfig text
     * @param description free text
     * @param allowHttp   whether an {@code http://} server is accepted
     * @param strict      whether {@code allowHttp} with an {@code https://} server is an error (the API's
     *                    {@code insecure} flag must not be set without purpose)
     * @param field       the field name for messages
     * @return the registration
     */
    static ClusterRegistration fromKubeconfig(String name, String kubeconfig, String description, boolean allowHttp,
                                              boolean strict, String field) {
        if (kubeconfig.isBlank()) {
            throw invalid("Field '" + field + "' is empty: give the kubeconfig's YAML text.", field);
        }
        if (kubeconfig.length() > MAX_KUBECONFIG) {
            throw invalid("Field '" + field + "' is larger than " + MAX_KUBECONFIG / 1024 + " KiB.", field);
        }
        io.fabric8.kubernetes.api.model.Config model;
        try {
            model = KubeConfigUtils.parseConfigFromString(kubeconfig);
        } catch (RuntimeException e) {
            model = null;
        }
        if (model == null) {
            // never quote the parser: its message repeats parts of the text
            throw invalid("Field '" + field + "' is not a valid kubeconfig: give YAML with clusters, users, contexts "
                    + "and current-context.", field);
        }
        String current = model.getCurrentContext();
        NamedContext context = current == null ? null : find(model.getContexts(), c -> c.getName(), current);
        if (context == null || context.getContext() == null) {
            throw invalid("Field '" + field + "' has no current-context naming one of its contexts: CloudPilot uses the "
                    + "current context.", field);
        }
        NamedCluster cluster = find(model.getClusters(), NamedCluster::getName, context.getContext().getCluster());
        if (cluster == null || cluster.getCluster() == null || cluster.getCluster().getServer() == null) {
            throw invalid("Field '" + field + "': the current context's cluster is missing or has no server.", field);
        }
        NamedAuthInfo user = find(model.getUsers(), NamedAuthInfo::getName, context.getContext().getUser());
        if (user == null || user.getUser() == null) {
            throw invalid("Field '" + field + "': the current context's user is missing: CloudPilot needs its "
                    + "credentials.", field);
        }
        Cluster c = cluster.getCluster();
        AuthInfo u = user.getUser();
        String forbidden = u.getExec() != null ? "exec"
                : u.getAuthProvider() != null ? "auth-provider"
                : u.getTokenFile() != null ? "tokenFile"
                : u.getClientCertificate() != null ? "client-certificate"
                : u.getClientKey() != null ? "client-key"
                : c.getCertificateAuthority() != null ? "certificate-authority"
                : null;
        if (forbidden != null) {
            throw invalid("Field '" + field + "' uses '" + forbidden + "': CloudPilot runs no command and reads no file "
                    + "named by a registered kubeconfig. Give inline credentials: token, or client-certificate-data "
                    + "with client-key-data, and certificate-authority-data.", field);
        }
        boolean hasToken = u.getToken() != null && !u.getToken().isBlank();
        boolean hasCert = u.getClientCertificateData() != null && u.getClientKeyData() != null;
        boolean hasBasic = u.getUsername() != null && u.getPassword() != null;
        if (!hasToken && !hasCert && !hasBasic) {
            throw invalid("Field '" + field + "': the current context's user has no credentials: give token, or "
                    + "client-certificate-data with client-key-data.", field);
        }
        if (hasToken) {
            validToken(u.getToken(), field);
        }
        URI url = validUrl(c.getServer(), allowHttp, strict, field);
        TlsMode tls;
        String caData = null;
        if (isHttp(url)) {
            tls = TlsMode.PLAIN_HTTP;
        } else if (Boolean.TRUE.equals(c.getInsecureSkipTlsVerify())) {
            tls = TlsMode.INSECURE_SKIP_VERIFY;
        } else if (c.getCertificateAuthorityData() != null) {
            caData = validCaData(c.getCertificateAuthorityData(), field);
            tls = TlsMode.VERIFIED_CA_DATA;
        } else {
            tls = TlsMode.VERIFIED_SYSTEM_TRUST;
        }
        io.fabric8.kubernetes.api.model.Config reduced = new io.fabric8.kubernetes.api.model.ConfigBuilder()
                .withApiVersion("v1").withKind("Config")
                .withClusters(cluster).withUsers(user).withContexts(context).withCurrentContext(context.getName())
                .build();
        String text = Serialization.asYaml(reduced);
        ClusterRegistration registration = new ClusterRegistration(name, url.toString(), description,
                AuthKind.KUBECONFIG, tls, caData, null, text);
        try {
            clientConfig(registration);
        } catch (RuntimeException e) {
            throw invalid("Field '" + field + "': its current context cannot be turned into a client configuration; "
                    + "check its certificate and key data.", field);
        }
        return registration;
    }

    /**
     * @param r a registration
     * @return the fabric8 configuration of its address and credentials, built from {@link Config#empty()} (never
     *         from the local kubeconfig or the environment)
     */
    public static Config clientConfig(ClusterRegistration r) {
        if (r.authKind() == AuthKind.KUBECONFIG) {
            io.fabric8.kubernetes.api.model.Config model = KubeConfigUtils.parseConfigFromString(r.kubeconfig());
            // merge() fills a Config from the model; unlike Config.fromKubeconfig it applies no environment overrides
            Config config = Config.empty();
            KubeConfigUtils.merge(config, model.getCurrentContext(), model);
            return new ConfigBuilder(config).build();
        }
        ConfigBuilder b = new ConfigBuilder(Config.empty())
                .withMasterUrl(r.apiServer())
                .withOauthToken(r.token());
        switch (r.tlsMode()) {
            case VERIFIED_CA_DATA -> b.withCaCertData(r.caData());
            case INSECURE_SKIP_VERIFY -> b.withTrustCerts(true).withDisableHostnameVerification(true);
            default -> {
            }
        }
        return b.build();
    }

    static String validName(String name) {
        if (name == null || name.isEmpty()) {
            throw invalid("Field 'name' is required: the cluster's name, a DNS-1123 label such as 'prod-eu-1'.", "name");
        }
        if (!Names.isDns1123Label(name)) {
            throw invalid("Field 'name' is not a valid cluster name: use at most " + Names.MAX_LABEL + " lower-case letters, "
                    + "digits and '-', starting and ending with a letter or digit.", "name");
        }
        return name;
    }

    static String validDescription(String description) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw invalid("Field 'description' is longer than " + MAX_DESCRIPTION + " characters.", "description");
        }
        return description;
    }

    private static String validToken(String token) {
        return validToken(token, "token");
    }

    private static String validToken(String token, String field) {
        String what = field.equals("token") ? "Field 'token'" : "The token in field '" + field + "'";
        if (token.isBlank()) {
            throw invalid(what + " is empty.", field);
        }
        if (token.length() > MAX_TOKEN) {
            throw invalid(what + " is longer than " + MAX_TOKEN + " characters.", field);
        }
        for (int i = 0; i < token.length(); i++) {
            char ch = token.charAt(i);
            if (ch < 0x21 || ch > 0x7e) {
                throw invalid(what + " must be a bearer token: printable ASCII without spaces or line breaks.", field);
            }
        }
        return token;
    }

    private static URI validUrl(String value, boolean allowHttp, boolean rejectUnusedInsecure, String field) {
        String where = field.equals("api_server") ? "Field 'api_server'" : "The server of field '" + field + "'";
        String shape = "give an absolute URL such as https://api.example.com:6443";
        if (value == null || value.isBlank()) {
            throw invalid(where + " is empty: " + shape + ".", field);
        }
        if (value.length() > MAX_URL) {
            throw invalid(where + " is longer than " + MAX_URL + " characters.", field);
        }
        URI url;
        try {
            url = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw invalid(where + " is not a valid URL: " + shape + ".", field);
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || url.isOpaque() || !(scheme.equals("https") || scheme.equals("http"))) {
            throw invalid(where + " is not an absolute http(s) URL: " + shape + ".", field);
        }
        if (url.getHost() == null) {
            throw invalid(where + " has no host name: " + shape + ".", field);
        }
        if (url.getPort() == 0 || url.getPort() > 65535) {
            // java.net.URI takes any digits; without this check verify: false stored a server no client can reach
            throw invalid(where + " has port " + url.getPort() + ": a port is 1 to 65535.", field);
        }
        if (url.getRawUserInfo() != null) {
            throw invalid(where + " must not contain user information: credentials go in 'token'.", field);
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw invalid(where + " must not have a query or fragment: " + shape + ".", field);
        }
        if (scheme.equals("http") && !allowHttp) {
            throw invalid(where + " is a plain http:// URL, which sends the credentials unencrypted: use https://, or "
                    + "set 'insecure: true' to accept it.", field);
        }
        if (scheme.equals("https") && allowHttp && rejectUnusedInsecure) {
            throw invalid("Field 'insecure' only allows a plain http:// server; the server is https://. To skip "
                    + "verifying its certificate set 'insecure_skip_tls_verify: true' (or give 'ca_data').", "insecure");
        }
        return url;
    }

    private static boolean isHttp(URI url) {
        return url.getScheme().equalsIgnoreCase("http");
    }

    private static String validCaData(String value, String field) {
        String what = field.equals("ca_data") ? "Field 'ca_data'" : "The certificate-authority-data of field '" + field + "'";
        if (value.length() > MAX_CA_DATA) {
            throw invalid(what + " is larger than " + MAX_CA_DATA / 1024 + " KiB.", field);
        }
        String trimmed = value.trim();
        byte[] pem;
        if (trimmed.startsWith("-----BEGIN")) {
            pem = trimmed.getBytes(StandardCharsets.US_ASCII);
        } else {
            try {
                pem = Base64.getDecoder().decode(trimmed.replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw invalid(what + " is not base64: give the base64 of the PEM CA certificate(s), as in a "
                        + "kubeconfig's certificate-authority-data.", field);
            }
        }
        try {
            var certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
            if (certs.isEmpty()) {
                throw new CertificateException("no certificate");
            }
        } catch (CertificateException | RuntimeException e) {
            throw invalid(what + " does not hold an X.509 certificate: give the base64 of the PEM CA certificate(s) "
                    + "that sign the API server's certificate.", field);
        }
        return Base64.getEncoder().encodeToString(pem);
    }

    static <T> T find(List<T> items, java.util.function.Function<T, String> name, String wanted) {
        if (items == null || wanted == null) {
            return null;
        }
        return items.stream().filter(i -> i != null && wanted.equals(name.apply(i))).findFirst().orElse(null);
    }

    static ApiException.ValidationError invalid(String message, String field) {
        return new ApiException.ValidationError(message, "field: " + field);
    }
}
