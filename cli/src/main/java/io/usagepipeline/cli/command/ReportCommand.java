package io.usagepipeline.cli.command;

import io.usagepipeline.cli.config.LetterheadSettings;
import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.cli.config.Settings;
import io.usagepipeline.cli.run.KafkaCheck;
import io.usagepipeline.cli.run.ReadingProgress;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Topics;
import io.usagepipeline.processor.ProcessorSettings;
import io.usagepipeline.rating.RaterSettings;
import io.usagepipeline.rating.card.RatingConfig;
import io.usagepipeline.report.IndexPage;
import io.usagepipeline.report.Letterhead;
import io.usagepipeline.report.MonthData;
import io.usagepipeline.report.Statements;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.runtime.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {
                "Writes the statements of a month from the committed topics: index.html and a page per tenant.",
                "index.html shows every tenant's total, cost, margin and Veeam points, with a chart, its change "
                        + "from the month before, a mark where a month is known in part, the month's sums, and "
                        + "every line of Veeam's license report that differs from our points; a tenant's page its "
                        + "charge lines and total, a day-by-day chart per license type, the evidence of each line, "
                        + "the reconciliation with Veeam's report and the month's alerts.",
                "Each page is self-contained (inline CSS and SVG, no script, nothing fetched), opens offline in any "
                        + "browser and prints cleanly. Exits 1 when the month has no charge line (for --tenant: none "
                        + "of that tenant).",
                "With --customer-copy it writes the pages the tenants receive instead (see the option).",
                "Given the pipeline's config (-c), its 'statements:' block heads every page with who it is from "
                        + "(statements.issuer, statements.issuerDetails) and each tenant with its customer's name "
                        + "(statements.customers), and its rate card names the tenants to look for."})
public final class ReportCommand implements Callable<Integer> {

    /** How many tenant ids a console line lists before it counts the rest. */
    private static final int NAMES_SHOWN = 10;

    @Mixin
    ConfigOptions options;

    @Mixin
    TopicPrefixOption topicPrefix;

    @Option(names = "--month", paramLabel = "MONTH", converter = MonthConverter.class,
            description = "The month, e.g. 2026-11. Default: the month before this one in the billing zone "
                    + "(processor.zone, UTC unless the config says), the one to invoice.")
    YearMonth month;

    @Option(names = "--tenant", paramLabel = "TENANT",
            description = "Only this tenant's statement (and the index, but for --customer-copy).")
    String tenant;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where the pages go. Default: statements, or customer-statements with --customer-copy.")
    Path out;

    @Option(names = "--customer-copy",
            description = "Write each tenant's page as the tenant receives it: its charge lines and total, its usage "
                    + "day by day and the evidence, without what you pay Veeam (points, cost), your margin, the "
                    + "reconciliation with Veeam's report, the alerts or the index. A tenant whose month has an "
                    + "unpriced line gets no page (exit 1, naming it): price the line first.")
    boolean customerCopy;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    private YearMonth thisMonth;

