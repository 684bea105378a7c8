package io.usagepipeline.processor;

/**
 * What a run of the processor is for, which decides what it keeps and publishes beside its billing records. The
 * profile ({@link Profile}) says how fast it goes; this says what it is there for.
 */
public enum Run {

    /**
     * A processor that runs on ({@code process} under either profile, the demo): every store keeps a changelog, so
     * its state comes back after a failure or on another instance, and the alert rules run.
     */
    SERVICE(true, true),

    /**
     * A one-off recomputation ({@code replay}, the replay stages of {@code bench}): its state is thrown away at the
     * end and it starts over when it fails, so its stores keep no changelogs and are in the heap; only its billing
     * records are read, so no alert rules run.
     */
    RECOMPUTATION(false, false);

    private final boolean changelogs;
    private final boolean alerts;

    Run(final boolean changelogs, final boolean alerts) {
        this.changelogs = changelogs;
        this.alerts = alerts;
    }

    /** Whether its stores keep changelogs ({@link io.usagepipeline.processor.state.StoreOptions}). */
    public boolean changelogs() {
        return changelogs;
    }

    /** Whether the alert rules run and publish to {@code usage.alerts.v1}. */
    public boolean alerts() {
        return alerts;
    }
}
