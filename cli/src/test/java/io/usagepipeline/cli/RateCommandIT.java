package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.CommittedRecords;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.OutputHistory;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.events.SourceKind;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import io.usagepipeline.rating.Rater;
import io.usagepipeline.runtime.ExitCodes;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code usage-pipeline rate} as a user runs it: billing records in, charge lines out ({@code read_committed}); the
 * same latest charges after a SIGKILL mid-run; statements of a priced month; what another card would change; an
 * edited card re-prices on restart; a bad card exits 2.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(600) // a hung test fails here, not at CI's limit
class RateCommandIT {

    /** Tenants, each with two license types, in two months: enough work for a kill to land mid-run. */
    private static final int TENANTS = 40;
    private static final String CARD = """
            kafka:
              # a restarted rater waits for the killed (or stopped) member's session to end: keep that short here
              session.timeout.ms: 6000
            rating:
              currency: EUR
              veeam: { pricePerPoint: 1.10 }
              cards:
                - id: standard
                  effectiveFrom: 2026-01
                  minimumMonthly: 20.00
                  lines:
                    - { match: "VBR_*", basis: PEAK_COUNT, unitPrice: %s }
                    - { match: "CC_*", basis: LAST_UNITS, unitPrice: 3.00 }
              tenants:
                "*": { card: standard }
            """;