    @Override
    public Integer call() throws Exception {
        final PipelineConfig config = options.load(topicPrefix.applyTo(PipelineConfig.Flags.none()));
        // the billing zone's calendar, whose months the pipeline closes, not UTC's
        thisMonth = YearMonth.now(Clock.systemUTC().withZone(config.get(ProcessorSettings.ZONE)));
        month = month(Clock.systemUTC(), config.get(ProcessorSettings.ZONE));
        // checked before anything is read or written: a broken rate card fails at start, naming its key
        final Optional<RatingConfig> card = RaterSettings.card(config);
        final Letterhead letterhead = LetterheadSettings.bind(config);
        // a mistyped --prefix read as a month not priced yet
        KafkaCheck.require(config, config.get(Settings.TOPICS_PREFIX), Topics.CHARGES, Topics.BILLING_RECORDS,
                Topics.RECONCILIATION, Topics.ALERTS);
        final PrintWriter console = spec.commandLine().getOut();
        // the billing topic holds every day of the history: a year of 1,000 tenants takes seconds to read
        final ReadingProgress billingRead = new ReadingProgress(console, "billing records read");
        final MonthData data = MonthData.read(config.kafkaProperties(), config.get(Settings.TOPICS_PREFIX), month,
                billingRead);
        billingRead.finish();
        final long tenants = data.charges().stream().filter(line -> tenant == null || line.tenantId().equals(tenant))
                .map(line -> line.tenantId()).distinct().count();
        if (customerCopy) {
            return customerCopies(console, data, tenants, letterhead);
        }
        final IndexPage.Index index = Statements.write(dir(), data, Optional.ofNullable(tenant), letterhead);
        if (tenants == 0) {
            console.printf("%s (%s lists none)%n", noChargeLine(data, month, tenant, thisMonth),
                    index.file().toAbsolutePath());
            return ExitCodes.FAILED;
        }
        summary(tenants, month, index).forEach(console::println);
        if (tenant == null) {
            // the rater prices each tenant's month on its own and never sees them all: the month's report does
            card.flatMap(rating -> namedWithoutLines("the rate card", rating.namedTenants(), data.charges(), month,
                    "a name mistyped there leaves its tenant on the \"*\" card")).ifPresent(console::println);
        }
        customersWithoutLines(letterhead, data).forEach(console::println);
        return ExitCodes.OK;
    }

    /**
     * The tenants {@code statements.customers} names that have no charge line in the month, and those charged in it
     * that it does not name, for every tenant's run; nothing without the block.
     */
    private List<String> customersWithoutLines(final Letterhead letterhead, final MonthData data) {
        if (tenant != null || letterhead.customers().isEmpty()) {
            return List.of();
        }
        final List<String> lines = new ArrayList<>();
        namedWithoutLines("statements.customers", letterhead.customers().keySet(), data.charges(), month,
                "a tenant id mistyped there leaves its page headed by the bare id").ifPresent(lines::add);
        chargedWithoutName(letterhead.customers().keySet(), data.charges(), month).ifPresent(lines::add);
        return lines;
    }

    /**
     * A console line naming the tenants charged in the month that {@code statements.customers} does not name: a
     * customer added since, or one whose VSPC company was renamed, which bills it under the slug of its new name as a
     * tenant of its own; empty when there is none.
     */
    static Optional<String> chargedWithoutName(final Set<String> named, final List<ChargeLine> lines,
                                               final YearMonth month) {
        final List<String> unnamed = lines.stream().map(ChargeLine::tenantId).distinct()
                .filter(billed -> !named.contains(billed)).sorted().toList();
        return unnamed.isEmpty() ? Optional.empty() : Optional.of("  charged in " + month + ", not named in "
                + "statements.customers: " + Progress.some(unnamed, NAMES_SHOWN) + " (their pages are headed by the "
                + "bare id; a VSPC company renamed is billed under its new name's slug until companies: maps that "
                + "name)");
    }

    /**
     * A console line naming the tenants a part of the config names that have no charge line in the month (a customer
     * that left, or a name mistyped there, which matches no tenant); empty when there is none.
     *
     * @param where what names them, "the rate card"
     * @param why   what a mistyped name there does
     */
    static Optional<String> namedWithoutLines(final String where, final Set<String> named,
                                              final List<ChargeLine> lines, final YearMonth month, final String why) {
        final Set<String> billed = lines.stream().map(ChargeLine::tenantId).collect(Collectors.toSet());
        final List<String> unbilled = named.stream().filter(name -> !billed.contains(name)).sorted().toList();
        return unbilled.isEmpty() ? Optional.empty() : Optional.of("  named in " + where + ", with no charge line in "
                + month + ": " + String.join(", ", unbilled) + " (" + why + ")");
    }

    /**
     * The month asked for, or the one before this one in the billing zone ({@code processor.zone}), whose months the
     * pipeline closes: on the morning of the 1st in Auckland, UTC is still on the last day of the month before, and
     * the month before that is not the one to invoice.
     */
    YearMonth month(final Clock clock, final ZoneId zone) {
        return month != null ? month : YearMonth.now(clock.withZone(zone)).minusMonths(1);
    }

