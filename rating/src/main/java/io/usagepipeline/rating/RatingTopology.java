package io.usagepipeline.rating;

import io.usagepipeline.events.Alert;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.Reconciliation;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.events.Topics;
import io.usagepipeline.events.VendorReportLine;
import io.usagepipeline.rating.card.RatingConfig;
import java.time.YearMonth;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The rater's topology: {@code billing.records.v1} (MONTH records, and for the live rater DAY records, which say which
 * series a month waits for) and {@code usage.reports.v1} (Veeam's report lines), both re-keyed by
 * {@code tenantId|month} → one repartition → {@link RatingProcessor} → {@code billing.charges.v1},
 * {@code billing.reconciliation.v1} and {@code usage.alerts.v1}. One repartition for both inputs puts a tenant's month
 * and its report lines in the same task, whatever the inputs' partition counts; the same repartition takes a
 * {@link ReportPolled} of every poll of a report to every task, whose tenants the report may list no line for.
 *
 * <p>The repartition is needed here and not in the processor: the processor's state is per series, and every
 * series comes from one poll target, so its input partitioning already holds all of a series together. A tenant's
 * month spans several series (license types, and sources: a VAC and an AWS appliance may both report one tenant),
 * which the billing topic spreads over its partitions by period key; the rater must see them together to sum them,
 * apply tiers to the sum, and compare the month with the card's minimum.
 */
public final class RatingTopology {

    public static final String SOURCE = "billing-records";
    public static final String REPORTS_SOURCE = "report-lines";
    public static final String RECONCILIATION_SINK = "reconciliation-sink";
    public static final String REPARTITION = "records-by-tenant-month";
    public static final String RATER = "rater";
    public static final String CHARGES_SINK = "charges-sink";
    public static final String ALERTS_SINK = "alerts-sink";

    private RatingTopology() {
    }

    /** The name of the repartition topic of an application id. */
    public static String repartitionTopic(final String applicationId) {
        return applicationId + "-" + REPARTITION + "-repartition";
    }

    public static Topology build(final RatingConfig config, final RaterMetrics metrics, final RatingRun run) {
        final StreamsBuilder builder = new StreamsBuilder();
        final KStream<String, Object> records = builder.stream(Topics.BILLING_RECORDS.name(run.inputPrefix()),
                        Consumed.with(Topics.BILLING_RECORDS.keySerde(), Topics.BILLING_RECORDS.valueSerde())
                                .withName(SOURCE).withOffsetResetPolicy(AutoOffsetReset.earliest()))
                .filter((key, record) -> record != null && record.status() != RecordStatus.OPEN
                        // the DAY records only tell a month what to wait for: a bounded run does not wait
                        && (record.granularity() == Granularity.MONTH || !run.maxWait().isZero())
                        && run.months().test(RatingProcessor.monthOf(record)), Named.as("closed-records"))
                .selectKey((key, record) -> RatingProcessor.tenantMonthOf(record), Named.as("by-tenant-month"))
                .mapValues(record -> (Object) record, Named.as("records-as-input"));
        final KStream<String, VendorReportLine> reports = builder.stream(Topics.REPORTS.name(run.inputPrefix()),
                        Consumed.with(Topics.REPORTS.keySerde(), Topics.REPORTS.valueSerde())
                                .withName(REPORTS_SOURCE).withOffsetResetPolicy(AutoOffsetReset.earliest()))
                .filter((key, line) -> line != null && run.months().test(YearMonth.parse(line.month())),
                        Named.as("report-months"));
        final KStream<String, Object> reportLines = reports
                .selectKey((key, line) -> Keys.tenantMonth(line.tenantId(), line.month()),
                        Named.as("report-by-tenant-month"))
                .mapValues(line -> (Object) line, Named.as("report-as-input"));
        // every task learns of each poll of a report, to tell the tenants it lists no line for (RaterPartitioner)
        final KStream<String, Object> reportPolls = reports.process(ReportPolls::new, Named.as("report-polls"));
        final KStream<String, Object> out = records.merge(reportLines, Named.as("rater-input"))
                .merge(reportPolls, Named.as("rater-input-and-report-polls"))
                .repartition(Repartitioned.with(Topics.BILLING_RECORDS.keySerde(), new RaterInputSerde())
                        .withStreamPartitioner(new RaterPartitioner()).withName(REPARTITION))
                .process(RatingProcessor.supplier(config, metrics, run), Named.as(RATER));
        out.split(Named.as("rated-"))
                .branch((key, value) -> value instanceof ChargeLine, Branched.withConsumer(charges -> charges
                        .mapValues(value -> (ChargeLine) value, Named.as("charge-lines"))
                        .to(Topics.CHARGES.name(run.outputPrefix()), Produced.with(Topics.CHARGES.keySerde(),
                                Topics.CHARGES.valueSerde()).withName(CHARGES_SINK)), "charges"))
                .branch((key, value) -> value instanceof Reconciliation, Branched.withConsumer(lines -> lines
                        .mapValues(value -> (Reconciliation) value, Named.as("reconciliation-lines"))
                        .to(Topics.RECONCILIATION.name(run.outputPrefix()), Produced.with(
                                Topics.RECONCILIATION.keySerde(), Topics.RECONCILIATION.valueSerde())
                                .withName(RECONCILIATION_SINK)), "reconciliation"))
                .branch((key, value) -> value instanceof Alert, Branched.withConsumer(alerts -> alerts
                        .mapValues(value -> (Alert) value, Named.as("alert-values"))
                        .to(Topics.ALERTS.name(run.outputPrefix()), Produced.with(Topics.ALERTS.keySerde(),
                                Topics.ALERTS.valueSerde()).withName(ALERTS_SINK)), "alerts"))
                .noDefaultBranch();
        return builder.build();
    }
}
