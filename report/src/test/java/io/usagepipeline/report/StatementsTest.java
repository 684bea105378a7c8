package io.usagepipeline.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.usagepipeline.events.Alert;
import io.usagepipeline.events.AlertKind;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.Reconciliation;
import io.usagepipeline.events.ReconciliationCause;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.events.ReportStatus;
import io.usagepipeline.events.SourceKind;
import io.usagepipeline.sink.DirectoryWriter;
import io.usagepipeline.sink.PositionedRecord;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A statement rendered from fixture records: its lines equal, row by row, the charge file the sink writes from the
 * same lines; its charts, evidence and alerts say what the records say; nothing on it comes from elsewhere.
 */
class StatementsTest {

    private static final YearMonth MARCH = YearMonth.of(2026, 3);
    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    private static final String NEW_ZEALAND = "Pacific/Auckland";

    @TempDir
    Path dir;

    @Test
    void shouldShowTheSameLinesAsTheChargeFileRowByRow() throws Exception {
        final MonthData data = fixture();
        final Path index = Statements.write(dir.resolve("statements"), data, Optional.empty(),
                Letterhead.NONE).file();
        final Map<String, Map<String, String>> csv = chargeFile(data.charges());

        final Document acme = Jsoup.parse(dir.resolve("statements/acme.html").toFile());
        for (final Element row : acme.select("#charges tbody tr[data-line]")) {
            final Map<String, String> expected = csv.get("acme|" + row.attr("data-line"));
            assertThat(expected).as("a CSV row for %s", row.attr("data-line")).isNotNull();
            assertThat(row.select("td.amount").text()).isEqualTo(expected.get("amount"));
        }
        assertThat(acme.select("#charges tbody tr[data-line]")).hasSize(4); // two license types, the top-up, TOTAL
        assertThat(acme.select("#margin").text()).isEqualTo(csv.get("acme|TOTAL").get("margin"));
        final Document indexPage = Jsoup.parse(index.toFile());
        assertThat(indexPage.select("#tenants tr[data-tenant=acme] td.amount").text())
                .isEqualTo(csv.get("acme|TOTAL").get("amount")).isEqualTo("64.80");
    }

    /**
     * What a billing person checks on the index before invoicing and before paying Veeam: each tenant's Veeam points
     * beside its amount, its change from the month before, the month's sums, a tenant billed the month before and not
     * in this one, and every line of Veeam's report that differs from our points, the report's organizations we bill
     * nothing for included (they have no statement to show them).
     */
    @Test
    void shouldTotalTheMonthAndListWhereVeeamsReportDiffersOnTheIndex() throws Exception {
        final IndexPage.Index written = Statements.write(dir, fixture(), Optional.empty(), Letterhead.NONE);
        final Document index = Jsoup.parse(dir.resolve("index.html").toFile());

        assertThat(index.select("#tenants thead th").eachText()).containsExactly("Tenant", "Amount", "Cost", "Margin",
                "Veeam points", "2026-02", "Change");
        // acme: 64.80 against February's 50.00; globex was not billed in February
        assertThat(index.select("#tenants tr[data-tenant=acme] td").eachText()).containsExactly(
                "acme unpriced lines report: 1 to check", "64.80", "13.20", "51.60", "12", "50.00", "+14.80");
        assertThat(index.select("#tenants tr[data-tenant=globex] td").eachText()).containsExactly("globex", "25.00",
                "13.20", "11.80", "12", "–", "new");
        // 64.80 + 25.00, 13.20 + 13.20, 51.60 + 11.80, 12 + 12 points; February's of the tenants listed, acme's
        assertThat(index.select("#sum td").eachText()).containsExactly("Total", "89.80", "26.40", "63.40", "24",
                "50.00", "+39.80");
        assertThat(index.select("#gone").text()).isEqualTo("not billed Billed in 2026-02, with no charge line in "
                + "2026-03: initech (30.00 EUR). A customer that left, or a source that stopped answering.");
        assertThat(index.select("p").eachText()).anyMatch(text -> text.contains("Veeam's report for 2026-03 "
                + "(Approved) against the Veeam points we count, per tenant and workload type: 1 agree, 1 differ by "
                + "new workloads only (Veeam bills them from next month), 2 need a look."));
        assertThat(index.select("#report tbody tr").eachText()).containsExactly(
                "acme VBR_VM 12 9 -3 ADJUSTED_IN_REPORT the count was adjusted by -1",
                "globex VBR_VM 5 4 -1 NEW_WORKLOADS 1 new workload, billed by Veeam from next month",
                "vandelay VBR_VM – 4 4 ONLY_IN_REPORT an organization we collect nothing for");
        assertThat(index.select("#report tbody tr td:first-child a").eachAttr("href")).containsExactly("acme.html",
                "globex.html"); // vandelay has no statement to link to

        // what the index says, for the console
        assertThat(written).isEqualTo(new IndexPage.Index(dir.resolve("index.html"), "89.80 EUR", List.of("acme"), 2,
                List.of("initech"), List.of()));

        Statements.write(dir.resolve("acme-only"), fixture(), Optional.of("acme"), Letterhead.NONE);
        final Document acmeOnly = Jsoup.parse(dir.resolve("acme-only/index.html").toFile());
        assertThat(acmeOnly.select("#sum td").eachText()).containsExactly("Total", "64.80", "13.20", "51.60", "12",
                "50.00", "+14.80");
        assertThat(acmeOnly.select("#gone")).isEmpty(); // initech is not the tenant asked for

        // the first month priced: nothing to compare with, no column of "new" on every row
        final MonthData first = fixture();
        Statements.write(dir.resolve("first"), new MonthData(first.month(), first.charges(), first.records(),
                first.revisions(), first.alerts(), first.reconciliation(), MonthData.PreviousMonth.NONE),
                Optional.empty(), Letterhead.NONE);
        final Document firstIndex = Jsoup.parse(dir.resolve("first/index.html").toFile());
        assertThat(firstIndex.select("#tenants thead th").eachText()).containsExactly("Tenant", "Amount", "Cost",
                "Margin", "Veeam points");
        assertThat(firstIndex.select("#sum td").eachText()).containsExactly("Total", "89.80", "26.40", "63.40", "24");
        assertThat(acmeOnly.select("#report tbody tr").eachAttr("data-tenant")).containsExactly("acme");
    }

