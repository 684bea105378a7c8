package io.usagepipeline.events;

/** The kinds of alert on {@code usage.alerts.v1} (DESIGN §4d). */
public enum AlertKind {
    /** A poll target without a COMPLETE poll for longer than maxGap. */
    TARGET_FAILING,
    /** A series above zero for at least a day fell to zero or absent. */
    DROPPED_TO_ZERO,
    /** A series' level far above its previous day's peak. */
    SPIKE,
    /** A license type that no line of the tenant's rate card prices. */
    UNPRICED
}
