package io.usagepipeline.collector.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/** Builds the SSL context of a source from its {@link TlsSettings}. */
final class TrustBuilder {

    private TrustBuilder() {
    }

    static SSLContext context(final TlsSettings tls) throws GeneralSecurityException, IOException {
        if (tls.truststore() == null && tls.pinSha256() == null && !tls.insecure()) {
            return SSLContext.getDefault();
        }
        final TrustManager trust;
        if (tls.truststore() != null) {
            final TrustManagerFactory factory = TrustManagerFactory.getInstance(
                    TrustManagerFactory.getDefaultAlgorithm());
            factory.init(load(tls.truststore()));
            trust = factory.getTrustManagers()[0];
        } else if (tls.pinSha256() != null) {
            trust = new PinnedTrust(normalize(tls.pinSha256()));
        } else {
            trust = new PinnedTrust(null);
        }
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, new SecureRandom());
        return context;
    }

    /** A PEM file of one or more certificates, or a PKCS12 store without password. */
    private static KeyStore load(final Path file) throws GeneralSecurityException, IOException {
        final KeyStore store = KeyStore.getInstance("PKCS12");
        final String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, new char[0]);
            }
            return store;
        }
        store.load(null, null);
        try (InputStream in = Files.newInputStream(file)) {
            int i = 0;
            for (final Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("cert-" + i++, certificate);
            }
            if (i == 0) {
                throw new CertificateException("no certificate in " + file);
            }
        }
        return store;
    }

    static String normalize(final String fingerprint) {
        return fingerprint.replace(":", "").trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Trusts exactly the certificate with the pinned fingerprint (the appliance's own self-signed one), or, with a
     * null pin, any certificate (the explicit, warned-about insecure mode). The pin stands for the host name check:
     * it names the one certificate the appliance may present, whatever address it is reached by, and appliances'
     * default certificates rarely name theirs. Being an extended trust manager keeps the JDK from adding that check.
     */
    private static final class PinnedTrust extends X509ExtendedTrustManager {
        private final String pin;

        PinnedTrust(final String pin) {
            this.pin = pin;
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType)
                throws CertificateException {
            if (pin == null) {
                return;
            }
            final String presented;
            try {
                presented = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(chain[0].getEncoded()));
            } catch (final GeneralSecurityException e) {
                throw new CertificateException(e);
            }
            if (!presented.equals(pin)) {
                throw new CertificateException("the certificate's SHA-256 " + presented
                        + " is not the pinned " + pin);
            }
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType)
                throws CertificateException {
            throw new CertificateException("a collector is never a TLS server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
