package io.usagepipeline.processor;

import io.usagepipeline.processor.alerts.AlertThresholds;
import io.usagepipeline.processor.billing.ZoneSchedule;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What the billing figures depend on (DESIGN §4).
 *
 * @param topicPrefix  prefix of every topic name
 * @param maxGap       how long a level is carried forward after an observation before it becomes unknown
 * @param grace        how long after a period's end it stays open for out-of-order polls
 * @param horizon      the age a poll may have against stream time and still count (restating closed periods)
 * @param billingZone  the zone of calendar days and months, unless the tenant has its own
 * @param tenantZones  per-tenant billing zones, each with the months it changed in; {@value #EVERY_OTHER_TENANT}, the
 *                     zones of every tenant without its own (else {@code billingZone} for all time)
 * @param tenants      who the VAC tenants and VSPC companies of each source are
 * @param maxUnits     the largest figure (units, count or extra) a series may plausibly report; a poll with a larger
 *                     one goes to the DLQ rather than into a bill
 * @param maxAhead     how far ahead of the processor's clock a poll may be stamped; one further ahead goes to the DLQ
 *                     without moving stream time, which would close every open period early
 * @param alerts       when a level counts as a spike
 */
public record ProcessorConfig(String topicPrefix, Duration maxGap, Duration grace, Duration horizon,
                              ZoneId billingZone, Map<String, ZoneSchedule> tenantZones, TenantDirectory tenants,
                              BigDecimal maxUnits, Duration maxAhead, AlertThresholds alerts) {

    /** The key of {@code tenantZones} for every tenant without its own, as in the rate card. */
    public static final String EVERY_OTHER_TENANT = "*";
    public static final Duration DEFAULT_MAX_GAP = Duration.ofHours(3);
    public static final Duration DEFAULT_GRACE = Duration.ofHours(2);
    public static final Duration DEFAULT_HORIZON = Duration.ofDays(35);
    /** A billion licenses of one type for one tenant and source: a thousand times the largest fleets. */
    public static final BigDecimal DEFAULT_MAX_UNITS = new BigDecimal("1000000000");
    /** Clocks of collector hosts drift by seconds; an hour is a broken clock or a forged record. */
    public static final Duration DEFAULT_MAX_AHEAD = Duration.ofHours(1);

    public ProcessorConfig {
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        requirePositive(maxGap, "maxGap");
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative");
        }
        requirePositive(horizon, "horizon");
        Objects.requireNonNull(billingZone, "billingZone");
        tenantZones = Map.copyOf(tenantZones);
        Objects.requireNonNull(tenants, "tenants");
        Objects.requireNonNull(maxUnits, "maxUnits");
        if (maxUnits.signum() <= 0) {
            throw new IllegalArgumentException("maxUnits must be positive, not " + maxUnits);
        }
        requirePositive(maxAhead, "maxAhead");
        Objects.requireNonNull(alerts, "alerts");
    }

    /** With the default alert thresholds ({@link AlertThresholds#DEFAULTS}). */
    public ProcessorConfig(final String topicPrefix, final Duration maxGap, final Duration grace,
                           final Duration horizon, final ZoneId billingZone,
                           final Map<String, ZoneSchedule> tenantZones, final TenantDirectory tenants,
                           final BigDecimal maxUnits, final Duration maxAhead) {
        this(topicPrefix, maxGap, grace, horizon, billingZone, tenantZones, tenants, maxUnits, maxAhead,
                AlertThresholds.DEFAULTS);
    }

    /** With the default plausibility bounds ({@link #DEFAULT_MAX_UNITS}, {@link #DEFAULT_MAX_AHEAD}). */
    public ProcessorConfig(final String topicPrefix, final Duration maxGap, final Duration grace,
                           final Duration horizon, final ZoneId billingZone,
                           final Map<String, ZoneSchedule> tenantZones, final TenantDirectory tenants) {
        this(topicPrefix, maxGap, grace, horizon, billingZone, tenantZones, tenants, DEFAULT_MAX_UNITS,
                DEFAULT_MAX_AHEAD);
    }

    /** Defaults of DESIGN §4: maxGap PT3H, grace PT2H, horizon P35D, UTC, no tenant mappings. */
    public static ProcessorConfig defaults() {
        return new ProcessorConfig("", DEFAULT_MAX_GAP, DEFAULT_GRACE, DEFAULT_HORIZON, ZoneId.of("UTC"), Map.of(),
                TenantDirectory.empty());
    }

    public ProcessorConfig withTopicPrefix(final String prefix) {
        return new ProcessorConfig(prefix, maxGap, grace, horizon, billingZone, tenantZones, tenants, maxUnits,
                maxAhead, alerts);
    }

    public ProcessorConfig withBillingZone(final ZoneId zone, final Map<String, ZoneSchedule> perTenant) {
        return new ProcessorConfig(topicPrefix, maxGap, grace, horizon, zone, perTenant, tenants, maxUnits, maxAhead,
                alerts);
    }

    /**
     * The earliest poll time that recomputing the periods from {@code from} on depends on, so that a recomputation
     * (a replay) gives the figures of a processor that saw the whole history: the start of the month that holds
     * {@code from} in the earliest billing zone, less {@code maxGap} (the level carried into it), less the horizon
     * (a series removed from its target is a known zero for that long after it was last seen), less the grace (a
     * duplicate poll of a slot is recognised for that long).
     */
    public Instant replayLookbackFrom(final Instant from) {
        final Instant earliestMonth = Stream.concat(Stream.of(billingZone),
                        tenantZones.values().stream().flatMap(schedule -> schedule.zones().stream()))
                .map(zone -> from.atZone(zone).toLocalDate().withDayOfMonth(1).atStartOfDay(zone).toInstant())
                .min(Instant::compareTo).orElseThrow();
        return timeRules().replayLookback(earliestMonth);
    }

    /** What maxGap, grace and horizon mean for every time boundary of the processor. */
    public TimeRules timeRules() {
        return new TimeRules(maxGap, grace, horizon);
    }

    /** The billing zones of a tenant over time: the calendar of its days and months. */
    public ZoneSchedule scheduleOf(final String tenantId) {
        final ZoneSchedule own = tenantZones.get(tenantId);
        if (own != null) {
            return own;
        }
        final ZoneSchedule everyOther = tenantZones.get(EVERY_OTHER_TENANT);
        return everyOther != null ? everyOther : ZoneSchedule.of(billingZone);
    }

    private static void requirePositive(final Duration duration, final String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, not " + duration);
        }
    }
}