    @Test
    void shouldPriceEveryMonthOnceAndTheSameAcrossAKill(final KafkaBroker kafka, @TempDir final Path dir)
            throws Exception {
        final String prefix = "rate.";
        provision(kafka, prefix);
        final Path config = Files.writeString(dir.resolve("pipeline.yaml"), CARD.formatted("4.50"));
        final List<PeriodRecord> records = records();
        produce(kafka, prefix, records);
        final String[] args = {"rate", "-c", config.toString(), "--bootstrap-servers", kafka.bootstrapServers(),
                "--prefix", prefix, "--state-dir", dir.resolve("state").toString()};

        try (CliProcess first = CliProcess.start(args)) {
            await().atMost(Duration.ofSeconds(120)).failFast("the rater exited", () -> !first.isAlive())
                    .until(() -> !charges(kafka, prefix).isEmpty());
            first.kill();
        }
        try (CliProcess second = CliProcess.start(args)) {
            await().atMost(Duration.ofSeconds(180)).failFast("the rater exited", () -> !second.isAlive())
                    .until(() -> pricedFromFinalRecords(latest(kafka, prefix)));
            second.stop();
        }

        final Map<String, ChargeLine> latest = latest(kafka, prefix);
        for (int t = 0; t < TENANTS; t++) {
            final String tenant = tenant(t);
            for (final String month : List.of("2026-02", "2026-03")) {
                // VBR: peak count 3 + t at 4.50; CC: month-end level (t + 1) / 4 at 3.00; TOTAL at least 20.00
                final BigDecimal vbr = new BigDecimal("4.50").multiply(BigDecimal.valueOf(3 + t)).setScale(2);
                final BigDecimal cc = new BigDecimal(t + 1).divide(BigDecimal.valueOf(4))
                        .multiply(new BigDecimal("3.00")).setScale(2, RoundingMode.HALF_EVEN);
                final ChargeLine total = latest.get(Keys.chargeKey(tenant, month, ChargeLine.TOTAL));
                assertThat(latest.get(Keys.chargeKey(tenant, month, "VBR_vSphere_VM")).amount()).isEqualTo(vbr);
                assertThat(latest.get(Keys.chargeKey(tenant, month, "CC_Server_Backup")).amount()).isEqualTo(cc);
                assertThat(total.amount()).isEqualTo(vbr.add(cc).max(new BigDecimal("20.00")));
                // a top-up of 0 is one withdrawn by a later rating (a month rated half-read before the kill)
                final ChargeLine topUp = latest.get(Keys.chargeKey(tenant, month, ChargeLine.MINIMUM_TOP_UP));
                assertThat(topUp != null && topUp.amount().signum() > 0)
                        .isEqualTo(vbr.add(cc).compareTo(new BigDecimal("20.00")) < 0);
            }
        }
        // nothing published twice across the kill: a revision of a key is one line, whatever was redone
        final List<ChargeLine> all = charges(kafka, prefix);
        assertThat(all.stream().map(line -> line.chargeKey() + "|" + line.revision()).distinct().count())
                .isEqualTo(all.size());

        // the statements of February: a page per tenant, and an index whose totals are the TOTAL lines; the pipeline's
        // config given to it names tenant-07, billed, and tenant-7, which no tenant is (a typo of it), in its rate
        // card and among the customers its statements address by name
        final String star = "    \"*\": { card: standard }\n";
        final Path named = Files.writeString(dir.resolve("named.yaml"), CARD.formatted("4.50").replace(star, star
                + "    tenant-07: { card: standard }\n    tenant-7: { card: standard, discountPercent: 10 }\n")
                + "statements:\n  issuer: Contoso Cloud Backup\n"
                + "  customers: { tenant-07: Seven Industries, tenant-7: Seven Typo }\n");
        try (CliProcess report = CliProcess.start("report", "--month", "2026-02", "-c", named.toString(),
                "--bootstrap-servers", kafka.bootstrapServers(), "--prefix", prefix, "--out",
                dir.resolve("statements").toString())) {
            assertThat(report.awaitExit(Duration.ofSeconds(120))).isZero();
            final BigDecimal february = latest.values().stream().filter(line -> line.month().equals("2026-02")
                    && line.line().equals(ChargeLine.TOTAL)).map(ChargeLine::amount)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            // the billing topic, which holds every day, is read with a progress line
            assertThat(report.lines()).anyMatch(line -> line.matches("100% [0-9,]+ billing records read"));
            assertThat(report.lines()).anyMatch(line -> line.startsWith(TENANTS + " statements for 2026-02, "
                    + february.toPlainString() + " EUR in all; open "));
            assertThat(report.lines()).contains("  named in the rate card, with no charge line in 2026-02: tenant-7 "
                    + "(a name mistyped there leaves its tenant on the \"*\" card)", "  named in statements.customers, "
                    + "with no charge line in 2026-02: tenant-7 (a tenant id mistyped there leaves its page headed "
                    + "by the bare id)");
            assertThat(report.lines()).anyMatch(line -> line.startsWith("  charged in 2026-02, not named in "
                    + "statements.customers: tenant-00, tenant-01, ") && line.contains(" and " + (TENANTS - 11)
                    + " more ("));
        }
        final Document seven = Jsoup.parse(dir.resolve("statements/tenant-07.html").toFile());
        assertThat(seven.select("#issuer strong").text()).isEqualTo("Contoso Cloud Backup");
        assertThat(seven.select("h1").text()).isEqualTo("Seven Industries");
        final Document index = Jsoup.parse(dir.resolve("statements/index.html").toFile());
        assertThat(index.select("#tenants tr[data-tenant]")).hasSize(TENANTS);
        assertThat(index.select("#tenants tr[data-tenant=tenant-07] td.amount").text()).isEqualTo(
                latest.get(Keys.chargeKey(tenant(7), "2026-02", ChargeLine.TOTAL)).amount().toPlainString());
        assertThat(dir.resolve("statements/tenant-39.html")).exists();
        // the tenants' own copies: every line priced, so every tenant gets one, without the provider's cost
        try (CliProcess copies = CliProcess.start("report", "--month", "2026-02", "--customer-copy", "-c",
                named.toString(), "--bootstrap-servers", kafka.bootstrapServers(), "--prefix", prefix, "--out",
                dir.resolve("customers").toString())) {
            assertThat(copies.awaitExit(Duration.ofSeconds(120))).isZero();
            assertThat(copies.lines()).anyMatch(line -> line.startsWith(TENANTS + " customer copies for 2026-02 in "));
            assertThat(copies.lines()).contains("  named in statements.customers, with no charge line in 2026-02: "
                    + "tenant-7 (a tenant id mistyped there leaves its page headed by the bare id)");
        }
        assertThat(dir.resolve("customers/index.html")).doesNotExist();
        final Document copy = Jsoup.parse(dir.resolve("customers/tenant-07.html").toFile());
        assertThat(copy.select("h1").text()).as("the customer's copy addresses it by name").isEqualTo(
                "Seven Industries");
        assertThat(copy.select("#issuer strong").text()).isEqualTo("Contoso Cloud Backup");
        assertThat(copy.select("#charges tr[data-line=TOTAL] td.amount").text()).isEqualTo(
                latest.get(Keys.chargeKey(tenant(7), "2026-02", ChargeLine.TOTAL)).amount().toPlainString());
        assertThat(copy.select("#charges th").eachText()).doesNotContain("Points", "Cost");
        assertThat(copy.select("#margin, #reconciliation, #alerts")).isEmpty();
        try (CliProcess none = CliProcess.start("report", "--month", "2025-02", "--bootstrap-servers",
                kafka.bootstrapServers(), "--prefix", prefix, "--out", dir.resolve("empty").toString())) {
            assertThat(none.awaitExit(Duration.ofSeconds(120))).isEqualTo(ExitCodes.FAILED);
            assertThat(none.lines()).anyMatch(line -> line.startsWith("no charge line for 2025-02, nor a billing "
                    + "record of any day of it: no usage of the month was collected; is --month right? ("));
        }
        try (CliProcess mistyped = CliProcess.start("report", "--month", "2026-02", "--tenant", "tenant-7",
                "--bootstrap-servers", kafka.bootstrapServers(), "--prefix", prefix, "--out",
                dir.resolve("mistyped").toString())) {
            assertThat(mistyped.awaitExit(Duration.ofSeconds(120))).isEqualTo(ExitCodes.FAILED);
            assertThat(mistyped.lines()).anyMatch(line -> line.startsWith("no charge line for 2026-02 of tenant-7, a "
                    + "month priced for " + TENANTS + " other tenants (tenant-00, tenant-01, tenant-02, tenant-03, "
                    + "tenant-04, ...): is the tenant id right?"));
        }

        // what a 5.00 card would change in February, before the live rater runs with it: a replay of the rater alone
        final Path newCard = Files.writeString(dir.resolve("new-card.yaml"), CARD.formatted("5.00"));
        try (CliProcess replay = CliProcess.start("rate", "--replay", "--from", "2026-02", "--compare", "-c",
                newCard.toString(), "--bootstrap-servers", kafka.bootstrapServers(), "--prefix", prefix, "--out",
                dir.resolve("february.jsonl").toString())) {
            assertThat(replay.awaitExit(Duration.ofSeconds(240))).isEqualTo(ExitCodes.FAILED);
            // every VBR line; every TOTAL but tenant 0's, which the minimum holds at 20.00; tenant 0's smaller
            // top-up, and tenant 1's, which 4 × 5.00 + 1.50 no longer needs
            assertThat(replay.lines()).contains("DIFFERENT: 81 charge lines from 2026-02 to 2026-02 are priced "
                    + "otherwise by the replay:");
            assertThat(replay.lines()).anyMatch(line -> line.startsWith("  tenant-00|2026-02|VBR_vSphere_VM: live "
                    + "vs replay: ") && line.contains("amount 13.50 vs 15.00"));
            assertThat(replay.lines()).contains("  tenant-01|2026-02|MINIMUM_TOP_UP: only in live (0.50 EUR)");
            // what it changes in February over all tenants: each TOTAL at 5.00, less the live one (the cost and so
            // the margin's change are the amount's, the price of a point being the same)
            final BigDecimal live = IntStream.range(0, TENANTS).mapToObj(t -> latest.get(Keys.chargeKey(tenant(t),
                    "2026-02", ChargeLine.TOTAL)).amount()).reduce(BigDecimal.ZERO, BigDecimal::add);
            final BigDecimal replayed = IntStream.range(0, TENANTS).mapToObj(t -> new BigDecimal("5.00")
                    .multiply(BigDecimal.valueOf(3 + t)).add(new BigDecimal(t + 1).divide(BigDecimal.valueOf(4))
                            .multiply(new BigDecimal("3.00")).setScale(2, RoundingMode.HALF_EVEN))
                    .max(new BigDecimal("20.00"))).reduce(BigDecimal.ZERO, BigDecimal::add);
            final String change = "+" + replayed.subtract(live).toPlainString();
            assertThat(replay.lines()).anyMatch(line -> List.of(line.trim().split(" +")).equals(List.of("all",
                    "tenants", "2026-02", live.toPlainString(), replayed.toPlainString(), change, change)));
        }
        assertThat(Files.readAllLines(dir.resolve("february.jsonl"))).hasSize(TENANTS * 3 + 1)
                .allMatch(line -> line.contains("\"month\":\"2026-02\""));
        try (CliProcess same = CliProcess.start("rate", "--replay", "--from", "2026-02", "--to", "2026-03",
                "--compare", "-c", config.toString(), "--bootstrap-servers", kafka.bootstrapServers(), "--prefix",
                prefix, "--out", dir.resolve("same.jsonl").toString())) {
            assertThat(same.awaitExit(Duration.ofSeconds(240))).isEqualTo(ExitCodes.OK);
            assertThat(same.lines()).anyMatch(line -> line.startsWith("identical: the "));
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).noneMatch(topic -> topic.startsWith("rate-replay-")
                    || topic.startsWith("usage-pipeline-rate-replay-"));
        }

