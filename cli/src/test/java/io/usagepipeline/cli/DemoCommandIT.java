package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.usagepipeline.cli.run.DemoIncidents;
import io.usagepipeline.cli.run.DemoSummary;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.simulator.Fleet;
import io.usagepipeline.simulator.LicenseReports;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code usage-pipeline demo}: it runs to the end, and the FINAL day records it wrote for the AWS tenants equal
 * figures computed here, independently, from the fleet's level history (the simulator's ground truth), also when an
 * earlier run with another seed wrote to the same folder; and it prices last month with its sample rate card.
 */
@Timeout(600) // a hung test fails here, not at CI's limit
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoCommandIT {

    private static final int TENANTS = 8; // four VSPC companies: three with planted differences, one without
    private static final long SEED = 9;

    private Path dir;
    private Path out;
    private Run run;

    @BeforeAll
    void runTheDemoTwiceIntoOneFolder(@TempDir final Path folder) {
        dir = folder;
        out = dir.resolve("usage-out");
        // an earlier run with another fleet in the same folder: its files must not survive into this run's
        final Run earlier = demo(out, 3, 3);
        assertThat(earlier.code()).as("the earlier demo run ended with%n%s", earlier).isZero();
        // 33 days hold last month, whole or from a day within it (as a first month of collection does), and part of
        // the month before it on most days
        run = demo(out, SEED, 33);
    }

    @Test
    void shouldWriteFinalRecordsThatMatchTheGroundTruth() throws Exception {
        assertThat(run.code()).as("the demo run ended with%n%s", run).isZero();
        assertThat(run.console()).contains("100% ").contains("waiting for the processor, the rater and the sink")
                .contains("moved the earlier run's files in " + out.toAbsolutePath() + " aside to ");
        assertThat(out.resolve("secrets")).as("no simulator passwords among the billing files").doesNotExist();
        try (var siblings = Files.list(dir)) {
            assertThat(siblings.map(path -> path.getFileName().toString()))
                    .anyMatch(name -> name.startsWith("usage-out.previous-"));
        }
        // two days ago lies wholly inside the simulated days and has closed
        final LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(2);
        final Map<String, Map<String, String>> records = readDay(out.resolve("day").resolve(day + ".csv"));
        final Fleet fleet = new Fleet(TENANTS, SEED, Fleet.Dialect.DOCUMENTED, Fleet.Dialect.FIELD);
        int checked = 0;
        for (final String tenant : List.of("acme", "umbrella")) { // tenants 0 and 3 have AWS appliances
            final Map<String, String> record = records.get(tenant + "|aws-" + tenant + "|AWS_EC2_INSTANCE");
            assertThat(record).as("a FINAL record of %s on %s", tenant, day).isNotNull();
            assertThat(record.get("status")).isEqualTo("FINAL");
            final Fleet.Series series = fleet.series("aws/" + tenant + "/workloads");
            assertThat(new BigDecimal(record.get("unitHours"))).as("unitHours of %s", tenant)
                    .isEqualByComparingTo(expectedUnitHours(fleet, series, day));
            assertThat(new BigDecimal(record.get("coverage"))).isEqualByComparingTo("1");
            assertThat(Long.parseLong(record.get("samples"))).isEqualTo(24);
            checked++;
        }
        assertThat(checked).isEqualTo(2);
    }

    /**
     * acme's AWS line is the sample card's graduated price of the month's average (10 at 6.00, the rest at 5.00),
     * less acme's 10 %, rounded once; every TOTAL is its lines' sum, and at least the card's minimum of 25.00.
     */
    @Test
    void shouldPriceLastMonthWithTheSampleCard() throws Exception {
        final YearMonth month = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
        final BigDecimal avg = new BigDecimal(readDay(out.resolve("month").resolve(month + ".csv"))
                .get("acme|aws-acme|AWS_EC2_INSTANCE").get("avgUnits"));
        final BigDecimal gross = avg.min(BigDecimal.TEN).multiply(new BigDecimal("6.00"))
                .add(avg.subtract(BigDecimal.TEN).max(BigDecimal.ZERO).multiply(new BigDecimal("5.00")));
        final List<Map<String, String>> charges = DemoSummary.rows(out.resolve("charges")
                .resolve(month + ".csv"));
        final Map<String, BigDecimal> sums = new HashMap<>();
        final Map<String, String> totals = new HashMap<>();
        final Map<String, String> points = new HashMap<>();
        for (final Map<String, String> line : charges) {
            if (line.get("line").equals("TOTAL")) {
                totals.put(line.get("tenantId"), line.get("amount"));
                points.put(line.get("tenantId"), line.get("points"));
            } else {
                sums.merge(line.get("tenantId"), new BigDecimal(line.get("amount")), BigDecimal::add);
            }
        }

        assertThat(charges).filteredOn(line -> line.get("tenantId").equals("acme")
                        && line.get("line").equals("AWS_EC2_INSTANCE")).singleElement()
                .satisfies(line -> assertThat(line.get("amount")).isEqualTo(gross.multiply(new BigDecimal("0.9"))
                        .setScale(2, RoundingMode.HALF_EVEN).toPlainString()));
        assertThat(totals.keySet()).as("every tenant of the fleet").containsExactlyInAnyOrderElementsOf(
                new Fleet(TENANTS, SEED, Fleet.Dialect.DOCUMENTED, Fleet.Dialect.FIELD).tenants());
        totals.forEach((tenant, total) -> assertThat(new BigDecimal(total)).as("TOTAL of %s", tenant)
                .isEqualTo(sums.get(tenant)).isGreaterThanOrEqualTo(new BigDecimal("25.00")));
        final BigDecimal monthAmount = totals.values().stream().map(BigDecimal::new).reduce(BigDecimal.ZERO,
                BigDecimal::add);
        assertThat(run.console()).contains("Charges for " + month + " with the sample rate card")
                .containsPattern("tenant +series +Veeam points +amount +cost +margin")
                .containsPattern("acme +\\d+ +" + Pattern.quote(points.get("acme")) + " +"
                        + Pattern.quote(totals.get("acme")) + " ")
                .containsPattern("\\ntotal +\\d+ +[0-9.]+ +" + Pattern.quote(monthAmount.toPlainString()) + " ")
                .contains("Statements for " + month + ": " + out.resolve("statements/index.html").toAbsolutePath());
    }

    /**
     * Last month's license report, as the simulator computes it with Veeam's rules and the demo's planted
     * adjustments, reconciled line by line: every variance the simulator's truth expects is found with its cause,
     * and every line where the truth expects none says NONE.
     */
    @Test
    void shouldReconcileLastMonthWithVeeamsReport() throws Exception {
        final YearMonth month = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
        final Fleet fleet = new Fleet(TENANTS, SEED, Fleet.Dialect.DOCUMENTED, Fleet.Dialect.FIELD);
        final LicenseReports truth = new LicenseReports(fleet);
        DemoIncidents.reportAdjustments(fleet, month).forEach(truth::add);
        final Map<String, String> expected = new TreeMap<>();
        for (final LicenseReports.Variance variance : truth.variances(month, Instant.now())) {
            final String tenant = fleet.vspcCompanies().getOrDefault(variance.company(),
                    variance.company().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
            expected.put(tenant + "|" + variance.workloadType(), variance.cause() + " "
                    + variance.variance().stripTrailingZeros().toPlainString());
        }
        final Map<String, String> found = new TreeMap<>();
        final Path reconciliation = out.resolve("reconciliation").resolve(month + ".csv");
        for (final Map<String, String> line : DemoSummary.rows(reconciliation)) {
            found.put(line.get("tenantId") + "|" + line.get("licenseType"), line.get("cause") + " "
                    + new BigDecimal(line.get("variance")).stripTrailingZeros().toPlainString());
        }

        assertThat(found).isEqualTo(expected);
        // the planted differences, and lines with none (new workloads only, or nothing at all)
        assertThat(found.values()).anyMatch(cause -> cause.startsWith("ADJUSTED_IN_REPORT "))
                .anyMatch(cause -> cause.startsWith("NOT_COLLECTED "))
                .anyMatch(cause -> cause.equals("ONLY_IN_REPORT 4"))
                .anyMatch(cause -> cause.startsWith("ONLY_IN_OURS -"))
                .anyMatch(cause -> cause.startsWith("NONE ") || cause.startsWith("NEW_WORKLOADS "));
        assertThat(found).containsKey("vandelay-industries|VBR_VM");
        assertThat(run.console()).contains("Veeam's license report for " + month);
    }

    /**
     * The demo's fleet goes through an appliance failing for five hours four days ago and a surge six days ago: each
     * is one alert episode with its end, at the times the processor's rules give.
     */
    @Test
    void shouldRaiseAndResolveTheAlertsOfThePlantedIncidents() throws Exception {
        final List<Map<String, String>> alerts = DemoSummary.rows(out.resolve("alerts.csv"));
        final LocalDate outageDay = LocalDate.now(ZoneOffset.UTC).minusDays(4);
        final LocalDate surgeDay = LocalDate.now(ZoneOffset.UTC).minusDays(6);

        // the appliance answered last at 07:00:30 and failed from 08:00 for five polls: failing after maxGap (3 h),
        // answering again at 13:00:30
        assertThat(alerts).filteredOn(alert -> alert.get("kind").equals("TARGET_FAILING")).singleElement()
                .satisfies(alert -> {
                    assertThat(alert.get("subject")).isEqualTo("azure-globex/licenseResources/-");
                    assertThat(alert.get("startedAt")).isEqualTo(outageDay + "T10:00:30.000Z");
                    assertThat(alert.get("resolvedAt")).isEqualTo(outageDay + "T13:00:30.000Z");
                });
        assertThat(alerts).filteredOn(alert -> alert.get("kind").equals("SPIKE")
                        && alert.get("startedAt").equals(surgeDay + "T12:00:30.000Z")).singleElement()
                .satisfies(alert -> {
                    assertThat(alert.get("subject")).endsWith("|AWS_EC2_INSTANCE");
                    assertThat(alert.get("resolvedAt")).isEqualTo(surgeDay + "T18:00:30.000Z");
                });
        assertThat(run.console()).contains("Alerts of the simulated days (every episode is in alerts.csv): ")
                .contains("1 TARGET_FAILING");
        // the episodes still open, a tenant's together
        assertThat(run.console().lines().filter(line -> line.startsWith("  still open: ")).toList()).isEqualTo(
                alerts.stream().filter(alert -> alert.get("resolvedAt").isEmpty())
                        .sorted(Comparator.comparing((Map<String, String> alert) -> alert.get("subject"))
                                .thenComparing(alert -> alert.get("kind")))
                        .map(alert -> "  still open: " + alert.get("subject") + " (" + alert.get("kind") + ", since "
                                + alert.get("startedAt").substring(0, 10) + ")").toList()).isNotEmpty();
    }

    /**
     * A tenant's month known in part (the demo's history begins within a month) is marked on the index, beside its
     * amount and beside its amount the month before, as the month files of the sink say: the most any of the tenant's
     * series is known for, in whole percent.
     */
    @Test
    void shouldMarkPartMonthsOnTheIndexAsTheMonthFilesCoverThem() throws Exception {
        final YearMonth month = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
        final Map<String, String> known = partlyKnown(month);
        final Path before = out.resolve("charges").resolve(month.minusMonths(1) + ".csv");
        final Map<String, String> knownBefore = Files.exists(before) ? partlyKnown(month.minusMonths(1)) : Map.of();
        final List<String> billedBefore = Files.exists(before) ? DemoSummary.rows(before).stream()
                .filter(line -> line.get("line").equals("TOTAL")).map(line -> line.get("tenantId")).toList()
                : List.of();
        final Document index = Jsoup.parse(out.resolve("statements/index.html").toFile());

        final List<Element> rows = index.select("#tenants tr[data-tenant]");
        assertThat(rows).hasSize(TENANTS);
        for (final Element row : rows) {
            final String tenant = row.attr("data-tenant");
            assertThat(row.select("td").get(0).select(".flag").eachText()).as(tenant).filteredOn(flag -> flag
                    .contains("known")).isEqualTo(known.containsKey(tenant)
                            ? List.of(known.get(tenant) + " of the month known") : List.of());
            if (billedBefore.contains(tenant)) {
                assertThat(row.select("td").get(5).select(".flag").eachText()).as(tenant).isEqualTo(
                        knownBefore.containsKey(tenant) ? List.of(knownBefore.get(tenant) + " known") : List.of());
            }
        }
        assertThat(index.select("#partial").isEmpty()).isEqualTo(known.isEmpty() && billedBefore.stream()
                .noneMatch(knownBefore::containsKey));
        final String console = "  known for part of the month only (the history starts 33 days ago): ";
        if (known.isEmpty()) {
            assertThat(run.console()).doesNotContain(console);
        } else {
            assertThat(run.console()).contains(console + new TreeMap<>(known).entrySet().stream()
                    .map(tenant -> tenant.getKey() + " (" + tenant.getValue() + ")").collect(Collectors.joining(", ")));
        }
    }

    /** The tenants whose usage of the month is known for part of it: the most any of their series is, in percent. */
    private Map<String, String> partlyKnown(final YearMonth month) throws Exception {
        final Map<String, Map<String, String>> latest = new HashMap<>();
        DemoSummary.rows(out.resolve("month").resolve(month + ".csv")).forEach(row -> latest.merge(
                row.get("seriesKey"), row, (held, next) -> Integer.parseInt(next.get("revision"))
                        > Integer.parseInt(held.get("revision")) ? next : held));
        final Map<String, BigDecimal> most = new HashMap<>();
        latest.values().forEach(row -> most.merge(row.get("tenantId"), new BigDecimal(row.get("coverage")),
                BigDecimal::max));
        final Map<String, String> partly = new HashMap<>();
        most.forEach((tenant, coverage) -> {
            if (coverage.compareTo(BigDecimal.ONE) < 0) {
                partly.put(tenant, coverage.multiply(BigDecimal.valueOf(100)).setScale(0, RoundingMode.FLOOR)
                        .toPlainString() + "%");
            }
        });
        return partly;
    }

    /**
     * The demo's statements in a real browser: nothing on the console, no request beyond the file, every chart drawn,
     * and the amounts on the pages those of the charge file; screenshots go to target/statements/ for people.
     */
    @Test
    void shouldShowStatementsInABrowserAsTheChargeFileHasThem() throws Exception {
        final HeadlessChromium chromium = chromium();
        final YearMonth month = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
        final Map<String, Map<String, String>> csv = new HashMap<>();
        DemoSummary.rows(out.resolve("charges").resolve(month + ".csv"))
                .forEach(row -> csv.put(row.get("tenantId") + "|" + row.get("line"), row));
        final Path shots = Files.createDirectories(Path.of("target", "statements"));
        final Path work = Files.createDirectories(dir.resolve("browser"));

        // the check itself can fail: a page that fetches an image from elsewhere is caught
        final Path leaky = Files.writeString(work.resolve("leaky.html"),
                "<html><body><img src=\"http://statements.invalid/logo.png\"></body></html>");
        assertThat(chromium.open(leaky, work.resolve("leaky.png"), work).outsideRequests())
                .anyMatch(request -> request.contains("statements.invalid"));

        final HeadlessChromium.Page index = chromium.open(out.resolve("statements/index.html"),
                shots.resolve("index.png"), work);
        assertThat(index.consoleErrors()).isEmpty();
        assertThat(index.outsideRequests()).isEmpty();
        final Document indexDom = Jsoup.parse(index.dom());
        assertThat(indexDom.select("svg rect.bar")).hasSize(TENANTS);
        for (final Element row : indexDom.select("#tenants tr[data-tenant]")) {
            assertThat(row.select("td.amount").text()).as(row.attr("data-tenant"))
                    .isEqualTo(csv.get(row.attr("data-tenant") + "|TOTAL").get("amount"));
        }
        // the month's total, the charge file's TOTAL lines added up here
        assertThat(indexDom.select("#sum td.amount").text()).isEqualTo(csv.entrySet().stream()
                .filter(entry -> entry.getKey().endsWith("|TOTAL"))
                .map(entry -> new BigDecimal(entry.getValue().get("amount")))
                .reduce(BigDecimal.ZERO, BigDecimal::add).toPlainString());
        assertThat(shots.resolve("index.png")).isNotEmptyFile();

        final HeadlessChromium.Page acme = chromium.open(out.resolve("statements/acme.html"),
                shots.resolve("acme.png"), work);
        assertThat(acme.consoleErrors()).isEmpty();
        assertThat(acme.outsideRequests()).isEmpty();
        final Document acmeDom = Jsoup.parse(acme.dom());
        assertThat(acmeDom.select(".chart")).isNotEmpty().allSatisfy(chart -> assertThat(chart.select("rect.bar"))
                .as(chart.attr("data-license-type")).isNotEmpty());
        final var lines = acmeDom.select("#charges tr[data-line]");
        assertThat(lines).hasSize((int) csv.keySet().stream().filter(key -> key.startsWith("acme|")).count());
        for (final Element line : lines) {
            assertThat(line.select("td.amount").text()).as(line.attr("data-line"))
                    .isEqualTo(csv.get("acme|" + line.attr("data-line")).get("amount"));
        }
        assertThat(shots.resolve("acme.png")).isNotEmptyFile();
    }

    /**
     * The statements on paper: printed on A4, the index and the statement with every kind of table hold each table's
     * headers and the last cell of each row, where a table wider than the page kept only the columns its scroll box
     * showed (a statement's cost and points, the alerts' detail).
     */
    @Test
    void shouldPrintEveryColumnOfTheStatements() throws Exception {
        final HeadlessChromium chromium = chromium();
        final Path statements = out.resolve("statements");
        final Path work = Files.createDirectories(dir.resolve("print"));
        final Path fullest;
        try (var pages = Files.list(statements)) {
            fullest = pages.filter(page -> !page.endsWith("index.html")).sorted()
                    .max(Comparator.comparingInt(page -> parse(page).select("table").size())).orElseThrow();
        }
        assertThat(parse(fullest).select("table").eachAttr("id"))
                .containsExactly("charges", "evidence", "reconciliation", "alerts");
        for (final Path page : List.of(statements.resolve("index.html"), fullest)) {
            final String printed = squeezed(chromium.printOnA4(page, work));
            for (final Element table : parse(page).select("table")) {
                final String what = page.getFileName() + " #" + table.id();
                assertThat(table.select("thead th")).isNotEmpty().allSatisfy(header ->
                        assertThat(printed).as(what).contains(squeezed(header.text())));
                for (final Element row : table.select("tbody tr")) {
                    final String last = squeezed(row.select("td").last().text());
                    assertThat(printed).as(what).contains(last);
                }
            }
        }
    }

    /** The machine's Chromium; the test is skipped, and says so loudly, where there is none. */
    private static HeadlessChromium chromium() {
        final Optional<HeadlessChromium> chromium = HeadlessChromium.find();
        if (chromium.isEmpty()) {
            System.err.println("SKIPPED: DemoCommandIT's browser tests need Chromium (Debian package 'chromium'); "
                    + ".ci/run installs it");
        }
        assumeTrue(chromium.isPresent(), "no Chromium on this machine: the statements were not opened in a browser");
        return chromium.get();
    }

    private static Document parse(final Path page) {
        try {
            return Jsoup.parse(page.toFile());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text without its spaces and line breaks, which the printed page puts where its lines wrap. */
    private static String squeezed(final String text) {
        return text.replaceAll("\\s+", "");
    }

    @Test
    void shouldRefuseAFolderThatIsNotAnEarlierRunsOutput(@TempDir final Path out) throws Exception {
        final Path notes = Files.writeString(out.resolve("notes.txt"), "mine");

        final Run refused = demo(out, SEED, 3);

        assertThat(refused.code()).isEqualTo(ExitCodes.CONFIG_ERROR);
        assertThat(refused.errors()).contains("is not empty and is not an earlier demo's output");
        assertThat(Files.readString(notes)).isEqualTo("mine");
    }

    private record Run(int code, String console, String errors) {

        /** What a failed run said, so that a failure in CI can be read from its log. */
        @Override
        public String toString() {
            return "exit code " + code + "; console:\n" + console + "\nerrors:\n" + errors;
        }
    }

    private static Run demo(final Path out, final long seed, final int days) {
        final StringWriter console = new StringWriter();
        final StringWriter errors = new StringWriter();
        final var commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(console, true));
        commandLine.setErr(new PrintWriter(errors, true));
        final int code = commandLine.execute("demo", "--out", out.toString(), "--tenants", String.valueOf(TENANTS),
                "--seed", String.valueOf(seed), "--days", String.valueOf(days));
        return new Run(code, console.toString(), errors.toString());
    }

    /**
     * The demo polls each hourly slot 30 s after it starts, so a day holds: 30 s of the level read at 23:00:30 the
     * day before, then each hour's level from hh:00:30 to the next poll, the last one up to midnight.
     */
    private static BigDecimal expectedUnitHours(final Fleet fleet, final Fleet.Series series, final LocalDate day) {
        final Instant start = day.atStartOfDay().toInstant(ZoneOffset.UTC);
        BigDecimal unitSeconds = BigDecimal.valueOf(fleet.count(series, start.minus(Duration.ofMinutes(59)))) // 23:01
                .multiply(BigDecimal.valueOf(30));
        for (int hour = 0; hour < 24; hour++) {
            final Instant poll = start.plus(Duration.ofHours(hour)).plusSeconds(30);
            final long seconds = hour == 23 ? 3600 - 30 : 3600;
            unitSeconds = unitSeconds.add(BigDecimal.valueOf(fleet.count(series, poll)).multiply(
                    BigDecimal.valueOf(seconds)));
        }
        return unitSeconds.divide(BigDecimal.valueOf(3600), 6, RoundingMode.HALF_EVEN);
    }

    private static Map<String, Map<String, String>> readDay(final Path file) throws Exception {
        final Map<String, Map<String, String>> bySeries = new HashMap<>();
        DemoSummary.rows(file).forEach(row -> bySeries.put(row.get("seriesKey"), row));
        return bySeries;
    }
}
