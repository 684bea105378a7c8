package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.runtime.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

@ExtendWith(KafkaBrokerExtension.class)
@Timeout(600) // a hung test fails here, not at CI's limit
class TopicsCreateIT {

    private final StringWriter out = new StringWriter();

    @Test
    void shouldCreateTheContractTopicsOnceAndChangeNothingTheSecondTime(final KafkaBroker kafka) throws Exception {
        final int first = run(kafka, "--prefix", "first.");
        final String firstOutput = out.toString();
        out.getBuffer().setLength(0);
        final int second = run(kafka, "--prefix", "first.");

        assertThat(first).isZero();
        assertThat(firstOutput).contains("9 topics: 9 created, 0 already present.");
        assertThat(second).isZero();
        assertThat(out.toString()).contains("9 topics: 0 created, 9 already present; nothing changed.")
                .doesNotContain("created with");

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            final List<String> names = List.of("first.usage.raw.v1", "first.usage.observations.v1",
                    "first.usage.totals.v1", "first.billing.records.v1", "first.usage.dlq.v1");
            final Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
            assertThat(topics.values()).allSatisfy(topic -> assertThat(topic.partitions()).hasSize(6));

            assertThat(config(admin, "first.usage.raw.v1")).containsEntry("retention.ms", "-1")
                    .containsEntry("compression.type", "zstd").containsEntry("max.message.bytes", "16777216")
                    .containsEntry("cleanup.policy", "delete");
            assertThat(config(admin, "first.usage.observations.v1"))
                    .containsEntry("retention.ms", String.valueOf(400L * 24 * 3600 * 1000));
            assertThat(config(admin, "first.usage.totals.v1")).containsEntry("cleanup.policy", "compact");
            assertThat(config(admin, "first.billing.records.v1")).containsEntry("cleanup.policy", "compact");
            assertThat(config(admin, "first.usage.dlq.v1")).containsEntry("cleanup.policy", "delete");
        }
    }

    @Test
    void shouldReportButNotChangeATopicThatDiffersFromTheContract(final KafkaBroker kafka) throws Exception {
        assertThat(run(kafka, "--prefix", "drift.", "--partitions", "2")).isZero();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            final ConfigResource totals = new ConfigResource(ConfigResource.Type.TOPIC, "drift.usage.totals.v1");
            admin.incrementalAlterConfigs(Map.of(totals, List.of(new AlterConfigOp(
                    new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.SET)))).all().get();
            // the controller has the change when the call returns; the broker, which answers the command's
            // describeConfigs, learns it from the metadata log a moment later
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(config(admin,
                    "drift.usage.totals.v1")).containsEntry("cleanup.policy", "delete"));
        }
        out.getBuffer().setLength(0);

        final int exitCode = run(kafka, "--prefix", "drift.");

        assertThat(exitCode).isEqualTo(ExitCodes.FAILED);
        assertThat(out.toString())
                .contains("drift.usage.totals.v1", "DIFFERS from the contract: cleanup.policy=delete (contract: compact)")
                .contains("2 partitions (kept; 6 requested)")
                .contains("1 existing topic(s) differ from the contract");
    }

    private int run(final KafkaBroker kafka, final String... args) {
        final CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        final String[] all = new String[args.length + 4];
        all[0] = "topics";
        all[1] = "create";
        all[2] = "--bootstrap-servers";
        all[3] = kafka.bootstrapServers();
        System.arraycopy(args, 0, all, 4, args.length);
        return commandLine.execute(all);
    }

    private static Map<String, String> config(final Admin admin, final String topic) throws Exception {
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource).entries().stream()
                .collect(Collectors.toMap(ConfigEntry::name, entry -> entry.value() == null ? "" : entry.value()));
    }
}
