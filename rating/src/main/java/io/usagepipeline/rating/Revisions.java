package io.usagepipeline.rating;

import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Reconciliation;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.runtime.config.ConfigException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The revision rule of charge lines (DESIGN §4b): a line is published when it is new (FINAL, revision 1) and again
 * whenever anything on it changes, the records it was priced from included (RESTATED, revision n+1, superseding
 * the previous revision, with {@code delta} = new amount − previous amount). Nothing is overwritten silently.
 * Reconciliation lines follow the same rule (§4c): revision n+1 supersedes n whenever either side changed.
 */
final class Revisions {

    private Revisions() {
    }

    /**
     * @param rated     the line as rated now, as a first revision
     * @param published the revision last published for its key, or null
     * @return the revision to publish, or empty when nothing on the line changed
     * @throws ConfigException when the line was published in another currency than the card's
     */
    static Optional<ChargeLine> next(final ChargeLine rated, final ChargeLine published) {
        if (published == null) {
            return Optional.of(rated);
        }
        requireCurrency(rated.currency(), published);
        if (sameContent(rated, published)) {
            return Optional.empty();
        }
        final int revision = published.revision() + 1;
        return Optional.of(new ChargeLine(rated.schema(), Ids.chargeId(rated.chargeKey(), revision),
                rated.tenantId(), rated.month(), rated.zone(), rated.line(), rated.cardId(), rated.cardVersion(),
                rated.basis(), rated.quantity(), rated.unit(), rated.unitPrice(), rated.tiersApplied(),
                rated.discountPercent(), rated.amount(), rated.currency(), rated.priced(), rated.points(),
                rated.cost(), rated.margin(), RecordStatus.RESTATED, revision, published.chargeId(),
                rated.amount().subtract(published.amount()), rated.billingRecordIds(), rated.asOf()));
    }

    /**
     * Refuses to price again in {@code currency} a line published in another: its revision would carry a delta
     * between amounts in two currencies, which a billing system books as money.
     *
     * @throws ConfigException naming {@code rating.currency}
     */
    static void requireCurrency(final String currency, final ChargeLine published) {
        if (!currency.equals(published.currency())) {
            throw new ConfigException("rating.currency: '" + currency + "', but " + published.tenantId()
                    + "'s lines of " + published.month() + " were published in " + published.currency()
                    + ", and the rater prices again every month it holds: each would be restated in " + currency
                    + " with a delta between the two currencies. Set rating.currency back to '"
                    + published.currency() + "': a month keeps the currency it was first priced in");
        }
    }

    /**
     * A line that an earlier rating had and this one has not (a minimum top-up that a restatement made unnecessary):
     * published once more with nothing on it, so that its amount leaves the month visibly.
     */
    static ChargeLine withdrawn(final ChargeLine published) {
        final BigDecimal zero = published.amount().multiply(BigDecimal.ZERO);
        return new ChargeLine(published.schema(), Ids.chargeId(published.chargeKey(), 1), published.tenantId(),
                published.month(), published.zone(), published.line(), published.cardId(), published.cardVersion(),
                published.basis(), published.quantity() == null ? null : BigDecimal.ZERO, published.unit(),
                published.unitPrice(), List.of(), published.discountPercent(), zero, published.currency(),
                published.priced(), BigDecimal.ZERO, published.cost() == null ? null : zero,
                published.margin() == null ? null : zero, RecordStatus.FINAL, 1, null, zero,
                published.billingRecordIds(), published.asOf());
    }

    /**
     * @param reconciled the line as reconciled now, as a first revision
     * @param published  the revision last published for its key, or null
     * @return the revision to publish, or empty when neither side changed anything on it
     */
    static Optional<Reconciliation> next(final Reconciliation reconciled, final Reconciliation published) {
        if (published == null) {
            return Optional.of(reconciled);
        }
        if (sameContent(reconciled, published)) {
            return Optional.empty();
        }
        final int revision = published.revision() + 1;
        return Optional.of(new Reconciliation(reconciled.schema(),
                Ids.reconciliationId(reconciled.reconciliationKey(), revision), reconciled.tenantId(),
                reconciled.sourceId(), reconciled.licenseType(), reconciled.month(), reconciled.ourPoints(),
                reconciled.veeamPoints(), reconciled.variance(), reconciled.cause(), reconciled.detail(),
                reconciled.reportStatus(), reconciled.coverage(), reconciled.ourCount(), reconciled.initialCount(),
                reconciled.reportedCount(), reconciled.newCount(), reconciled.weight(), revision,
                published.reconciliationId(), reconciled.asOf()));
    }

    private static boolean sameContent(final Reconciliation a, final Reconciliation b) {
        return same(a.ourPoints(), b.ourPoints()) && same(a.veeamPoints(), b.veeamPoints())
                && same(a.variance(), b.variance()) && a.cause() == b.cause()
                && Objects.equals(a.detail(), b.detail()) && a.reportStatus() == b.reportStatus()
                && same(a.coverage(), b.coverage()) && Objects.equals(a.ourCount(), b.ourCount())
                && Objects.equals(a.initialCount(), b.initialCount())
                && Objects.equals(a.reportedCount(), b.reportedCount())
                && Objects.equals(a.newCount(), b.newCount()) && same(a.weight(), b.weight());
    }

    /** Equal on everything but the revision fields. */
    private static boolean sameContent(final ChargeLine a, final ChargeLine b) {
        return Objects.equals(a.zone(), b.zone()) && Objects.equals(a.cardId(), b.cardId())
                && Objects.equals(a.cardVersion(), b.cardVersion()) && Objects.equals(a.basis(), b.basis())
                && same(a.quantity(), b.quantity()) && Objects.equals(a.unit(), b.unit())
                && same(a.unitPrice(), b.unitPrice()) && sameTiers(a.tiersApplied(), b.tiersApplied())
                && same(a.discountPercent(), b.discountPercent()) && a.amount().equals(b.amount())
                && a.currency().equals(b.currency()) && a.priced() == b.priced() && same(a.points(), b.points())
                && Objects.equals(a.cost(), b.cost()) && a.billingRecordIds().equals(b.billingRecordIds());
    }

    private static boolean sameTiers(final List<ChargeLine.TierApplied> a, final List<ChargeLine.TierApplied> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            final ChargeLine.TierApplied x = a.get(i);
            final ChargeLine.TierApplied y = b.get(i);
            if (!same(x.from(), y.from()) || !same(x.upTo(), y.upTo()) || !same(x.unitPrice(), y.unitPrice())
                    || !same(x.quantity(), y.quantity()) || !same(x.amount(), y.amount())) {
                return false;
            }
        }
        return true;
    }

    /** Decimals compare by value: a line read back from the state store may carry another scale. */
    private static boolean same(final BigDecimal a, final BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }
}