    /**
     * A month whose collection started, stopped or failed for hours within it is a part month: its amount and its
     * change from the month before say so on the index, or a first month of collection reads as growth.
     */
    @Test
    void shouldMarkAPartMonthOnTheIndexWhereTheTenantsUsageIsKnownForPartOfIt() throws Exception {
        final MonthData full = fixture();
        final Map<String, PeriodRecord> records = new HashMap<>(full.records());
        // globex's only series known for 45.5% of March; acme's for all of it
        final PeriodRecord globex = record("globex", "VBR_vSphere_VM", Granularity.MONTH, START, 1, 5, "0.455");
        records.put(globex.periodKey(), globex);
        // acme's February: the most any of its series is known for is 0.4 (its day records do not count)
        final Instant february = Instant.parse("2026-02-01T00:00:00Z");
        final List<PeriodRecord> februaryMonths = List.of(
                record("acme", "VBR_vSphere_VM", Granularity.MONTH, february, 1, 8, "0.4"),
                record("acme", "CC_VM_Backup", Granularity.MONTH, february, 1, 2, "0.25"),
                record("initech", "VBR_vSphere_VM", Granularity.MONTH, february, 1, 5, "1"));
        final MonthData partly = new MonthData(MARCH, full.charges(), records, full.revisions(), full.alerts(),
                full.reconciliation(), new MonthData.PreviousMonth(full.previous().totals(), februaryMonths));
        final IndexPage.Index written = Statements.write(dir, partly, Optional.empty(), Letterhead.NONE);
        Statements.writeCustomerCopies(dir.resolve("customer"), partly, Optional.empty(), Letterhead.NONE);
        final Document index = Jsoup.parse(dir.resolve("index.html").toFile());

        assertThat(index.select("#tenants tr[data-tenant=acme] td").eachText()).containsExactly(
                "acme unpriced lines report: 1 to check", "64.80", "13.20", "51.60", "12", "50.00 40% known",
                "+14.80");
        assertThat(index.select("#tenants tr[data-tenant=globex] td").eachText()).containsExactly(
                "globex 45% of the month known", "25.00", "13.20", "11.80", "12", "–", "new");
        assertThat(index.select("#partial").text()).startsWith("A figure marked \"known\" is a part month's:");
        assertThat(written.partlyKnown()).containsExactly("globex (45%)"); // for the console: this month's only
        // globex's statement says so before its lines; acme's, known all March, does not; nor does a customer's copy
        assertThat(Jsoup.parse(dir.resolve("globex.html").toFile()).select("#partial").text()).isEqualTo(
                "45% of the month known This tenant's usage is known for 45% of the month at most: its collection "
                        + "started, stopped or failed for hours within the month, so these lines are priced from "
                        + "that part alone. The charts below shade the days not wholly known.");
        assertThat(Jsoup.parse(dir.resolve("acme.html").toFile()).select("#partial")).isEmpty();
        assertThat(Jsoup.parse(dir.resolve("customer/globex.html").toFile()).select("#partial")).isEmpty();

        // fully known months, both of them: no mark, no note
        Statements.write(dir.resolve("full"), full, Optional.empty(), Letterhead.NONE);
        final Document fullIndex = Jsoup.parse(dir.resolve("full/index.html").toFile());
        assertThat(fullIndex.select("#tenants .flag").eachText()).containsExactly("unpriced lines",
                "report: 1 to check");
        assertThat(fullIndex.select("#partial")).isEmpty();
    }

    /** An index of a month with no charge line says why there may be none, and lists nothing. */
    @Test
    void shouldSayWhyAMonthWithoutChargeLinesHasNoStatements() throws Exception {
        final IndexPage.Index written = Statements.write(dir, new MonthData(MARCH, List.of(), Map.of(), Map.of(),
                List.of(), List.of(), MonthData.PreviousMonth.NONE), Optional.empty(), Letterhead.NONE);

        final Document index = Jsoup.parse(written.file().toFile());
        assertThat(index.select("#none").text()).isEqualTo("No charge line for 2026-03: the month has not closed, "
                + "the rater has not priced it yet, or no usage of it was collected.");
        assertThat(index.select("#tenants, #sum")).isEmpty();
        assertThat(written.total()).isNull();
    }

