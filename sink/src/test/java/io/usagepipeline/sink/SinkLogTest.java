package io.usagepipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.events.Alert;
import io.usagepipeline.events.AlertKind;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RecordStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The console hears what the sink wrote once a burst is over, or once a minute through a backlog: billing records,
 * charge lines, reconciliation lines and alerts, never the rolling totals, and of each output what it wrote.
 */
class SinkLogTest {

    private static final TopicPartition BILLING = new TopicPartition("billing.records.v1", 0);
    private final SinkLog log = new SinkLog();

    @Test
    void shouldTellABurstOnceItIsQuietByKindStatusAndPeriod() {
        final List<PositionedRecord> dayClosing = new ArrayList<>();
        // two days closing in Auckland: their local dates, not UTC's, name the day files
        dayClosing.add(record("acme", Granularity.DAY, "2026-11-29T11:00:00Z", "Pacific/Auckland", 1));
        dayClosing.add(record("acme", Granularity.DAY, "2026-11-30T11:00:00Z", "Pacific/Auckland", 1));
        dayClosing.add(record("globex", Granularity.DAY, "2026-11-30T00:00:00Z", "UTC", 2));
        dayClosing.add(record("globex", Granularity.MONTH, "2026-11-01T00:00:00Z", "UTC", 1));
        dayClosing.add(new PositionedRecord(BILLING, 0, "open", Records.open("acme", Records.DAY, "40")));
        final List<PositionedRecord> monthClosing = List.of(charge("globex", ChargeLine.TOTAL, 1),
                charge("globex", "VBR_vSphere_VM", 1), PositionedRecord.ofAlert(new TopicPartition(
                        "usage.alerts.v1", 0), 3, Alert.started(AlertKind.SPIKE, "globex|vac|VBR_vSphere_VM", "globex",
                        Instant.EPOCH, "x")));
        log.written("postgresql", dayClosing, 0);
        log.written("files", dayClosing, 0);
        log.written("postgresql", monthClosing, 2_000);
        log.written("files", monthClosing, 2_000);

        assertThat(log.due(6_999)).as("5 s after the last record").isEmpty();
        assertThat(log.due(7_000)).containsExactly("wrote to postgresql and files: 2 DAY records FINAL of "
                + "2026-11-30 to 2026-12-01, 1 DAY record RESTATED of 2026-11-30, 1 MONTH record FINAL of 2026-11, 2 "
                + "charge lines FINAL of 2026-03, 1 alert");
        assertThat(log.due(20_000)).isEmpty();
    }

    /**
     * A processor that read its raw topic again (its group's positions deleted by Kafka) publishes again the days it
     * no longer remembers: each output holds them already, and the console says so rather than that it wrote them.
     */
    @Test
    void shouldTellRevisionsPublishedAgainApartFromWhatWasWritten() {
        final List<PositionedRecord> closing = List.of(record("acme", Granularity.DAY, "2026-11-30T00:00:00Z",
                "UTC", 1));
        log.written("postgresql", closing, 0);
        log.held("postgresql", 354, 0);
        log.written("files", closing, 0);
        log.held("files", 354, 0);
        log.held("files", 0, 0);

        assertThat(log.due(4_999)).as("a burst of copies waits for quiet too").isEmpty();
        assertThat(log.due(5_000)).containsExactly(
                "wrote to postgresql and files: 1 DAY record FINAL of 2026-11-30",
                "354 revisions published again, held already by postgresql and files: not written twice");
        assertThat(log.rest()).isEmpty();
    }

    @Test
    void shouldNotSayAnOutputWroteWhatItHadAlready() {
        final List<PositionedRecord> charges = List.of(charge("acme", "VBR_vSphere_VM", 1),
                charge("acme", ChargeLine.TOTAL, 1));
        // a new directory beside a database that holds these lines: the sink gives the database none of them
        log.written("postgresql", List.of(), 0);
        log.written("files", charges, 0);
        assertThat(log.rest()).containsExactly("wrote to files: 2 charge lines FINAL of 2026-03");

        // restarted after a crash between the outputs: the database wrote one line more than the files
        log.written("postgresql", charges, 1_000);
        log.written("files", charges.subList(1, 2), 1_000);
        assertThat(log.rest()).containsExactly("wrote to postgresql: 2 charge lines FINAL of 2026-03",
                "wrote to files: 1 charge line FINAL of 2026-03");
    }

    @Test
    void shouldTellABacklogOnceAMinute() {
        for (long ms = 0; ms < 60_000; ms += 1_000) {
            log.written("files", List.of(charge("acme", "VBR_vSphere_VM", 2), charge("acme", ChargeLine.TOTAL, 2)),
                    ms);
            assertThat(log.due(ms)).isEmpty();
        }
        log.written("files", List.of(charge("initech", "VBR_vSphere_VM", 1)), 60_000);
        assertThat(log.due(60_000)).containsExactly(
                "wrote to files: 1 charge line FINAL of 2026-03, 120 charge lines RESTATED of 2026-03");
        assertThat(log.rest()).isEmpty();
    }

    @Test
    void shouldSayNothingOfRollingTotalsOrAnEmptyStop() {
        log.written("files", List.of(new PositionedRecord(BILLING, 0, "open", Records.open("acme", Records.DAY,
                "40")), new PositionedRecord(new TopicPartition("usage.totals.v1", 0), 0, "closed", null)), 0);
        assertThat(log.due(60_000)).isEmpty();
        assertThat(log.rest()).isEmpty();
    }

    /** A billing record of the given period, FINAL at revision 1, RESTATED after. */
    private static PositionedRecord record(final String tenant, final Granularity granularity, final String start,
                                           final String zone, final int revision) {
        final Instant from = Instant.parse(start);
        final PeriodRecord day = Records.billing(tenant, from, revision, "96");
        final PeriodRecord record = new PeriodRecord(null, day.recordId(), day.seriesKey(), tenant, day.sourceId(),
                day.sourceKind(), day.licenseType(), day.unit(), granularity, zone, from, day.periodEnd(),
                day.status(), revision, day.supersedes(), day.peakUnits(), day.avgUnits(), day.unitHours(),
                day.lastUnits(), day.peakCount(), day.lastCount(), day.samples(), day.coverage(),
                day.firstObservedAt(), day.lastObservedAt(), day.asOf());
        return new PositionedRecord(BILLING, 0, record.periodKey(), record);
    }

    private static PositionedRecord charge(final String tenant, final String line, final int revision) {
        return PositionedRecord.ofCharge(new TopicPartition("billing.charges.v1", 0), 0,
                Records.charge(tenant, line, revision, "31.50", "27.00"));
    }
}
