package io.usagepipeline.runtime;

import java.util.Objects;

/**
 * What a service says of itself. Up and ready: doing its work. Up, not ready: starting or catching up, which is
 * normal for a while (orchestrators wait on {@code /ready}). Down: it cannot do its work, and {@code reason} says why
 * ({@code /health} answers 503).
 *
 * @param state  a short word for the state, e.g. RUNNING or REBALANCING
 * @param reason why the service is down or not ready; empty when it is ready
 */
public record Health(boolean up, boolean ready, String state, String reason) {

    public Health {
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
    }

    public static Health ready(final String state) {
        return new Health(true, true, state, "");
    }

    public static Health starting(final String state, final String reason) {
        return new Health(true, false, state, reason);
    }

    public static Health down(final String state, final String reason) {
        return new Health(false, false, state, reason);
    }
}
