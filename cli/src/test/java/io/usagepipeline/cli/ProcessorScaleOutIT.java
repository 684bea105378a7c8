package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.events.CommittedRecords;
import io.usagepipeline.events.GroupProgress;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code process} instances (child JVMs, one application id) share the raw topic's partitions; one of them is
 * killed with SIGKILL halfway, and the other takes its partitions over, state and all. Their billing records must
 * equal, field by field, those of one uninterrupted instance over the same history, and the observations must be
 * there exactly once.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(600) // a hung test fails here, not at CI's limit
class ProcessorScaleOutIT {

    private static final RawHistory HISTORY = new RawHistory(10, 4);
    private static final Duration WAIT = Duration.ofMinutes(3);

    @Test
    void shouldGiveTheFiguresOfOneInstanceWhenOneOfTwoIsKilled(final KafkaBroker kafka, @TempDir final Path dir)
            throws Exception {
        final String bootstrap = kafka.bootstrapServers();
        // the survivor takes over once the killed member's session has timed out: the broker's least, not 45 s
        final Path config = Files.writeString(dir.resolve("pipeline.yaml"), """
                kafka:
                  session.timeout.ms: 6000
                  heartbeat.interval.ms: 1000
                """);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            new TopicProvisioner(admin, "scale.", 3, 0).ensureAll();
            new TopicProvisioner(admin, "one.", 3, 0).ensureAll();
            try (CliProcess first = CliProcess.start(process(bootstrap, config, dir.resolve("state-1")));
                 CliProcess second = CliProcess.start(process(bootstrap, config, dir.resolve("state-2")))) {
                // both members hold partitions before the history arrives, so that both do part of the work
                await().atMost(WAIT).failFast("an instance exited", () -> !first.isAlive() || !second.isAlive())
                        .until(() -> membersWithPartitions(admin) == 2);
                final long polls = HISTORY.publish(bootstrap, "scale.");
                final Map<TopicPartition, Long> ends = GroupProgress.endOffsets(admin,
                        List.of(Topics.RAW.name("scale.")));
                final GroupProgress progress = new GroupProgress(admin, "scale-out");
                progress.await(ends, polls / 2, WAIT, remaining ->
                        assertThat(first.isAlive() && second.isAlive()).as("both instances running").isTrue());
                second.kill();
                // the killed member keeps its partitions until its session times out, and on a fast machine the
                // two may have read everything before the kill: wait for the takeover itself, not only the offsets
                await("the survivor holds every partition").atMost(WAIT)
                        .failFast("the survivor exited", () -> !first.isAlive())
                        .until(() -> membersWithPartitions(admin) == 1);
                progress.await(ends, 0, WAIT, remaining ->
                        assertThat(first.isAlive()).as("the survivor is running").isTrue());
            }
            RawHistory.processUninterrupted(admin, bootstrap, "scale.", "one.", dir.resolve("state-one"), WAIT);
        }

        final Map<String, Object> client = Map.of("bootstrap.servers", bootstrap);
        RawHistory.assertSameBillingRecords(bootstrap, "scale.", "one.", "the billing records");
        assertThat(CommittedRecords.count(client, Topics.OBSERVATIONS.name("scale."))).as("observations exactly once")
                .isEqualTo(HISTORY.observations());
    }

    private static String[] process(final String bootstrap, final Path config, final Path stateDir) {
        return new String[] {"process", "--config", config.toString(), "--bootstrap-servers", bootstrap, "--prefix",
                "scale.", "--application-id", "scale-out", "--state-dir", stateDir.toString()};
    }

    /** The members of the processors' group that hold at least one raw partition (none before it exists). */
    private static long membersWithPartitions(final Admin admin) throws Exception {
        final ConsumerGroupDescription group;
        try {
            group = admin.describeConsumerGroups(List.of("scale-out")).all().get().get("scale-out");
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            throw e;
        }
        return group.members().stream().map(MemberDescription::assignment)
                .filter(assignment -> assignment.topicPartitions().stream()
                        .anyMatch(partition -> partition.topic().equals(Topics.RAW.name("scale."))))
                .count();
    }
}
