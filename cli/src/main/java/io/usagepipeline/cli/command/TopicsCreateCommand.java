package io.usagepipeline.cli.command;

import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.cli.config.Settings;
import io.usagepipeline.cli.run.KafkaCheck;
import io.usagepipeline.events.TopicProvisioner.Outcome;
import io.usagepipeline.events.TopicProvisioner.Status;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.runtime.ExitCodes;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "create", mixinStandardHelpOptions = true,
        description = {
                "Creates every topic of the contract with its configs (the README's 'Topic contract'). Idempotent: "
                        + "topics that exist are reported, never changed.",
                "Exits 1 when an existing topic's configs differ from the contract, 2 on bad configuration."})
public final class TopicsCreateCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Mixin
    TopicPrefixOption topicPrefix;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of each new topic (topics.partitions). Default: 6.")
    Integer partitions;

    @Option(names = "--replication-factor", paramLabel = "N",
            description = "Replication factor of each new topic (topics.replicationFactor). "
                    + "Default: the broker's default.replication.factor.")
    Integer replicationFactor;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws ExecutionException, InterruptedException {
        final PipelineConfig config = options.load(topicPrefix.applyTo(PipelineConfig.Flags.none())
                .set(Settings.TOPICS_PARTITIONS, partitions, "--partitions")
                .set(Settings.TOPICS_REPLICATION_FACTOR, replicationFactor, "--replication-factor"));
        final int requestedPartitions = config.get(Settings.TOPICS_PARTITIONS);
        KafkaCheck.require(config);

        final Map<String, Object> adminConfig = new HashMap<>(config.kafkaProperties());
        // Fail within half a minute, not the client's default minute, when Kafka is not there.
        adminConfig.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        final List<Outcome> outcomes;
        try (Admin admin = Admin.create(adminConfig)) {
            outcomes = new TopicProvisioner(admin, config.get(Settings.TOPICS_PREFIX), requestedPartitions,
                    config.get(Settings.TOPICS_REPLICATION_FACTOR)).ensureAll();
        }
        return report(config.bootstrapServers(), requestedPartitions, outcomes);
    }

    private int report(final String bootstrap, final int requestedPartitions, final List<Outcome> outcomes) {
        final PrintWriter out = spec.commandLine().getOut();
        out.printf("Topics on %s:%n", bootstrap);
        for (final Outcome outcome : outcomes) {
            final String partitionNote = outcome.status() != Status.CREATED
                    && outcome.partitions() != requestedPartitions
                    ? " (kept; " + requestedPartitions + " requested)" : "";
            final String detail = switch (outcome.status()) {
                case CREATED -> "created with the contract's configs";
                case EXISTS -> "already there, configs as in the contract";
                case DIFFERS -> "already there, DIFFERS from the contract: " + String.join(", ", outcome.differences());
            };
            out.printf("  %-8s %-32s %3d partitions%s  %s%n", outcome.status().name().toLowerCase(Locale.ROOT),
                    outcome.topic(), outcome.partitions(), partitionNote, detail);
        }
        final long created = count(outcomes, Status.CREATED);
        final long differing = count(outcomes, Status.DIFFERS);
        out.printf("%d topics: %d created, %d already present%s.%n", outcomes.size(), created,
                outcomes.size() - created, created == 0 ? "; nothing changed" : "");
        if (differing > 0) {
            out.printf("%d existing topic(s) differ from the contract and were left as they are; align them with "
                    + "kafka-configs.sh --alter before running the pipeline.%n", differing);
            return ExitCodes.FAILED;
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static long count(final List<Outcome> outcomes, final Status status) {
        return outcomes.stream().filter(outcome -> outcome.status() == status).count();
    }
}
