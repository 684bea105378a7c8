package io.usagepipeline.collector.config;

import java.util.Objects;

/** A password or API key: readable by the code that sends it, never printed, logged or shown by toString. */
public final class Secret {

    private final String value;

    public Secret(final String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The secret itself, for the one place that sends it. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "***";
    }
}
