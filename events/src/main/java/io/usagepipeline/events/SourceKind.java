package io.usagepipeline.events;

/** The Veeam product a source is. */
public enum SourceKind {
    /** Veeam Backup for AWS, REST v1. */
    VBA_AWS,
    /** Veeam Backup for Microsoft Azure, REST v1. */
    VBA_AZURE,
    /** Veeam Availability Console, REST v2. */
    VAC,
    /** Veeam Service Provider Console, REST v3. */
    VSPC
}
