package io.usagepipeline.simulator;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Faults injected per appliance, each on the next N data requests ({@code count}) or on a share of them
 * ({@code rate}); with {@code token: true} on its token requests instead. {@code PAGE_CAP} is standing: from then on
 * the appliance answers at most {@code pageSize} items per page, whatever limit is asked, as real appliances do.
 * Set from a YAML file at start or at run time through {@code POST /_sim/faults}.
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
        ASYNC,
        /** every page holds at most {@code pageSize} items from now on, whatever limit is asked */
        PAGE_CAP
    }

    /** One fault rule; exactly one of {@code count} and {@code rate}, except for the standing {@code PAGE_CAP}. */
    public record Rule(String appliance, Kind kind, Integer count, Double rate, Long latencyMs,
                       Integer retryAfterSeconds, Integer pageSize, Boolean token) {
        public Rule {
            if (kind == Kind.PAGE_CAP) {
                if (pageSize == null || pageSize < 1) {
                    throw new IllegalArgumentException("a PAGE_CAP fault needs pageSize of at least 1");
                }
            } else if ((count == null) == (rate == null)) {
                throw new IllegalArgumentException("a fault needs exactly one of count and rate: " + kind);
            }
            token = token != null && token;
        }

        /** A fault on data requests. */
        public Rule(final String appliance, final Kind kind, final Integer count, final Double rate,
                    final Long latencyMs, final Integer retryAfterSeconds) {
            this(appliance, kind, count, rate, latencyMs, retryAfterSeconds, null, false);
        }

        /** The standing page cap of an appliance. */
        public static Rule pageCap(final String appliance, final int pageSize) {
            return new Rule(appliance, Kind.PAGE_CAP, null, null, null, null, pageSize, false);
        }
    }

    private final Map<String, List<Active>> byAppliance = new ConcurrentHashMap<>();
    private final Map<String, Integer> pageCaps = new ConcurrentHashMap<>();
    private final Random random;

    public Faults(final long seed) {
        this.random = new Random(seed);
    }

    public void add(final Rule rule) {
        if (rule.kind() == Kind.PAGE_CAP) {
            pageCaps.put(rule.appliance(), rule.pageSize());
            return;
        }
        byAppliance.computeIfAbsent(rule.appliance(), key -> new CopyOnWriteArrayList<>()).add(new Active(rule));
    }

    public void clear() {
        byAppliance.clear();
        pageCaps.clear();
    }

    /** The most items a page of the appliance may hold, or null when uncapped. */
    Integer pageCap(final String appliance) {
        return pageCaps.get(appliance);
    }

    /** The fault for the next data (or token) request of an appliance, if any (consumes one of a counted rule). */
    Rule next(final String appliance, final boolean tokenRequest) {
        final List<Active> rules = byAppliance.getOrDefault(appliance, List.of());
        for (final Active active : rules) {
            if (active.rule.token() != tokenRequest) {
                continue;
            }
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
