package io.usagepipeline.events;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One priced line of a tenant's month on {@code billing.charges.v1} (DESIGN §4b), keyed by {@link #chargeKey()}. A
 * line is a license type, {@link #MINIMUM_TOP_UP}, or {@link #TOTAL} (the tenant's month: amount, cost, margin).
 * Amounts are rounded once per line, HALF_EVEN to the card's money scale, and written with exactly that scale.
 *
 * @param chargeId         {@link Ids#chargeId} of the charge key and revision
 * @param month            the calendar month in the tenant's billing zone, e.g. {@code 2026-03}
 * @param cardVersion      the {@code effectiveFrom} month of the card version that priced the line
 * @param basis            the figure of the month's records the quantity is (null for TOTAL and unpriced lines)
 * @param quantity         that figure summed over the tenant's series of the license type
 * @param unit             what one unit of the quantity is, e.g. {@code instances}, {@code instance-hours}, {@code points}
 * @param unitPrice        the flat price per unit (null when tiers priced the line)
 * @param tiersApplied     for tiered lines, what each tier priced
 * @param priced           false when no card line matches the license type: amount 0, and an UNPRICED alert
 * @param points           the Veeam points of the line under the points rule
 * @param cost             points × price per point: what the provider pays Veeam; null when no price per point is set
 * @param margin           amount − cost; null when the cost is unknown
 * @param delta            this revision's amount − the previous revision's; the amount itself for revision 1
 * @param billingRecordIds the exact billing-record revisions the line was priced from
 * @param asOf             the latest end of those records' periods
 */
public record ChargeLine(
        String schema,
        UUID chargeId,
        String tenantId,
        String month,
        String zone,
        String line,
        String cardId,
        String cardVersion,
        String basis,
        BigDecimal quantity,
        String unit,
        BigDecimal unitPrice,
        List<TierApplied> tiersApplied,
        BigDecimal discountPercent,
        @JsonSerialize(using = Money.class) BigDecimal amount,
        String currency,
        boolean priced,
        BigDecimal points,
        @JsonSerialize(using = Money.class) BigDecimal cost,
        @JsonSerialize(using = Money.class) BigDecimal margin,
        RecordStatus status,
        int revision,
        UUID supersedes,
        @JsonSerialize(using = Money.class) BigDecimal delta,
        List<UUID> billingRecordIds,
        Instant asOf) {

    public static final String SCHEMA = "billing.charges.v1";
    /** The line that raises a tenant's month to the card's minimum. */
    public static final String MINIMUM_TOP_UP = "MINIMUM_TOP_UP";
    /** The tenant's month: the sum of its lines. */
    public static final String TOTAL = "TOTAL";

    public ChargeLine {
        schema = schema == null ? SCHEMA : schema;
        Objects.requireNonNull(chargeId, "chargeId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(status, "status");
        tiersApplied = tiersApplied == null ? List.of() : List.copyOf(tiersApplied);
        billingRecordIds = billingRecordIds == null ? List.of() : List.copyOf(billingRecordIds);
        if (status == RecordStatus.OPEN) {
            throw new IllegalArgumentException("charge lines are FINAL or RESTATED");
        }
        if (status == RecordStatus.FINAL && (revision != 1 || supersedes != null)) {
            throw new IllegalArgumentException("FINAL charge lines have revision 1 and supersede nothing");
        }
        if (status == RecordStatus.RESTATED && (revision < 2 || supersedes == null)) {
            throw new IllegalArgumentException("RESTATED charge lines need revision >= 2 and supersedes");
        }
    }

    /** The Kafka key: {@code tenantId|month|line}. */
    public String chargeKey() {
        return Keys.chargeKey(tenantId, month, line);
    }

    /**
     * What one tier priced.
     *
     * @param from      the quantity the tier starts after
     * @param upTo      the quantity it ends at; null for the last, open-ended tier
     * @param quantity  the part of the quantity this tier priced (the whole quantity in VOLUME mode)
     * @param amount    quantity × unitPrice, not yet rounded: the line is rounded once, after the discount
     */
    public record TierApplied(BigDecimal from, BigDecimal upTo, BigDecimal unitPrice, BigDecimal quantity,
                              BigDecimal amount) {
    }
}