    @Test
    void shouldChartEveryKnownDayShadeTheRestAndMarkRestatedDays() throws Exception {
        Statements.write(dir, fixture(), Optional.of("acme"), Letterhead.NONE);
        final Document acme = Jsoup.parse(dir.resolve("acme.html").toFile());

        final Element chart = acme.selectFirst(".chart[data-license-type=VBR_vSphere_VM]");
        assertThat(chart.select("rect.bar")).hasSize(3); // three days have records
        assertThat(chart.select("rect.gap")).hasSize(31 - 3 + 1); // 28 unknown days, and day 3 known for 75 %
        assertThat(chart.select("circle.restated")).hasSize(1);
        assertThat(chart.select("rect.bar title").first().text())
                .isEqualTo("2026-03-01: peak 10, average 8 instances, known 24.0 h");
        assertThat(chart.select("polyline.average").attr("points").split(" ")).hasSize(3);
        assertThat(chart.select("rect.bar title").last().text()).endsWith("known 18.0 h"); // 75 % of the day
    }

    /**
     * A license type at nothing all month (its agents removed before it began) is charged for 0: its chart's title says
     * it peaked at 0, where it said "highest 1", the scale its flat line is drawn on.
     */
    @Test
    void shouldSayThatAMonthAtNothingPeakedAtNothing() throws Exception {
        final MonthData full = fixture();
        final Map<String, PeriodRecord> records = new HashMap<>(full.records());
        for (int d = 0; d < 2; d++) {
            final PeriodRecord day = atNothing(record("acme", "VBR_Windows_Server_Agent", Granularity.DAY,
                    START.plus(Duration.ofDays(d)), 1, 0, "1"));
            records.put(day.periodKey(), day);
        }
        Statements.write(dir, new MonthData(MARCH, full.charges(), records, full.revisions(), full.alerts(),
                full.reconciliation(), full.previous()), Optional.of("acme"), Letterhead.NONE);
        final Document acme = Jsoup.parse(dir.resolve("acme.html").toFile());

        final Element chart = acme.selectFirst(".chart[data-license-type=VBR_Windows_Server_Agent]");
        assertThat(chart.select("h3").text())
                .isEqualTo("VBR_Windows_Server_Agent (instances, highest 0, 2 days known)");
        assertThat(chart.select("svg > text").last().text()).isEqualTo("1"); // the axis: the top of the plot is 1
        assertThat(chart.select("rect.bar").eachAttr("height")).containsExactly("0.0", "0.0");
        // a type with usage keeps its highest peak as both
        final Element vms = acme.selectFirst(".chart[data-license-type=VBR_vSphere_VM]");
        assertThat(vms.select("h3").text()).isEqualTo("VBR_vSphere_VM (instances, highest 12, 3 days known)");
        assertThat(vms.select("svg > text").last().text()).isEqualTo("12");
    }

    /**
     * On a phone the charges leave basis, unit and discount out (the columns marked {@code aux}, hidden under 600 px
     * wide), so that line, quantity, price and amount fit the screen: every row has a cell per column, with those
     * left out where the header's are, so that the total and the margin stay under the amount; a colspan would have
     * slid them one column over.
     */
    @Test
    void shouldLeaveTheSameColumnsOutOfEveryRowOfTheChargesOnANarrowScreen() throws Exception {
        Statements.write(dir, fixture(), Optional.of("acme"), Letterhead.NONE);
        final Document acme = Jsoup.parse(dir.resolve("acme.html").toFile());

        final List<Element> header = acme.select("#charges thead th");
        assertThat(header.stream().filter(th -> th.hasClass("aux")).map(Element::text))
                .containsExactly("Basis", "Unit", "Discount");
        final List<Integer> leftOut = auxColumns(header);
        final int amount = header.stream().map(Element::text).toList().indexOf("Amount");
        final List<Element> rows = acme.select("#charges tbody tr");
        assertThat(rows).hasSize(4 + 1); // two license types, the top-up, TOTAL, and the margin
        for (final Element row : rows) {
            final List<Element> cells = row.select("td");
            assertThat(cells).as(row.text()).hasSize(header.size());
            assertThat(auxColumns(cells)).as(row.text()).isEqualTo(leftOut);
            assertThat(row.select("td[colspan]")).isEmpty();
        }
        assertThat(acme.select("#charges tr[data-line=TOTAL] td").get(amount).hasClass("amount")).isTrue();
        assertThat(acme.select("#margin").first().elementSiblingIndex()).isEqualTo(amount);
        assertThat(acme.select("style").html()).containsPattern("@media \\(max-width: 600px\\) \\{[^@]*\\.aux \\{ "
                + "display: none; \\}");
    }