        // the card is edited: on restart, every line it changes is restated with its delta, the rest stays
        Files.writeString(config, CARD.formatted("5.00"));
        try (CliProcess third = CliProcess.start(args)) {
            final String vbrKey = Keys.chargeKey(tenant(0), "2026-02", "VBR_vSphere_VM");
            await().atMost(Duration.ofSeconds(120)).failFast("the rater exited", () -> !third.isAlive())
                    .until(() -> latest(kafka, prefix).get(vbrKey).revision() == 2);
            third.stop();
        }
        final ChargeLine repriced = latest(kafka, prefix).get(Keys.chargeKey(tenant(0), "2026-02", "VBR_vSphere_VM"));
        assertThat(repriced.status()).isEqualTo(RecordStatus.RESTATED);
        assertThat(repriced.amount()).isEqualTo(new BigDecimal("15.00")); // 3 × 5.00
        assertThat(repriced.delta()).isEqualTo(new BigDecimal("1.50")); // 15.00 − 13.50
        assertThat(latest(kafka, prefix).get(Keys.chargeKey(tenant(0), "2026-02", "CC_Server_Backup")).revision())
                .isEqualTo(1);
    }

    /**
     * A rater under an application id with no state, over a charges topic another rater wrote, would publish its
     * lines as first revisions again under the same ids (a sink keeps the first it read): refused, naming the rater
     * whose state is there, and started only when told to with --new-state, once. And a rater with its state, but a
     * card in another currency than its lines', is refused too.
     */
    @Test
    void shouldRefuseARaterWithoutTheStateOfTheLinesAlreadyPublished(final KafkaBroker kafka, @TempDir final Path dir)
            throws Exception {
        final String prefix = "history.";
        provision(kafka, prefix);
        final Path config = Files.writeString(dir.resolve("pipeline.yaml"), CARD.formatted("4.50"));
        produce(kafka, prefix, records());
        try (CliProcess first = CliProcess.start(rate(kafka, prefix, config, "history-rater", dir))) {
            await().atMost(Duration.ofSeconds(180)).failFast("the rater exited", () -> !first.isAlive())
                    .until(() -> pricedFromFinalRecords(latest(kafka, prefix)));
            first.stop();
        }
        final int published = charges(kafka, prefix).size();

        // its own state, but a card in another currency: each month held would be restated with a delta between
        // amounts in two currencies; refused before Kafka Streams starts, naming the key
        final Path francs = Files.writeString(dir.resolve("francs.yaml"), CARD.formatted("4.50")
                .replace("currency: EUR", "currency: CHF"));
        try (CliProcess inFrancs = CliProcess.start(rate(kafka, prefix, francs, "history-rater", dir))) {
            assertThat(inFrancs.awaitExit(Duration.ofSeconds(120))).isEqualTo(ExitCodes.CONFIG_ERROR);
            assertThat(inFrancs.lines()).anyMatch(line -> line.startsWith("configuration error: rating.currency: "
                    + "'CHF', but tenant-") && line.endsWith("were published in EUR, and the rater prices again "
                    + "every month it holds: each would be restated in CHF with a delta between the two currencies. "
                    + "Set rating.currency back to 'EUR': a month keeps the currency it was first priced in"));
        }
        assertThat(charges(kafka, prefix)).hasSize(published);

        final Path newCard = Files.writeString(dir.resolve("new-card.yaml"), CARD.formatted("5.00"));
        try (CliProcess other = CliProcess.start(rate(kafka, prefix, newCard, "history-other", dir))) {
            assertThat(other.awaitExit(Duration.ofSeconds(120))).isEqualTo(ExitCodes.CONFIG_ERROR);
            assertThat(other.lines()).anyMatch(line -> line.startsWith("configuration error: rater.applicationId: "
                    + "'history-other' has no state on this Kafka, but history.billing.charges.v1 already holds what "
                    + "a rater published") && line.contains("Run it as 'history-rater' (--application-id), whose "
                    + "state is here"));
        }
        assertThat(charges(kafka, prefix)).hasSize(published);

        // told to, with the card the lines were priced by: it starts, and from then on its state is its own
        final String[] told = rate(kafka, prefix, config, "history-other", dir);
        try (CliProcess once = CliProcess.start(concat(told, "--new-state"));
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            // its state is its own once its store's changelog holds what it wrote, the check its next start makes;
            // stopped before its first commit (it was, 40 ms after RUNNING, on a loaded machine), it has none, and
            // the next start is rightly refused
            final OutputHistory history = Rater.outputHistory("history-other", prefix);
            await().atMost(Duration.ofSeconds(120)).failFast("the rater exited", () -> !once.isAlive())
                    .until(() -> history.refusal(admin).isEmpty());
            once.stop();
        }
        try (CliProcess again = CliProcess.start(told)) {
            await().atMost(Duration.ofSeconds(120)).failFast("the rater exited", () -> !again.isAlive())
                    .until(() -> again.printed("rater state REBALANCING -> RUNNING"));
            again.stop();
        }
    }

    private static String[] rate(final KafkaBroker kafka, final String prefix, final Path config,
                                 final String applicationId, final Path dir) {
        return new String[] {"rate", "-c", config.toString(), "--bootstrap-servers", kafka.bootstrapServers(),
            "--prefix", prefix, "--application-id", applicationId, "--state-dir",
            dir.resolve(applicationId).toString()};
    }

    private static String[] concat(final String[] args, final String more) {
        final String[] all = Arrays.copyOf(args, args.length + 1);
        all[args.length] = more;
        return all;
    }

    @Test
    void shouldRefuseACardItCannotPriceWithNamingTheKey(final KafkaBroker kafka, @TempDir final Path dir)
            throws Exception {
        final Path config = Files.writeString(dir.resolve("pipeline.yaml"), CARD.formatted("-4.50"));
        try (CliProcess rate = CliProcess.start("rate", "-c", config.toString(), "--bootstrap-servers",
                kafka.bootstrapServers())) {
            assertThat(rate.awaitExit(Duration.ofSeconds(60))).isEqualTo(ExitCodes.CONFIG_ERROR);
            assertThat(rate.lines()).contains("configuration error: rating.cards[0].lines[0].unitPrice: -4.5 is "
                    + "negative");
        }
    }

    /** Every tenant's month has its TOTAL, priced from the restated VBR record and the CC record. */
    private static boolean pricedFromFinalRecords(final Map<String, ChargeLine> latest) {
        for (int t = 0; t < TENANTS; t++) {
            for (final String month : List.of("2026-02", "2026-03")) {
                final ChargeLine total = latest.get(Keys.chargeKey(tenant(t), month, ChargeLine.TOTAL));
                if (total == null || !total.billingRecordIds().containsAll(List.of(
                        record(tenant(t), "VBR_vSphere_VM", month, 2, 0, BigDecimal.ONE).recordId(),
                        record(tenant(t), "CC_Server_Backup", month, 1, 0, BigDecimal.ONE).recordId()))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String tenant(final int t) {
        return String.format("tenant-%02d", t);
    }

    /** Per tenant and month: a VBR record (FINAL, then RESTATED to its final figure) and a CC record. */
    private static List<PeriodRecord> records() {
        final List<PeriodRecord> records = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) {
            for (final String month : List.of("2026-02", "2026-03")) {
                records.add(record(tenant(t), "VBR_vSphere_VM", month, 1, 1 + t, BigDecimal.ONE));
                records.add(record(tenant(t), "CC_Server_Backup", month, 1, 0,
                        new BigDecimal(t + 1).divide(BigDecimal.valueOf(4))));
                records.add(record(tenant(t), "VBR_vSphere_VM", month, 2, 3 + t, BigDecimal.ONE));
            }
        }
        return records;
    }

    private static PeriodRecord record(final String tenant, final String type, final String month, final int revision,
                                       final long peakCount, final BigDecimal lastUnits) {
        final Instant start = YearMonth.parse(month).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        final Instant end = YearMonth.parse(month).plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        final String series = Keys.seriesKey(tenant, "vac-eu", type);
        final String key = Keys.periodKey(series, Granularity.MONTH, start);
        return new PeriodRecord(null, Ids.recordId(key, revision), series, tenant, "vac-eu", SourceKind.VAC, type,
                "instances", Granularity.MONTH, "UTC", start, end,
                revision == 1 ? RecordStatus.FINAL : RecordStatus.RESTATED, revision,
                revision == 1 ? null : Ids.recordId(key, revision - 1), lastUnits, lastUnits, lastUnits,
                lastUnits, peakCount, peakCount, 20, BigDecimal.ONE, start, end, end);
    }

    private static void provision(final KafkaBroker kafka, final String prefix) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, prefix, 3, 0).ensureAll();
        }
    }

    private static void produce(final KafkaBroker kafka, final String prefix, final List<PeriodRecord> records) {
        try (KafkaProducer<String, PeriodRecord> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                Topics.BILLING_RECORDS.keySerde().serializer(), Topics.BILLING_RECORDS.valueSerde().serializer())) {
            records.forEach(record -> producer.send(new ProducerRecord<>(Topics.BILLING_RECORDS.name(prefix),
                    record.periodKey(), record)));
        }
    }

    /** Every committed charge line, in partition order. */
    private static List<ChargeLine> charges(final KafkaBroker kafka, final String prefix) {
        return CommittedRecords.values(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                Topics.CHARGES.name(prefix), Topics.CHARGES.valueSerde().deserializer());
    }

    /** The latest revision of every charge key. */
    private static Map<String, ChargeLine> latest(final KafkaBroker kafka, final String prefix) {
        return CommittedRecords.latest(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                Topics.CHARGES.name(prefix), Topics.CHARGES.valueSerde().deserializer(), ChargeLine::chargeKey,
                ChargeLine::revision);
    }
}