    /**
     * What was written, and what the index flags, so that a billing person sees from the console whether the month
     * needs a look before it is invoiced.
     */
    static List<String> summary(final long tenants, final YearMonth month, final IndexPage.Index index) {
        final List<String> lines = new ArrayList<>();
        final String total = index.total() == null ? "" : ", " + index.total() + " in all";
        lines.add(tenants + (tenants == 1 ? " statement" : " statements") + " for " + month + total + "; open "
                + index.file().toAbsolutePath());
        if (!index.unpriced().isEmpty()) {
            lines.add("  unpriced lines, at 0 until a card line prices them: " + String.join(", ", index.unpriced()));
        }
        if (index.reportLinesToCheck() > 0) {
            lines.add("  Veeam's license report: " + index.reportLinesToCheck() + " line"
                    + (index.reportLinesToCheck() == 1 ? "" : "s") + " to check (the index lists them)");
        }
        if (!index.partlyKnown().isEmpty()) {
            lines.add("  known for part of the month only: " + String.join(", ", index.partlyKnown()));
        }
        if (!index.notBilled().isEmpty()) {
            lines.add("  billed in " + month.minusMonths(1) + ", with no charge line in " + month + ": "
                    + String.join(", ", index.notBilled()));
        }
        return lines;
    }

    static String copiesWritten(final int copies, final YearMonth month, final Path dir) {
        return copies + (copies == 1 ? " customer copy" : " customer copies") + " for " + month + " in "
                + dir.toAbsolutePath();
    }

    private int customerCopies(final PrintWriter console, final MonthData data, final long tenants,
                               final Letterhead letterhead) throws IOException {
        if (tenants == 0) {
            console.printf("%s%n", noChargeLine(data, month, tenant, thisMonth));
            return ExitCodes.FAILED;
        }
        final Statements.CustomerCopies copies = Statements.writeCustomerCopies(dir(), data,
                Optional.ofNullable(tenant), letterhead);
        console.printf("%s%n", copiesWritten(copies.written().size(), month, dir()));
        customersWithoutLines(letterhead, data).forEach(console::println);
        if (!copies.withheld().isEmpty()) {
            console.printf("NOT WRITTEN, each with an unpriced line: %s (price those lines in the rate card; once "
                    + "the rater has restated the month, run this again)%n", String.join(", ", copies.withheld()));
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    /**
     * Why there is nothing to write: the month holds no usage at all (a month before the history began, or a mistyped
     * one), it is not priced yet, or it is, but not for the tenant asked.
     *
     * @param thisMonth the month now in the billing zone: one before it has closed there, even where UTC's has not
     */
    static String noChargeLine(final MonthData data, final YearMonth month, final String tenant,
                               final YearMonth thisMonth) {
        final List<String> priced = data.charges().stream().map(ChargeLine::tenantId).distinct().sorted().toList();
        if (tenant != null && !priced.isEmpty()) { // a mistyped tenant id is not a month still open
            return "no charge line for " + month + " of " + tenant + ", a month priced for " + priced.size()
                    + " other tenant" + (priced.size() == 1 ? "" : "s") + " (" + String.join(", ",
                    priced.subList(0, Math.min(priced.size(), 5))) + (priced.size() > 5 ? ", ..." : "")
                    + "): is the tenant id right?";
        }
        if (data.records().isEmpty() && month.isBefore(thisMonth)) {
            return "no charge line for " + month + ", nor a billing record of any day of it: no usage of the month "
                    + "was collected; is --month right?";
        }
        return "no charge line for " + month + (tenant == null ? "" : " of " + tenant)
                + " yet: the month has not closed, or the rater has not priced it";
    }

    private Path dir() {
        return out != null ? out : Path.of(customerCopy ? "customer-statements" : "statements");
    }
}
