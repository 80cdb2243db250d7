package io.cloudpilot.sandbox;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Self-signed server certificates for the fixture TLS secrets (EC P-256, so that generating them costs
 * milliseconds). Generated once per JVM and validity window, reused by every sandbox started afterwards.
 */
final class TlsMaterial {

    /**
     * A certificate and its key, PEM encoded.
     *
     * @param certificate {@code -----BEGIN CERTIFICATE-----}
     * @param privateKey  the key as PKCS#8 PEM text
     */
    record Pem(String certificate, String privateKey) {
    }

    private static final Map<String, Pem> CACHE = new ConcurrentHashMap<>();

    private TlsMaterial() {
    }

    /**
     * @param host      the DNS name (CN and subjectAltName)
     * @param notBefore start of validity
     * @param notAfter  end of validity
     * @param cacheKey  identifies the request across sandboxes (host and relative validity)
     * @return the certificate and key
     */
    static Pem serverCertificate(String host, Instant notBefore, Instant notAfter, String cacheKey) {
        return CACHE.computeIfAbsent(cacheKey, k -> generate(host, notBefore, notAfter));
    }

    /**
     * A self-signed CA certificate, such as Istio's root certificate ({@code O=cluster.local}).
     *
     * @param organization the subject's organization
     * @param notBefore    start of validity
     * @param notAfter     end of validity
     * @param cacheKey     identifies the request across sandboxes
     * @return the certificate and key
     */
    static Pem caCertificate(String organization, Instant notBefore, Instant notAfter, String cacheKey) {
        return CACHE.computeIfAbsent("ca:" + cacheKey, k -> generate(organization, notBefore, notAfter, true));
    }

    private static Pem generate(String host, Instant notBefore, Instant notAfter) {
        return generate(host, notBefore, notAfter, false);
    }

    private static Pem generate(String host, Instant notBefore, Instant notAfter, boolean ca) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500Name(ca ? "O=" + host : "CN=" + host + ",O=Acme Shop");
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE), Date.from(notBefore),
                    Date.from(notAfter), subject, keys.getPublic());
            if (ca) {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            } else {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, host)));
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            }
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
            X509CertificateHolder holder = builder.build(signer);
            return new Pem(pem("CERTIFICATE", holder.getEncoded()), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate a certificate for " + host, e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
