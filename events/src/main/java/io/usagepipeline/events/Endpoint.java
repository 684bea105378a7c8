package io.usagepipeline.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The licensing endpoints, with the name they carry on the wire and in poll targets: five usage endpoints, and
 * VSPC's per-organization usage and monthly license report (DESIGN §3, §4c).
 */
public enum Endpoint {
    LICENSED_WORKLOADS("licensedWorkloads", SourceKind.VBA_AWS),
    LICENSE_RESOURCES("licenseResources", SourceKind.VBA_AZURE),
    BACKUP_SERVER_USAGE("backupServerUsage", SourceKind.VAC),
    CLOUD_CONNECT_USAGE("cloudConnectUsage", SourceKind.VAC),
    BACKUP_SERVERS("backupServers", SourceKind.VSPC),
    /** {@code GET /api/v3/licensing/usage/organizations}: the current month's usage per organization and workload. */
    ORGANIZATION_USAGE("organizationUsage", SourceKind.VSPC),
    /** {@code GET /api/v3/licensing/reports/{date}}: Veeam's monthly license report; the poll's scope is its month. */
    LICENSE_REPORT("licenseReport", SourceKind.VSPC);

    /** Looked up for every raw poll read: {@code values()} would copy the constants each time. */
    private static final Map<String, Endpoint> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Endpoint::wireName, Function.identity()));

    private final String wireName;
    private final SourceKind sourceKind;

    Endpoint(final String wireName, final SourceKind sourceKind) {
        this.wireName = wireName;
        this.sourceKind = sourceKind;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The only product that serves this endpoint. */
    public SourceKind sourceKind() {
        return sourceKind;
    }

    @JsonCreator
    public static Endpoint fromWireName(final String name) {
        final Endpoint endpoint = name == null ? null : BY_WIRE_NAME.get(name);
        if (endpoint == null) {
            throw new IllegalArgumentException("unknown endpoint '" + name + "'");
        }
        return endpoint;
    }
}
