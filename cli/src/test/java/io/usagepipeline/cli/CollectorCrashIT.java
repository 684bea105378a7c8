package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.cli.run.CollectorConfigPrinter;
import io.usagepipeline.collector.Collector;
import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.events.CommittedRecords;
import io.usagepipeline.events.GroupProgress;
import io.usagepipeline.events.Observation;
import io.usagepipeline.events.PollStatus;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import io.usagepipeline.processor.ProcessorConfig;
import io.usagepipeline.processor.ProcessorMetrics;
import io.usagepipeline.processor.UsageProcessor;
import io.usagepipeline.simulator.Faults;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code collect --once} in a child JVM, killed with SIGKILL in the middle of its slot (the VAC and VSPC answers are
 * slowed down so that some polls are out and others are not): every COMPLETE poll it published is whole, the re-run
 * of the slot publishes the same pollIds, and the processor counts each poll once.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(600) // a hung test fails here, not at CI's limit
class CollectorCrashIT {

    private static final String PREFIX = "collector-crash.";
    private static final Duration SLOT = Duration.ofDays(1);

    @Test
    void shouldLeaveOnlyWholePollsAndDeduplicateTheRepoll(final KafkaBroker kafka, @TempDir final Path dir)
            throws Exception {
        final String bootstrap = kafka.bootstrapServers();
        final Instant slot = Collector.slotStart(Instant.now(), SLOT);
        // the simulated appliances' clock stands still: both runs read the same usage
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
             SimulatorServer simulator = SimulatorServer.start(SimulatorOptions.defaults(6, 3,
                     new VirtualClock(Instant.now(), 1e-9, Clock.systemUTC())))) {
            new TopicProvisioner(admin, PREFIX, 3, 0).ensureAll();
            final Path config = Files.writeString(dir.resolve("collector.yaml"), CollectorConfigPrinter
                    .print(simulator, bootstrap, dir.resolve("secrets")).replace("pollInterval: PT15M",
                            "pollInterval: PT24H"));
            simulator.faults().add(new Faults.Rule("vac", Faults.Kind.LATENCY, null, 1.0, 4_000L, null));
            simulator.faults().add(new Faults.Rule("vspc", Faults.Kind.LATENCY, null, 1.0, 4_000L, null));

            try (CliProcess collector = CliProcess.start("collect", "--config", config.toString(), "--prefix", PREFIX,
                    "--once")) {
                awaitRawRecords(admin, collector);
                collector.kill();
            }
            final Instant killedAt = Instant.now();
            final List<RawPoll> killed = read(bootstrap, Topics.RAW.name(PREFIX), Topics.RAW.valueSerde()
                    .deserializer());
            simulator.faults().clear();
            assertThat(collectOnce(config)).isZero();
            assumeThat(Collector.slotStart(Instant.now(), SLOT)).as("both runs polled the same daily slot")
                    .isEqualTo(slot);

            final List<RawPoll> all = read(bootstrap, Topics.RAW.name(PREFIX), Topics.RAW.valueSerde()
                    .deserializer());
            final List<RawPoll> repoll = all.stream().filter(poll -> poll.polledAt().isAfter(killedAt)).toList();
            assertThat(all).hasSize(killed.size() + repoll.size());
            // 6 tenants: 2 AWS, 2 Azure, VAC with 3 tenants x 2 endpoints, VSPC with its servers, its usage per
            // organization and the reports of the last two months: 14 targets
            assertThat(repoll).hasSize(14).allSatisfy(poll -> assertThat(poll.status())
                    .isEqualTo(PollStatus.COMPLETE));
            assertThat(killed).as("killed mid-slot: some polls out, not all").isNotEmpty().hasSizeLessThan(14);
            final Map<String, RawPoll> byTarget = repoll.stream().collect(Collectors.toMap(RawPoll::pollTarget,
                    Function.identity()));
            for (final RawPoll poll : killed) {
                final RawPoll again = byTarget.get(poll.pollTarget());
                assertThat(poll.pollId()).isEqualTo(again.pollId());
                if (poll.status() == PollStatus.COMPLETE) {
                    assertThat(poll.pages()).as("a COMPLETE poll of the killed run is whole").isEqualTo(again.pages());
                    assertThat(poll.itemCount()).isEqualTo(again.itemCount());
                }
            }

            final List<Observation> observations = process(admin, bootstrap, dir.resolve("state"));
            final Set<String> seen = new HashSet<>();
            for (final Observation observation : observations) {
                assertThat(seen.add(observation.seriesKey() + "|" + observation.pollId()))
                        .as("one observation per series and poll: %s", observation).isTrue();
            }
            // (a poll whose answer holds no usage, such as a VAC tenant without cloud connect, has no observation)
            assertThat(observations.stream().map(Observation::pollId).collect(Collectors.toSet()))
                    .isNotEmpty()
                    .isSubsetOf(repoll.stream().map(RawPoll::pollId).collect(Collectors.toSet()));
        }
    }

    private static void awaitRawRecords(final Admin admin, final CliProcess collector) {
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20))
                .failFast("the collector exited", () -> !collector.isAlive())
                .until(() -> GroupProgress.endOffsets(admin, List.of(Topics.RAW.name(PREFIX))).values().stream()
                        .mapToLong(Long::longValue).sum() > 0);
    }

    private static int collectOnce(final Path config) {
        final var commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(new StringWriter(), true));
        return commandLine.execute("collect", "--config", config.toString(), "--prefix", PREFIX, "--once");
    }

    /** Runs the processor over the raw topic and returns the observations it published. */
    private static List<Observation> process(final Admin admin, final String bootstrap, final Path stateDir)
            throws Exception {
        final Map<TopicPartition, Long> ends = GroupProgress.endOffsets(admin, List.of(Topics.RAW.name(PREFIX)));
        try (UsageProcessor processor = new UsageProcessor(ProcessorConfig.defaults().withTopicPrefix(PREFIX),
                new ProcessorMetrics(new SimpleMeterRegistry(), Clock.systemUTC()),
                UsageProcessor.streamsConfig("collector-crash", Map.of("bootstrap.servers", bootstrap), stateDir))) {
            processor.start();
            new GroupProgress(admin, "collector-crash").await(ends, 0, Duration.ofMinutes(2), remaining -> { });
        }
        return read(bootstrap, Topics.OBSERVATIONS.name(PREFIX), Topics.OBSERVATIONS.valueSerde().deserializer());
    }

    private static <T> List<T> read(final String bootstrap, final String topic, final Deserializer<T> values) {
        return CommittedRecords.values(Map.of("bootstrap.servers", bootstrap), topic, values);
    }
}
