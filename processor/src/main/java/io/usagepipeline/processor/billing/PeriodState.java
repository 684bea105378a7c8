package io.usagepipeline.processor.billing;

import java.util.UUID;

/**
 * One period of one series: its fold and what was last published for it. An open period lives in its series' value
 * ({@link SeriesState#open()}); once closed, it has a revision and a place in the periods store of its own.
 *
 * @param revision     0 until it closes; 1 once FINAL; n+1 after each restatement
 * @param lastRecordId the recordId of the latest FINAL or RESTATED revision, which a restatement supersedes
 * @param published    the figures last published (as OPEN total or closed record), to publish only changes
 */
public record PeriodState(PeriodFold fold, int revision, UUID lastRecordId, Figures published) {

    static PeriodState opened(final PeriodFold fold) {
        return new PeriodState(fold, 0, null, null);
    }

    /** Whether a FINAL record was published: a later change is a restatement. */
    boolean closed() {
        return revision > 0;
    }

    BillingPeriod period() {
        return fold.period();
    }

    PeriodState withFold(final PeriodFold newFold) {
        return new PeriodState(newFold, revision, lastRecordId, published);
    }

    PeriodState published(final Figures figures) {
        return new PeriodState(fold, revision, lastRecordId, figures);
    }

    PeriodState closedAs(final int newRevision, final UUID recordId, final Figures figures) {
        return new PeriodState(fold, newRevision, recordId, figures);
    }
}
