package io.usagepipeline.processor.billing;

import java.util.UUID;

/**
 * One period of one series: its fold, whether it has closed, and what was last published for it.
 *
 * @param revision     0 while open; 1 once FINAL; n+1 after each restatement
 * @param lastRecordId the recordId of the latest FINAL or RESTATED revision, which a restatement supersedes
 * @param published    the figures last published (as OPEN total or closed record), to publish only changes
 */
public record PeriodState(String seriesKey, PeriodFold fold, boolean closed, int revision, UUID lastRecordId,
                          Figures published) {

    PeriodState withFold(final PeriodFold newFold) {
        return new PeriodState(seriesKey, newFold, closed, revision, lastRecordId, published);
    }

    PeriodState published(final Figures figures) {
        return new PeriodState(seriesKey, fold, closed, revision, lastRecordId, figures);
    }

    PeriodState closedAs(final int newRevision, final UUID recordId, final Figures figures) {
        return new PeriodState(seriesKey, fold, true, newRevision, recordId, figures);
    }
}
