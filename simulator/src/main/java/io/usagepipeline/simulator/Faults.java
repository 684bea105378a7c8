package io.usagepipeline.simulator;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Faults injected per appliance, each on the next N data requests ({@code count}) or on a share of them
 * ({@code rate}). Set from a YAML file at start or at run time through {@code POST /_sim/faults}.
 */
public final class Faults {

    /** What goes wrong. */
    public enum Kind {
        /** the answer comes {@code latencyMs} late */
        LATENCY,
        /** 500 (520 on VSPC) */
        SERVER_ERROR,
        /** 429 with Retry-After (and VSPC's retryAfter) of {@code retryAfterSeconds} */
        THROTTLE,
        /** no answer: the connection is held {@code latencyMs} (default 60 s) and closed */
        TIMEOUT,
        /** a body that is not JSON */
        MALFORMED_JSON,
        /** the body stops half way */
        TRUNCATED_BODY,
        /** every session is revoked and this request gets 401: a token revoked in the middle of paging */
        REVOKE_TOKEN,
        /** an object arrives at the front of the collection for the next requests: pages shift under the reader */
        SHIFT_COLLECTION,
        /** VSPC: 202 + Location, the answer comes from the async action */
        ASYNC
    }

    /** One fault rule; {@code count} and {@code rate} may not both be set. */
    public record Rule(String appliance, Kind kind, Integer count, Double rate, Long latencyMs,
                       Integer retryAfterSeconds) {
        public Rule {
            if ((count == null) == (rate == null)) {
                throw new IllegalArgumentException("a fault needs exactly one of count and rate: " + kind);
            }
        }
    }

    private final Map<String, List<Active>> byAppliance = new ConcurrentHashMap<>();
    private final Random random;

    public Faults(final long seed) {
        this.random = new Random(seed);
    }

    public void add(final Rule rule) {
        byAppliance.computeIfAbsent(rule.appliance(), key -> new CopyOnWriteArrayList<>()).add(new Active(rule));
    }

    public void clear() {
        byAppliance.clear();
    }

    /** The fault for the next data request of an appliance, if any (consumes one of a counted rule). */
    Rule next(final String appliance) {
        final List<Active> rules = byAppliance.getOrDefault(appliance, List.of());
        for (final Active active : rules) {
            if (active.rule.count() != null) {
                synchronized (active) {
                    if (active.remaining > 0) {
                        active.remaining--;
                        return active.rule;
                    }
                }
            } else {
                synchronized (random) {
                    if (random.nextDouble() < active.rule.rate()) {
                        return active.rule;
                    }
                }
            }
        }
        return null;
    }

    private static final class Active {
        private final Rule rule;
        private int remaining;

        Active(final Rule rule) {
            this.rule = rule;
            this.remaining = rule.count() == null ? 0 : rule.count();
        }
    }
}
