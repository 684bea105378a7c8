package io.usagepipeline.collector.http;

import java.nio.file.Path;

/**
 * How a source's TLS certificate is checked. Verified against the JVM's trust store by default; a source may instead
 * name a trust store of its own (PEM or PKCS12), or pin the SHA-256 fingerprint of the certificate it presents
 * ({@code AA:BB:...} or plain hex). {@code insecure} accepts any certificate and is logged as a warning on every start.
 */
public record TlsSettings(Path truststore, String pinSha256, boolean insecure) {

    public static final TlsSettings VERIFIED = new TlsSettings(null, null, false);

    public TlsSettings {
        final int modes = (truststore != null ? 1 : 0) + (pinSha256 != null ? 1 : 0) + (insecure ? 1 : 0);
        if (modes > 1) {
            throw new IllegalArgumentException("give at most one of truststore, pinSha256 and insecure");
        }
    }
}
