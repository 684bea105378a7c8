package io.usagepipeline.cli.command;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.cli.config.Settings;
import io.usagepipeline.cli.run.KafkaCheck;
import io.usagepipeline.cli.run.RunSettings;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.runtime.Runner;
import io.usagepipeline.runtime.RunnerSettings;
import io.usagepipeline.runtime.config.ConfigException;
import io.usagepipeline.sink.SinkMetrics;
import io.usagepipeline.sink.SinkService;
import io.usagepipeline.sink.SinkSettings;
import io.usagepipeline.sink.StaleOutputException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "sink", mixinStandardHelpOptions = true,
        description = {
                "Writes billing records (latest revision and every revision), charge lines, reconciliation lines, "
                        + "alerts and the current rolling totals to CSV/JSONL files and/or PostgreSQL, exactly once, "
                        + "until Ctrl-C.",
                "The database password comes from --jdbc-password-env (a variable's name) or --jdbc-password-file.",
                "The console says what it wrote (closed days and months, charge and reconciliation lines, alerts), "
                        + "a line per burst once it is quiet for 5 s, and a line a minute through a backlog.",
                "Each output records the Kafka cluster and topic ids its positions belong to, and the sink refuses to "
                        + "resume an output written from another cluster, a recreated topic or beyond a log's end "
                        + "(--reset-output rebuilds it from the topics).",
                "A database that goes away (a restart, a failover) or takes no writes for a while (read-only, "
                        + "a full disk) is waited for: the outputs are opened again every 2 s until it takes them, "
                        + "and each resumes from its own positions.",
                "Exits 1 if a write failed (it resumes exactly where it stopped when started again), the database "
                        + "has not taken writes for sink.databaseTimeout (default 5 minutes), or an output belongs "
                        + "to another Kafka history.",
                "With --http-port: /health is 503 while Kafka does not answer (health.unreachableAfter), the "
                        + "database takes no writes, or no batch finishes (health.stalledAfter); /ready is 200 once "
                        + "it writes."})
public final class SinkCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--csv-dir", paramLabel = "DIR", description = "Write files here (sink.csvDir).")
    Path csvDir;

    @Mixin
    JdbcOptions jdbc;

    @Mixin
    TopicPrefixOption topicPrefix;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The sink's name (sink.name): whose stored offsets these are; one sink of a name "
                    + "writes a database schema at a time. Default: usage-pipeline-sink.")
    String name;

    @Option(names = "--batch-size", paramLabel = "N", description = "Records per write at most (sink.batchSize).")
    Integer batchSize;

    @Option(names = "--reset-output",
            description = "Rebuild every output from the beginning of the topics: the files are moved aside to "
                    + "<csv-dir>.before-reset-<time>, the database tables are emptied. For an output written from "
                    + "another Kafka cluster or a recreated topic.")
    boolean resetOutput;

    @Mixin
    HttpPortOption httpPort;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PipelineConfig config = options.load(jdbc.applyTo(httpPort.applyTo(topicPrefix.applyTo(
                        PipelineConfig.Flags.none())))
                .set(SinkSettings.CSV_DIR, csvDir, "--csv-dir")
                .set(SinkSettings.NAME, name, "--name")
                .set(SinkSettings.BATCH_SIZE, batchSize, "--batch-size"));
        final String topicPrefix = config.get(Settings.TOPICS_PREFIX);
        final SinkSettings settings = SinkSettings.bind(config);
        final RunnerSettings run = RunnerSettings.bind(config);
        if (!settings.outputs().any()) {
            throw new ConfigException("the sink needs an output: give --csv-dir (sink.csvDir) and/or --jdbc-url "
                    + "(sink.jdbc.url)");
        }
        KafkaCheck.require(config);
        final PrometheusMeterRegistry registry = Runner.registry();
        final SinkMetrics metrics = new SinkMetrics(registry, Clock.systemUTC());
        final SinkService sink = SinkService.open(settings.config(topicPrefix, resetOutput), config.kafkaProperties(),
                settings.outputs(), metrics, settings.databaseTimeout(), RunSettings.probe(config), run.bounds(),
                Clock.systemUTC());
        try {
            return Runner.run(List.of(sink), registry, run.endpoints(), RunSettings.CLOSE_TIMEOUT);
        } catch (final StaleOutputException e) {
            spec.commandLine().getErr().println("sink: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
