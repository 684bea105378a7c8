package io.usagepipeline.events;

/** The life of a period record. */
public enum RecordStatus {
    /** A rolling total of a period that is still open; revision 0, on {@code usage.totals.v1}. */
    OPEN,
    /** The first closed figure of a period, revision 1, on {@code billing.records.v1}. */
    FINAL,
    /** A later revision of a closed period recomputed from late data; supersedes the previous revision. */
    RESTATED
}