    /**
     * On a phone the evidence, the reconciliation and the alerts show a row a block, each cell named, where their
     * columns of long keys, ids and details ran off the screen: every cell carries its column's name.
     */
    @Test
    void shouldNameEveryCellOfTheLongTablesForANarrowScreen() throws Exception {
        Statements.write(dir, fixture(), Optional.of("acme"), Letterhead.NONE);
        final Document acme = Jsoup.parse(dir.resolve("acme.html").toFile());

        for (final String table : List.of("evidence", "reconciliation", "alerts")) {
            assertThat(acme.select("#" + table).hasClass("stack")).as(table).isTrue();
            final List<String> columns = acme.select("#" + table + " thead th").eachText();
            assertThat(acme.select("#" + table + " tbody tr")).as(table).isNotEmpty().allSatisfy(row -> assertThat(
                    row.select("td").eachAttr("data-label")).as(row.text()).isEqualTo(columns));
        }
        assertThat(acme.select("style").html()).contains("table.stack td::before { content: attr(data-label)");
    }

    /** On a phone the index keeps each tenant's amount, margin and change in view, its sum row likewise. */
    @Test
    void shouldLeaveTheSameColumnsOutOfEveryRowOfTheIndexOnANarrowScreen() throws Exception {
        Statements.write(dir.resolve("all"), fixture(), Optional.empty(), Letterhead.NONE);
        final Document index = Jsoup.parse(dir.resolve("all/index.html").toFile());
        final List<Element> columns = index.select("#tenants thead th");
        assertThat(columns.stream().filter(th -> th.hasClass("aux")).map(Element::text))
                .containsExactly("Cost", "Veeam points", "2026-02");
        for (final Element row : index.select("#tenants tbody tr, #tenants tfoot tr")) {
            assertThat(auxColumns(row.select("td"))).as(row.text()).isEqualTo(auxColumns(columns));
            assertThat(row.select("td")).hasSize(columns.size());
        }
    }

    private static List<Integer> auxColumns(final List<Element> cells) {
        final List<Integer> columns = new ArrayList<>();
        for (int c = 0; c < cells.size(); c++) {
            if (cells.get(c).hasClass("aux")) {
                columns.add(c);
            }
        }
        return columns;
    }

    @Test
    void shouldListTheEvidenceOfEachLineAndTheMonthsAlerts() throws Exception {
        Statements.write(dir, fixture(), Optional.of("acme"), Letterhead.NONE);
        final Document acme = Jsoup.parse(dir.resolve("acme.html").toFile());

        assertThat(acme.select("#evidence").text()).contains("RESTATED revision 2")
                .contains("revision 2: peakUnits 10 → 12, avgUnits 8 → 10, lastUnits 10 → 12, unitHours 200 → 240, "
                        + "peakCount 10 → 12").contains("acme|vac-eu|VBR_vSphere_VM");
        // the alert's instant as a person reads it, in UTC as it says; the CSV keeps 2026-04-01T00:00:00.000Z
        assertThat(acme.select("#alerts tbody tr td").eachText()).containsExactly("UNPRICED",
                "acme|2026-03|CC_VM_Backup", "2026-04-01 00:00:00 UTC", "open",
                "no line of card 'standard' matches CC_VM_Backup");
        assertThat(acme.select("#reconciliation tr[data-type=VBR_VM] td").eachText()).containsExactly("VBR_VM", "12",
                "9", "-3", "ADJUSTED_IN_REPORT", "Approved", "the count was adjusted by -1");
        assertThat(Files.list(dir).map(path -> path.getFileName().toString())).containsExactlyInAnyOrder(
                "index.html", "acme.html"); // --tenant: the index and that tenant's page only
    }

    @Test
    void shouldGiveCustomersTheirLinesWithoutTheProvidersCostsAndWithholdAMonthWithAnUnpricedLine() throws Exception {
        final MonthData data = fixture();
        final Statements.CustomerCopies copies = Statements.writeCustomerCopies(dir.resolve("customers"), data,
                Optional.empty(), Letterhead.NONE);
        final Map<String, Map<String, String>> csv = chargeFile(data.charges());

        assertThat(copies.written()).containsExactly("globex");
        assertThat(copies.withheld()).as("acme's CC line is unpriced: its copy would bill it at 0")
                .containsExactly("acme");
        assertThat(Files.list(dir.resolve("customers")).map(path -> path.getFileName().toString()))
                .containsExactly("globex.html"); // no index: it lists every tenant's cost and margin
        final Document globex = Jsoup.parse(dir.resolve("customers/globex.html").toFile());
        assertThat(globex.select("#charges tbody tr[data-line]")).hasSize(2);
        for (final Element row : globex.select("#charges tbody tr[data-line]")) {
            assertThat(row.select("td.amount").text())
                    .isEqualTo(csv.get("globex|" + row.attr("data-line")).get("amount"));
        }
        assertThat(globex.select("#charges th").eachText()).doesNotContain("Points", "Cost");
        assertThat(globex.text()).as("the provider's cost of each line, 13.20, and its margins")
                .doesNotContain("13.20", "Margin", "9.30", "11.80");
        assertThat(globex.select("#margin, #reconciliation, #alerts, a[href]")).isEmpty();
        assertThat(globex.select("#evidence").text()).contains("globex|vac-eu|VBR_vSphere_VM");
    }

