package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.cli.run.CollectorConfigPrinter;
import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.events.PollStatus;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import io.usagepipeline.simulator.SimulatorOptions;
import io.usagepipeline.simulator.SimulatorServer;
import io.usagepipeline.simulator.VirtualClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code usage-pipeline collect --once} with the config {@code simulate --print-config} prints, unedited: every
 * target polled COMPLETE and published, and a second collector of the same slot publishes the same pollIds.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(600) // a hung test fails here, not at CI's limit
class CollectCommandIT {

    @Test
    void shouldPublishEveryTargetOnceWithTheSamePollIdsForTheSameSlot(final KafkaBroker kafka,
                                                                      @TempDir final Path dir) throws Exception {
        final String prefix = "collect.";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
             SimulatorServer simulator = SimulatorServer.start(SimulatorOptions.defaults(6, 2,
                     new VirtualClock(Instant.now(), 1, Clock.systemUTC())))) {
            new TopicProvisioner(admin, prefix, 3, 0).ensureAll();
            // the printed config, with a daily slot so that both runs fall in the same one
            final Path config = Files.writeString(dir.resolve("collector.yaml"), CollectorConfigPrinter
                    .print(simulator, kafka.bootstrapServers(), dir.resolve("secrets"))
                    .replace("pollInterval: PT15M", "pollInterval: PT24H"));

            assertThat(collectOnce(config, prefix)).isZero();
            assertThat(collectOnce(config, prefix)).isZero();

            final List<RawPoll> polls = readRaw(kafka, prefix);
            // 6 tenants: 2 AWS, 2 Azure, VAC with 3 tenants x 2 endpoints, VSPC with its servers, its usage per
            // organization and the reports of the last two months: 14 targets
            assertThat(polls).hasSize(2 * 14).allSatisfy(poll -> assertThat(poll.status())
                    .isEqualTo(PollStatus.COMPLETE));
            final Map<String, List<String>> idsByTarget = polls.stream().collect(Collectors.groupingBy(
                    RawPoll::pollTarget, Collectors.mapping(poll -> poll.pollId().toString(), Collectors.toList())));
            assertThat(idsByTarget).hasSize(14).allSatisfy((target, ids) ->
                    assertThat(ids).hasSize(2).containsOnly(ids.get(0)));
        }
    }

    private static int collectOnce(final Path config, final String prefix) {
        final StringWriter err = new StringWriter();
        final var commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        final int code = commandLine.execute("collect", "--config", config.toString(), "--prefix", prefix, "--once");
        assertThat(err.toString()).isEmpty();
        return code;
    }

    private static List<RawPoll> readRaw(final KafkaBroker kafka, final String prefix) {
        final List<RawPoll> polls = new ArrayList<>();
        try (KafkaConsumer<String, RawPoll> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "collect-it", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                Topics.RAW.keySerde().deserializer(), Topics.RAW.valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.RAW.name(prefix)));
            final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (polls.size() < 2 * 14 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> polls.add(record.value()));
            }
        }
        return polls;
    }
}
