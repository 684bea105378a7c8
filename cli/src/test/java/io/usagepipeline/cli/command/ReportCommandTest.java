package io.usagepipeline.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.report.IndexPage;
import io.usagepipeline.report.MonthData;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code report} says on the console once it has written a month's statements. */
class ReportCommandTest {

    private static final Path INDEX = Path.of("statements", "index.html");

    /**
     * Run once a month, as invoicing is, {@code report} needs no month: it takes the one just ended in the billing
     * zone. At 09:00 on 1 December in Auckland, UTC's calendar still says 30 November.
     */
    @Test
    void shouldWriteTheMonthJustEndedInTheBillingZoneWhenNoneIsGiven() {
        final Clock firstOfDecemberInAuckland = Clock.fixed(Instant.parse("2026-11-30T20:00:00Z"), ZoneOffset.UTC);
        final ReportCommand none = new ReportCommand();
        new CommandLine(none).parseArgs("--bootstrap-servers", "localhost:19092");
        final ReportCommand march = new ReportCommand();
        new CommandLine(march).parseArgs("--month", "2026-03");

        assertThat(none.month(firstOfDecemberInAuckland, ZoneId.of("Pacific/Auckland")))
                .isEqualTo(YearMonth.of(2026, 11));
        assertThat(none.month(firstOfDecemberInAuckland, ZoneOffset.UTC)).isEqualTo(YearMonth.of(2026, 10));
        assertThat(march.month(firstOfDecemberInAuckland, ZoneId.of("Pacific/Auckland")))
                .isEqualTo(YearMonth.of(2026, 3));
    }

    @Test
    void shouldSayWhatTheIndexFlagsBeforeTheMonthIsInvoiced() {
        final IndexPage.Index index = new IndexPage.Index(INDEX, "5904.18 EUR", List.of("hooli", "soylent"), 4,
                List.of("initech"), List.of("globex (45%)", "wonka (99%)"));

        assertThat(ReportCommand.summary(12, YearMonth.of(2026, 11), index)).containsExactly(
                "12 statements for 2026-11, 5904.18 EUR in all; open " + INDEX.toAbsolutePath(),
                "  unpriced lines, at 0 until a card line prices them: hooli, soylent",
                "  Veeam's license report: 4 lines to check (the index lists them)",
                "  known for part of the month only: globex (45%), wonka (99%)",
                "  billed in 2026-10, with no charge line in 2026-11: initech");
    }

    /** A tenant the config names and the month does not bill: a customer that left, or a name mistyped there. */
    @Test
    void shouldNameTheTenantsTheConfigNamesThatHaveNoChargeLine() {
        final List<ChargeLine> lines = List.of(total("acme"), total("globex"));

        assertThat(ReportCommand.namedWithoutLines("the rate card", Set.of("acmecorp", "acme", "aardvark"), lines,
                YearMonth.of(2026, 11), "a name mistyped there leaves its tenant on the \"*\" card")).contains(
                "  named in the rate card, with no charge line in 2026-11: aardvark, acmecorp (a name mistyped there "
                        + "leaves its tenant on the \"*\" card)");
        assertThat(ReportCommand.namedWithoutLines("statements.customers", Set.of("acme", "globex"), lines,
                YearMonth.of(2026, 11), "why")).isEmpty();
    }

    /** A tenant charged that statements.customers does not name: its pages go out headed by its bare id. */
    @Test
    void shouldNameTheTenantsChargedThatTheCustomersDoNotName() {
        final List<ChargeLine> lines = new ArrayList<>(List.of(total("acme"), total("alpha-gmbh")));

        assertThat(ReportCommand.chargedWithoutName(Set.of("acme", "globex"), lines, YearMonth.of(2026, 11)))
                .contains("  charged in 2026-11, not named in statements.customers: alpha-gmbh (their pages are "
                        + "headed by the bare id; a VSPC company renamed is billed under its new name's slug until "
                        + "companies: maps that name)");
        for (int i = 0; i < 12; i++) {
            lines.add(total("tenant-" + (char) ('a' + i)));
        }
        assertThat(ReportCommand.chargedWithoutName(Set.of("acme"), lines, YearMonth.of(2026, 11)).orElseThrow())
                .startsWith("  charged in 2026-11, not named in statements.customers: alpha-gmbh, tenant-a, "
                        + "tenant-b, tenant-c, tenant-d, tenant-e, tenant-f, tenant-g, tenant-h, tenant-i and 3 more (");
        assertThat(ReportCommand.chargedWithoutName(Set.of("acme", "alpha-gmbh"), lines.subList(0, 2),
                YearMonth.of(2026, 11))).isEmpty();
    }

    /** A month without a billing record: before the history, if it has closed in the billing zone; else still open. */
    @Test
    void shouldTellAMonthWithoutUsageFromOneNotClosedInTheBillingZone() {
        final MonthData empty = new MonthData(YearMonth.of(2026, 11), List.of(), Map.of(), Map.of(), List.of(),
                List.of(), MonthData.PreviousMonth.NONE);

        // 09:00 on 1 December in Auckland: November has closed there, though UTC's calendar is still in it
        assertThat(ReportCommand.noChargeLine(empty, YearMonth.of(2026, 11), null, YearMonth.of(2026, 12)))
                .isEqualTo("no charge line for 2026-11, nor a billing record of any day of it: no usage of the "
                        + "month was collected; is --month right?");
        assertThat(ReportCommand.noChargeLine(empty, YearMonth.of(2026, 11), null, YearMonth.of(2026, 11)))
                .isEqualTo("no charge line for 2026-11 yet: the month has not closed, or the rater has not priced "
                        + "it");
    }

    @Test
    void shouldSayOneLineForAMonthWithNothingToCheck() {
        // totals in two currencies have no sum
        final IndexPage.Index index = new IndexPage.Index(INDEX, null, List.of(), 0, List.of(), List.of());

        assertThat(ReportCommand.summary(1, YearMonth.of(2026, 1), index)).containsExactly(
                "1 statement for 2026-01; open " + INDEX.toAbsolutePath());
    }

    @Test
    void shouldCountTheCustomerCopiesWritten() {
        final Path dir = Path.of("customer-statements");

        assertThat(ReportCommand.copiesWritten(1, YearMonth.of(2026, 11), dir))
                .isEqualTo("1 customer copy for 2026-11 in " + dir.toAbsolutePath());
        assertThat(ReportCommand.copiesWritten(12, YearMonth.of(2026, 11), dir))
                .isEqualTo("12 customer copies for 2026-11 in " + dir.toAbsolutePath());
    }

    /** A tenant's TOTAL line of November 2026: what bills the tenant in the month. */
    private static ChargeLine total(final String tenant) {
        final String key = Keys.chargeKey(tenant, "2026-11", ChargeLine.TOTAL);
        return new ChargeLine(null, Ids.chargeId(key, 1), tenant, "2026-11", "UTC", ChargeLine.TOTAL, "standard",
                "2026-01", null, null, null, null, List.of(), BigDecimal.ZERO, new BigDecimal("25.00"), "EUR", true,
                BigDecimal.TEN, new BigDecimal("11.00"), new BigDecimal("14.00"), RecordStatus.FINAL, 1, null,
                new BigDecimal("25.00"), List.of(), Instant.parse("2026-12-01T00:00:00Z"));
    }
}