    /** A page a customer receives names who sends it, and the customer by its name rather than a tenant id. */
    @Test
    void shouldHeadEachPageWithTheIssuerAndTheCustomersName() throws Exception {
        final Letterhead letterhead = new Letterhead("Contoso <Cloud> Backup",
                "1 Main St, Springfield · billing@contoso.example", Map.of("globex", "Globex Corporation"));
        Statements.write(dir.resolve("provider"), fixture(), Optional.empty(), letterhead);
        Statements.writeCustomerCopies(dir.resolve("customer"), fixture(), Optional.empty(), letterhead);

        for (final String page : List.of("provider/globex.html", "customer/globex.html")) {
            final Document globex = Jsoup.parse(dir.resolve(page).toFile());
            assertThat(globex.title()).isEqualTo("Globex Corporation: statement for 2026-03");
            assertThat(globex.select("#issuer strong").text()).as("escaped, not markup")
                    .isEqualTo("Contoso <Cloud> Backup");
            assertThat(globex.select("#issuer .muted").text())
                    .isEqualTo("1 Main St, Springfield · billing@contoso.example");
            assertThat(globex.select("h1").text()).isEqualTo("Globex Corporation");
            assertThat(globex.select("#tenant-id").text()).isEqualTo("Tenant globex");
        }
        final Document acme = Jsoup.parse(dir.resolve("provider/acme.html").toFile());
        assertThat(acme.select("h1").text()).as("a tenant without a name is headed by its id").isEqualTo("acme");
        assertThat(acme.select("#tenant-id")).isEmpty();
        assertThat(acme.select("#issuer strong").text()).isEqualTo("Contoso <Cloud> Backup");

        Statements.write(dir.resolve("plain"), fixture(), Optional.empty(), Letterhead.NONE);
        final Document plain = Jsoup.parse(dir.resolve("plain/globex.html").toFile());
        assertThat(plain.select("#issuer")).as("no letterhead configured").isEmpty();
        assertThat(plain.select("h1").text()).isEqualTo("globex");
    }

    @Test
    void shouldFlagARestatedLineByWhatItsAmountDidAndKeepUnmovedLinesOffTheCustomersCopy() throws Exception {
        // a new card version from March: VBR's price moved, CC's did not, and each was restated with the version
        final MonthData data = new MonthData(MARCH, List.of(
                charge("initech", "VBR_vSphere_VM", 2, "56.25", "2.25", true, List.of()),
                charge("initech", "CC_VM_Backup", 2, "30.00", "0.00", true, List.of()),
                charge("initech", "AZURE_FILE_SHARE", 3, "8.50", "-1.50", true, List.of()),
                charge("initech", ChargeLine.TOTAL, 2, "94.75", "0.75", true, List.of())),
                Map.of(), Map.of(), List.of(), List.of(), MonthData.PreviousMonth.NONE);
        Statements.write(dir.resolve("provider"), data, Optional.empty(), Letterhead.NONE);
        Statements.writeCustomerCopies(dir.resolve("customer"), data, Optional.empty(), Letterhead.NONE);

        final Document provider = Jsoup.parse(dir.resolve("provider/initech.html").toFile());
        assertThat(flags(provider)).containsExactly(
                "AZURE_FILE_SHARE=revision 3, -1.50", "CC_VM_Backup=revision 2, amount unchanged",
                "VBR_vSphere_VM=revision 2, +2.25", "TOTAL=revision 2, +0.75");
        final Document customer = Jsoup.parse(dir.resolve("customer/initech.html").toFile());
        assertThat(flags(customer)).containsExactly("AZURE_FILE_SHARE=revised, -1.50", "CC_VM_Backup=",
                "VBR_vSphere_VM=revised, +2.25", "TOTAL=revised, +0.75");
    }

    /** A month's days begin at the tenant's billing zone's midnight: its statement says which zone that is. */
    @Test
    void shouldSayWhichDaysTheMonthHoldsAndInWhichZone() throws Exception {
        final MonthData data = new MonthData(MARCH, List.of(
                charge("initech", "2026-03", NEW_ZEALAND, "VBR_vSphere_VM", 1, "56.25", "56.25", true, List.of()),
                charge("initech", "2026-03", NEW_ZEALAND, ChargeLine.TOTAL, 1, "56.25", "56.25", true, List.of())),
                Map.of(), Map.of(), List.of(), List.of(), MonthData.PreviousMonth.NONE);
        Statements.write(dir.resolve("provider"), data, Optional.empty(), Letterhead.NONE);
        Statements.writeCustomerCopies(dir.resolve("customer"), data, Optional.empty(), Letterhead.NONE);

        assertThat(Jsoup.parse(dir.resolve("provider/initech.html").toFile()).select("h1 + p").text()).isEqualTo(
                "Statement for 2026-03 (2026-03-01 to 2026-03-31, days in Pacific/Auckland), in EUR. Every amount is "
                        + "rounded once per line; the figures are those of billing.charges.v1 and "
                        + "charges/2026-03.csv.");
        assertThat(Jsoup.parse(dir.resolve("customer/initech.html").toFile()).select("h1 + p").text()).isEqualTo(
                "Statement for 2026-03 (2026-03-01 to 2026-03-31, days in Pacific/Auckland), in EUR. Every amount is "
                        + "rounded once per line.");
    }

