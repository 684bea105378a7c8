package io.usagepipeline.cli.command;

import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.cli.config.Settings;
import io.usagepipeline.cli.run.KafkaCheck;
import io.usagepipeline.report.MonthData;
import io.usagepipeline.report.Statements;
import io.usagepipeline.runtime.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {
                "Writes the statements of a month from the committed topics: index.html (every tenant's total, cost "
                        + "and margin, with a chart) and one page per tenant (its charge lines and total, a "
                        + "day-by-day chart per license type, the evidence of each line, the month's alerts).",
                "Each page is self-contained (inline CSS and SVG, no script, nothing fetched), opens offline in any "
                        + "browser and prints cleanly. Exits 1 when the month has no charge line (for --tenant: none "
                        + "of that tenant)."})
public final class ReportCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Mixin
    TopicPrefixOption topicPrefix;

    @Option(names = "--month", paramLabel = "MONTH", required = true, converter = MonthConverter.class,
            description = "The month, e.g. 2026-11.")
    YearMonth month;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant's statement (and the index).")
    String tenant;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "statements",
            description = "Where the pages go. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PipelineConfig config = options.load(topicPrefix.applyTo(PipelineConfig.Flags.none()));
        KafkaCheck.require(config);
        final PrintWriter console = spec.commandLine().getOut();
        final MonthData data = MonthData.read(config.kafkaProperties(), config.get(Settings.TOPICS_PREFIX), month);
        final long tenants = data.charges().stream().filter(line -> tenant == null || line.tenantId().equals(tenant))
                .map(line -> line.tenantId()).distinct().count();
        final Path index = Statements.write(out, data, Optional.ofNullable(tenant));
        if (tenants == 0) {
            console.printf("no charge line for %s%s yet: the month has not closed, or the rater has not priced it; "
                    + "%s says so%n", month, tenant == null ? "" : " of " + tenant, index.toAbsolutePath());
            return ExitCodes.FAILED;
        }
        console.printf("%d statements for %s; open %s%n", tenants, month, index.toAbsolutePath());
        return ExitCodes.OK;
    }
}
