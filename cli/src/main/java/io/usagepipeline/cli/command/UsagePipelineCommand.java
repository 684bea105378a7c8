package io.usagepipeline.cli.command;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.apache.kafka.common.utils.AppInfoParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "usage-pipeline",
        mixinStandardHelpOptions = true,
        versionProvider = UsagePipelineCommand.Version.class,
        description = {
                "Turns Veeam license-usage snapshots into an exactly-once billing feed on Kafka.",
                "",
                "Configuration comes from a YAML file (--config), then USAGE_PIPELINE_* and KAFKA_* environment "
                        + "variables (KAFKA_SASL_MECHANISM -> sasl.mechanism), then flags; later ones win."},
        subcommands = {BrokerCommand.class, TopicsCommand.class, ProcessCommand.class, RateCommand.class, SinkCommand.class, ReportCommand.class,
                SimulateCommand.class, CollectCommand.class, DemoCommand.class, ReplayCommand.class,
                BenchCommand.class, RawCommand.class},
        footer = {"", "Run 'usage-pipeline COMMAND --help' for the options of a command."})
public final class UsagePipelineCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        // No command given: show what there is.
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reports the version this jar was built as. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            final Properties properties = new Properties();
            try (InputStream in = UsagePipelineCommand.class.getResourceAsStream("/usage-pipeline.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {
                    "usage-pipeline " + properties.getProperty("version", "unknown"),
                    "Kafka clients " + AppInfoParser.getVersion()
                            + ", Java " + System.getProperty("java.version")};
        }
    }
}
