package io.usagepipeline.collector.http;

import java.net.URI;
import java.util.Locale;

/** Says which TLS check refused an appliance (chain, pin or host name) and what to configure instead. */
final class TlsDiagnosis {

    private TlsDiagnosis() {
    }

    static String explain(final Throwable failure, final URI uri, final TlsSettings tls) {
        final String where = ReadOnlyHttp.authority(uri);
        final String causes = chain(failure);
        final String lower = causes.toLowerCase(Locale.ROOT);
        if (lower.contains("is not the pinned")) {
            return "the certificate of " + where + " fails the pin check: " + pinMessage(failure)
                    + ". Update tls.pinSha256 if the appliance's certificate was renewed.";
        }
        if (lower.contains("subject alternative") || lower.contains("no name matching")) {
            return "the certificate of " + where + " is trusted but fails the host name check: it does not name "
                    + uri.getHost() + ". Connect by a name it holds, or pin it with tls.pinSha256, which stands for "
                    + "the host name check (appliances' default certificates rarely name their address).";
        }
        if (lower.contains("pkix") || lower.contains("certification path")) {
            return "the certificate of " + where + " fails the chain check: it is not signed by "
                    + (tls.truststore() != null ? "tls.truststore (" + tls.truststore() + ")"
                    : "any certificate authority this JVM trusts")
                    + ". Give the appliance's certificate as tls.truststore (PEM or PKCS12) or its SHA-256 as "
                    + "tls.pinSha256.";
        }
        return "the TLS handshake with " + where + " failed: " + causes;
    }

    private static String pinMessage(final Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("is not the pinned")) {
                return t.getMessage().substring(t.getMessage().indexOf("the certificate"));
            }
        }
        return "the certificate's SHA-256 is not the pinned one";
    }

    private static String chain(final Throwable failure) {
        final StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getMessage() != null) {
                text.append(text.isEmpty() ? "" : "; ").append(t.getMessage());
            }
        }
        return text.toString();
    }
}
