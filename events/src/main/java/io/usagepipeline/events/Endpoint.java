package io.usagepipeline.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The five licensing endpoints, with the name they carry on the wire and in poll targets. */
public enum Endpoint {
    LICENSED_WORKLOADS("licensedWorkloads", SourceKind.VBA_AWS),
    LICENSE_RESOURCES("licenseResources", SourceKind.VBA_AZURE),
    BACKUP_SERVER_USAGE("backupServerUsage", SourceKind.VAC),
    CLOUD_CONNECT_USAGE("cloudConnectUsage", SourceKind.VAC),
    BACKUP_SERVERS("backupServers", SourceKind.VSPC);

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
