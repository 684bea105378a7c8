package io.usagepipeline.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

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
        for (final Endpoint endpoint : values()) {
            if (endpoint.wireName.equals(name)) {
                return endpoint;
            }
        }
        throw new IllegalArgumentException("unknown endpoint '" + name + "'");
    }
}
