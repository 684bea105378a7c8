package io.usagepipeline.collector.config;

import io.usagepipeline.collector.http.ProxyLogin;
import io.usagepipeline.collector.http.TlsSettings;
import io.usagepipeline.events.SourceKind;
import io.usagepipeline.runtime.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * One appliance to poll, as configured under {@code collector.sources} (DESIGN §5).
 *
 * @param tenant       the billing tenant of a single-tenant appliance (AWS, Azure)
 * @param tenants      VAC tenant id → billing tenant; the VAC tenants to poll
 * @param companies    VSPC company → billing tenant
 * @param discover     VAC: also poll every tenant {@code /v2/tenants} lists
 * @param apiVersion   AWS: the {@code x-api-version} header
 * @param pollInterval how often this source is polled; null for {@code collector.pollInterval}
 * @param pageSize     items asked per page of a paged endpoint ({@link PageSizes}); the server may send fewer
 * @param reports      VSPC: also poll the usage per organization every slot, and Veeam's monthly license report of
 *                     the last two months until each is approved (read-only; DESIGN §4c)
 * @param proxy        the HTTP proxy every request to the source goes through ({@code http://host:port}; an https
 *                     source is reached through a CONNECT tunnel, TLS still end to end); null for the JVM's proxy
 *                     settings, which are none unless {@code https.proxyHost} and the like are set
 * @param proxyLogin   the account {@code proxy} asks for; null for a proxy that asks for none
 */
public record Source(String id, SourceKind kind, URI baseUrl, String apiVersion, String tenant,
                     Map<String, String> tenants, Map<String, String> companies, boolean discover, String username,
                     Secret password, Secret apiKey, TlsSettings tls, Duration pollInterval, int pageSize,
                     boolean reports, URI proxy, ProxyLogin proxyLogin) {

    public Source {
        tenants = Map.copyOf(tenants);
        companies = Map.copyOf(companies);
        PageSizes.check(kind, pageSize);
        if (reports && kind != SourceKind.VSPC) {
            throw new IllegalArgumentException("only a VSPC source has license reports, not " + kind);
        }
        if (proxyLogin != null && proxy == null) {
            throw new IllegalArgumentException("a proxy login needs the proxy it is for");
        }
    }

    /** A source without license reports, reached without a proxy of its own. */
    public Source(final String id, final SourceKind kind, final URI baseUrl, final String apiVersion,
                  final String tenant, final Map<String, String> tenants, final Map<String, String> companies,
                  final boolean discover, final String username, final Secret password, final Secret apiKey,
                  final TlsSettings tls, final Duration pollInterval, final int pageSize) {
        this(id, kind, baseUrl, apiVersion, tenant, tenants, companies, discover, username, password, apiKey, tls,
                pollInterval, pageSize, false, null, null);
    }

    /** The vendor key → tenant mapping of this source: VAC tenant ids or VSPC companies; AWS and Azure have none. */
    public Map<String, String> tenantMap() {
        return switch (kind) {
            case VAC -> tenants;
            case VSPC -> companies;
            case VBA_AWS, VBA_AZURE -> Map.of();
        };
    }
}
