package io.usagepipeline.collector.http;

import io.usagepipeline.runtime.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * The account a source's proxy asks for ({@code proxyAuth}): HTTP Basic, the scheme egress proxies such as Squid
 * offer, in the {@code Proxy-Authorization} of every request, which the proxy takes and the source never sees.
 *
 * @param password read for every request, so that a rotated secret file is taken without a restart
 */
public record ProxyLogin(String username, Secret password) {

    private static final String TUNNELING_DISABLED_SCHEMES = "jdk.http.auth.tunneling.disabledSchemes";

    /**
     * The JDK's HTTP client drops a Basic {@code Proxy-Authorization} from the CONNECT of an https source unless told
     * not to, and reads that once, when it is first used: so it is told before ({@link ReadOnlyHttp}'s class, which
     * builds the collector's clients), unless the command line says otherwise. Only a source with a
     * {@code proxyAuth} sends one.
     */
    static void prepareJdk() {
        if (System.getProperty(TUNNELING_DISABLED_SCHEMES) == null) {
            System.setProperty(TUNNELING_DISABLED_SCHEMES, "");
        }
    }

    public ProxyLogin {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** The {@code Proxy-Authorization} value. */
    String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password.reveal())
                .getBytes(StandardCharsets.UTF_8));
    }
}