    /** An unmapped VSPC company's tenant id may be in any script: its page is written, headed by it, and linked. */
    @Test
    void shouldWriteAndLinkThePageOfATenantIdInAnyScript() throws Exception {
        final String tenant = "株式会社アルファ";
        final MonthData data = new MonthData(MARCH, List.of(
                charge(tenant, "VBR_vSphere_VM", 1, "22.50", "22.50", true, List.of()),
                charge(tenant, ChargeLine.TOTAL, 1, "22.50", "22.50", true, List.of())),
                Map.of(), Map.of(), List.of(), List.of(), MonthData.PreviousMonth.NONE);

        Statements.write(dir, data, Optional.empty(), Letterhead.NONE);

        // its file name is the id's safe form, with a hash of the id to keep two such ids apart
        final String file = Statements.fileName(tenant);
        assertThat(file).matches("_+-[0-9a-f]{8}\\.html");
        assertThat(Jsoup.parse(dir.resolve(file).toFile()).select("h1").text()).isEqualTo(tenant);
        assertThat(Jsoup.parse(dir.resolve("index.html").toFile()).select("a[href]").eachAttr("href"))
                .contains(file);
    }

    /**
     * In the month a tenant's billing zone changed, the month begins (moving east) or ends (moving west) at the
     * changeover, hours from its zone's midnight: the page says where, from the tenant's MONTH record.
     */
    @Test
    void shouldSayWhereTheMonthOfAChangedZoneBeginsOrEnds() {
        final PeriodRecord tokyo = zoned(record("acme", "VBR_vSphere_VM", Granularity.MONTH,
                Instant.parse("2026-03-01T00:00:00Z"), 1, 10, "1"), "Asia/Tokyo",
                Instant.parse("2026-03-31T15:00:00Z"));
        final PeriodRecord utc = zoned(record("globex", "VBR_vSphere_VM", Granularity.MONTH,
                Instant.parse("2026-03-01T00:00:00Z"), 1, 10, "1"), "UTC", Instant.parse("2026-04-01T04:00:00Z"));

        assertThat(Statements.period(MARCH, List.of(tokyo), "Asia/Tokyo")).isEqualTo("2026-03-01 to 2026-03-31, "
                + "days in Asia/Tokyo; the billing zone changed, and the month begins at 2026-03-01 09:00 (2026-03-01 "
                + "00:00 UTC)");
        assertThat(Statements.period(MARCH, List.of(utc), "UTC")).isEqualTo("2026-03-01 to 2026-03-31, days in "
                + "UTC; the billing zone changed, and the month ends at 2026-04-01 04:00 (2026-04-01 04:00 UTC)");
        assertThat(Statements.period(MARCH, List.of(), "UTC")).as("no MONTH record: the calendar's month")
                .isEqualTo("2026-03-01 to 2026-03-31, days in UTC");
        assertThat(Statements.period(MARCH, List.of(record("initech", "VBR_vSphere_VM", Granularity.MONTH,
                Instant.parse("2026-03-01T00:00:00Z"), 1, 10, "1")), "UTC")).as("the calendar's month")
                .isEqualTo("2026-03-01 to 2026-03-31, days in UTC");
    }

    private static PeriodRecord zoned(final PeriodRecord record, final String zone, final Instant end) {
        return new PeriodRecord(null, record.recordId(), record.seriesKey(), record.tenantId(), record.sourceId(),
                record.sourceKind(), record.licenseType(), record.unit(), record.granularity(), zone,
                record.periodStart(), end, record.status(), record.revision(), record.supersedes(), record.peakUnits(),
                record.avgUnits(), record.unitHours(), record.lastUnits(), record.peakCount(), record.lastCount(),
                record.samples(), record.coverage(), record.firstObservedAt(), record.lastObservedAt(), end);
    }

    /** Each charge row's line and the text of its flags. */
    private static List<String> flags(final Document page) {
        return page.select("#charges tbody tr[data-line]").stream()
                .map(row -> row.attr("data-line") + "=" + row.select(".flag").text()).toList();
    }

    @Test
    void shouldFetchNothingAndRunNothing() throws Exception {
        Statements.write(dir, fixture(), Optional.empty(), Letterhead.NONE);
        for (final String page : List.of("index.html", "acme.html", "globex.html")) {
            final Document document = Jsoup.parse(dir.resolve(page).toFile());
            assertThat(document.select("script, link, img, iframe, object")).as(page).isEmpty();
            assertThat(document.select("[src]")).as(page).isEmpty();
            assertThat(document.select("a[href]").eachAttr("href")).as(page)
                    .allMatch(href -> href.endsWith(".html") && !href.contains(":") && !href.contains("/"));
        }
    }

