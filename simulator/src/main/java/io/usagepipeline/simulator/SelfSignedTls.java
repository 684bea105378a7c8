package io.usagepipeline.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The self-signed certificate real appliances come with, made fresh at start by the JDK's own {@code keytool} (the
 * JDK has no public API to create certificates). Its PEM ({@code simulator.pem}) and SHA-256 fingerprint
 * ({@code simulator.sha256}) are written for clients to trust or pin.
 */
final class SelfSignedTls {

    /** A server SSL context and where its certificate was written. */
    record Material(SSLContext context, Path pem, String sha256) {
    }

    private static final String ALIAS = "simulator";

    private SelfSignedTls() {
    }

    static Material create(final Path dir) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        final Path keystore = dir.resolve("simulator.p12");
        Files.deleteIfExists(keystore);
        final String password = UUID.randomUUID().toString();
        final Process keytool = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                "-dname", "CN=localhost, O=usage-pipeline simulator",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", password, "-keypass", password))
                .redirectErrorStream(true).start();
        try {
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IOException("keytool could not make a certificate: "
                        + new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the certificate", e);
        }
        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password.toCharArray());
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, new SecureRandom());

        final X509Certificate certificate = (X509Certificate) store.getCertificate(ALIAS);
        final Path pem = dir.resolve("simulator.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        final String sha256 = HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        Files.writeString(dir.resolve("simulator.sha256"), sha256 + "\n");
        return new Material(context, pem, sha256);
    }
}