    /** A provider of many tenants gets its largest charted, the largest first, and every one in the table. */
    @Test
    void shouldChartTheLargestOfManyTenants() throws Exception {
        final int tenants = TotalsChart.MOST + 5;
        final List<ChargeLine> charges = new ArrayList<>();
        for (int t = 0; t < tenants; t++) { // tenant-00 bills 1.00, tenant-34 35.00
            charges.add(charge(String.format("tenant-%02d", t), ChargeLine.TOTAL, 1, (t + 1) + ".00", "0.00", true,
                    List.of()));
        }
        Statements.write(dir, new MonthData(MARCH, charges, Map.of(), Map.of(), List.of(), List.of(),
                MonthData.PreviousMonth.NONE), Optional.empty(), Letterhead.NONE);

        final Document index = Jsoup.parse(dir.resolve("index.html").toFile());
        assertThat(index.select("#tenants tr[data-tenant]")).hasSize(tenants);
        final List<String> largest = new ArrayList<>();
        for (int t = tenants - 1; t >= tenants - TotalsChart.MOST; t--) {
            largest.add(String.format("tenant-%02d: amount %d.00, cost 13.20 EUR", t, t + 1));
        }
        assertThat(index.select("svg rect.bar title").eachText()).containsExactlyElementsOf(largest);
        assertThat(index.select("#chart-caption").text()).isEqualTo("The 30 largest of 35 tenants by amount, the "
                + "largest first; the table lists every one.");

        // a few tenants are all charted, in the table's order, without a caption
        Statements.write(dir, fixture(), Optional.empty(), Letterhead.NONE);
        final Document few = Jsoup.parse(dir.resolve("index.html").toFile());
        assertThat(few.select("svg rect.bar title").eachText()).containsExactly(
                "acme: amount 64.80, cost 13.20 EUR", "globex: amount 25.00, cost 13.20 EUR");
        assertThat(few.select("#chart-caption")).isEmpty();
    }

    @Test
    void shouldGiveEveryTenantAFileNameThatStaysInTheDirectoryAndIsItsOwn() {
        assertThat(Statements.fileName("acme")).isEqualTo("acme.html");
        assertThat(Statements.fileName("../etc/passwd")).matches("\\.\\._etc_passwd-[0-9a-f]{8}\\.html");
        assertThat(Statements.fileName("index")).matches("index-[0-9a-f]{8}\\.html");
        // two tenants whose ids differ in case only: two files on a file system that ignores case too
        assertThat(Statements.fileName("Acme")).matches("Acme-[0-9a-f]{8}\\.html")
                .isNotEqualToIgnoringCase(Statements.fileName("acme"));
    }

    /** acme: VBR (restated from a peak of 10 to 12) and an unpriced CC line, TOTAL 64.80; globex: one line. */
    private static MonthData fixture() {
        final PeriodRecord monthFinal = record("acme", "VBR_vSphere_VM", Granularity.MONTH, START, 1, 10, "1");
        final PeriodRecord monthRestated = record("acme", "VBR_vSphere_VM", Granularity.MONTH, START, 2, 12, "1");
        final PeriodRecord cc = record("acme", "CC_VM_Backup", Granularity.MONTH, START, 1, 3, "1");
        final PeriodRecord globexMonth = record("globex", "VBR_vSphere_VM", Granularity.MONTH, START, 1, 5, "1");
        final List<PeriodRecord> days = List.of(
                record("acme", "VBR_vSphere_VM", Granularity.DAY, START, 1, 10, "1"),
                record("acme", "VBR_vSphere_VM", Granularity.DAY, START.plus(Duration.ofDays(1)), 2, 12, "1"),
                record("acme", "VBR_vSphere_VM", Granularity.DAY, START.plus(Duration.ofDays(2)), 1, 11, "0.75"));
        final Map<String, PeriodRecord> records = new HashMap<>();
        final Map<UUID, PeriodRecord> revisions = new HashMap<>();
        for (final PeriodRecord record : List.of(monthFinal, monthRestated, cc, globexMonth, days.get(0), days.get(1),
                days.get(2))) {
            revisions.put(record.recordId(), record);
            records.merge(record.periodKey(), record, (a, b) -> b.revision() > a.revision() ? b : a);
        }
        final List<ChargeLine> charges = List.of(
                charge("acme", "VBR_vSphere_VM", 2, "54.00", "64.80", true, List.of(monthRestated.recordId())),
                charge("acme", "CC_VM_Backup", 1, "0.00", "0.00", false, List.of(cc.recordId())),
                charge("acme", ChargeLine.MINIMUM_TOP_UP, 1, "10.80", "10.80", true, List.of()),
                charge("acme", ChargeLine.TOTAL, 2, "64.80", "9.00", false,
                        List.of(cc.recordId(), monthRestated.recordId())),
                charge("globex", "VBR_vSphere_VM", 1, "22.50", "22.50", true, List.of(globexMonth.recordId())),
                charge("globex", ChargeLine.TOTAL, 1, "25.00", "25.00", true, List.of(globexMonth.recordId())));
        final List<Alert> alerts = List.of(Alert.started(AlertKind.UNPRICED, "acme|2026-03|CC_VM_Backup", "acme",
                Instant.parse("2026-04-01T00:00:00Z"), "no line of card 'standard' matches CC_VM_Backup"));
        final List<Reconciliation> reconciliation = List.of(
                reconciliation("acme", "VBR_VM", "12", "9", "-3", ReconciliationCause.ADJUSTED_IN_REPORT,
                        "the count was adjusted by -1"),
                reconciliation("globex", "VBR_VM", "5", "4", "-1", ReconciliationCause.NEW_WORKLOADS,
                        "1 new workload, billed by Veeam from next month"),
                reconciliation("globex", "VBR_Server_Agent", "3", "3", "0", ReconciliationCause.NONE, null),
                reconciliation("vandelay", "VBR_VM", null, "4", "4", ReconciliationCause.ONLY_IN_REPORT,
                        "an organization we collect nothing for"));
        // February: acme billed less, globex nothing, initech, billed nothing in March, 30.00
        final List<ChargeLine> february = List.of(
                charge("acme", "2026-02", "UTC", ChargeLine.TOTAL, 1, "50.00", "50.00", true, List.of()),
                charge("initech", "2026-02", "UTC", ChargeLine.TOTAL, 1, "30.00", "30.00", true, List.of()));
        return new MonthData(MARCH, charges, records, revisions, alerts, reconciliation,
                new MonthData.PreviousMonth(february, List.of()));
    }

    private static Reconciliation reconciliation(final String tenant, final String type, final String ours,
                                                 final String veeam, final String variance,
                                                 final ReconciliationCause cause, final String detail) {
        final String key = Keys.reconciliationKey(tenant, "vspc", type, "2026-03");
        return new Reconciliation(null, Ids.reconciliationId(key, 1), tenant, "vspc", type, "2026-03",
                ours == null ? null : new BigDecimal(ours), new BigDecimal(veeam), new BigDecimal(variance), cause,
                detail, ReportStatus.APPROVED, BigDecimal.ONE, 12L, 12L, 11L, 2L, BigDecimal.ONE, 1, null,
                Instant.parse("2026-04-02T10:00:00Z"));
    }

    private static PeriodRecord record(final String tenant, final String type, final Granularity granularity,
                                       final Instant start, final int revision, final long peak,
                                       final String coverage) {
        final Instant end = granularity == Granularity.DAY ? start.plus(Duration.ofDays(1))
                : Instant.parse("2026-04-01T00:00:00Z");
        final String series = Keys.seriesKey(tenant, "vac-eu", type);
        final String key = Keys.periodKey(series, granularity, start);
        return new PeriodRecord(null, Ids.recordId(key, revision), series, tenant, "vac-eu", SourceKind.VAC, type,
                "instances", granularity, "UTC", start, end, revision == 1 ? RecordStatus.FINAL : RecordStatus.RESTATED,
                revision, revision == 1 ? null : Ids.recordId(key, revision - 1), BigDecimal.valueOf(peak),
                BigDecimal.valueOf(peak - 2), BigDecimal.valueOf(peak * 20), BigDecimal.valueOf(peak), peak, peak,
                24, new BigDecimal(coverage), start, end, end);
    }

    /** The record with every figure 0: a level of nothing, known all the time. */
    private static PeriodRecord atNothing(final PeriodRecord r) {
        return new PeriodRecord(null, r.recordId(), r.seriesKey(), r.tenantId(), r.sourceId(), r.sourceKind(),
                r.licenseType(), r.unit(), r.granularity(), r.zone(), r.periodStart(), r.periodEnd(), r.status(),
                r.revision(), r.supersedes(), BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, 0,
                0, r.samples(), r.coverage(), r.firstObservedAt(), r.lastObservedAt(), r.asOf());
    }

    private static ChargeLine charge(final String tenant, final String line, final int revision, final String amount,
                                     final String delta, final boolean priced, final List<UUID> records) {
        return charge(tenant, "2026-03", "UTC", line, revision, amount, delta, priced, records);
    }

    private static ChargeLine charge(final String tenant, final String month, final String zone, final String line,
                                     final int revision, final String amount, final String delta,
                                     final boolean priced, final List<UUID> records) {
        final String key = Keys.chargeKey(tenant, month, line);
        return new ChargeLine(null, Ids.chargeId(key, revision), tenant, month, zone, line, "standard",
                "2026-01", priced && !line.equals(ChargeLine.TOTAL) ? "PEAK_COUNT" : null, new BigDecimal("12"),
                "objects", new BigDecimal("4.50"), List.of(), BigDecimal.ZERO, new BigDecimal(amount), "EUR", priced,
                new BigDecimal("12"), new BigDecimal("13.20"), new BigDecimal(amount).subtract(new BigDecimal("13.20")),
                revision == 1 ? RecordStatus.FINAL : RecordStatus.RESTATED, revision,
                revision == 1 ? null : Ids.chargeId(key, revision - 1), new BigDecimal(delta), records,
                Instant.parse("2026-04-01T00:00:00Z"));
    }

    /** The charge file the sink writes from the same lines, by tenant|line. */
    private Map<String, Map<String, String>> chargeFile(final List<ChargeLine> charges) throws Exception {
        final List<PositionedRecord> records = new ArrayList<>();
        for (int i = 0; i < charges.size(); i++) {
            records.add(PositionedRecord.ofCharge(new TopicPartition("billing.charges.v1", 0), i, charges.get(i)));
        }
        try (DirectoryWriter writer = new DirectoryWriter(dir.resolve("files"), "usage.totals.v1")) {
            writer.write(records);
        }
        final Map<String, Map<String, String>> rows = new HashMap<>();
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(dir.resolve("files/charges/2026-03.csv").toFile())) {
            it.forEachRemaining(row -> rows.put(row.get("tenantId") + "|" + row.get("line"), row));
        }
        return rows;
    }
}
