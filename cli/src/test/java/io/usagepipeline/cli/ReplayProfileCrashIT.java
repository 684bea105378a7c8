package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.events.GroupProgress;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code process --profile REPLAY}: a service that keeps changelogs but holds its values between commits ten seconds
 * apart. Three times it commits one stretch of the raw history ({@link RawHistory}), reads the next, late and
 * duplicate polls among them, and is killed with SIGKILL before it commits that: what it held is lost with its open
 * transaction, and the next start must go on from its changelogs and its last commit. Its billing records must equal,
 * field by field, those of an uninterrupted run over the same history.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(600) // a hung test fails here, not at CI's limit
class ReplayProfileCrashIT {

    private static final RawHistory HISTORY = new RawHistory(20, 5);
    /** The hours each run commits before it reads the next stretch and is killed: the last is read to the end. */
    private static final int[] STRETCHES = {0, 30, 60, 90, HISTORY.days() * 24};
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final Duration REJOIN = Duration.ofSeconds(30);

    @Test
    void shouldGiveTheUninterruptedFiguresWhenKilledHoldingUncommittedValues(final KafkaBroker kafka,
                                                                              @TempDir final Path dir)
            throws Exception {
        final String bootstrap = kafka.bootstrapServers();
        final long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("ReplayProfileCrashIT seed " + seed + " (rerun with -Dseed=" + seed + ")");
        final Random random = new Random(seed);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            new TopicProvisioner(admin, "held.", 3, 0).ensureAll();
            new TopicProvisioner(admin, "held-reference.", 3, 0).ensureAll();
            final GroupProgress victim = new GroupProgress(admin, "held-victim");
            final String[] process = {"process", "--profile", "REPLAY", "--bootstrap-servers", bootstrap,
                    "--prefix", "held.", "--application-id", "held-victim", "--instance-id", "held-victim-1",
                    "--state-dir", dir.resolve("state").toString()};
            HISTORY.publish(bootstrap, "held.", STRETCHES[0], STRETCHES[1]);
            for (int stretch = 1; stretch < STRETCHES.length - 1; stretch++) {
                try (CliProcess processor = CliProcess.start(process)) {
                    processor.awaitOutput("REBALANCING -> RUNNING", REJOIN);
                    // everything published so far committed: the next commit is up to ten seconds away
                    victim.await(rawEnds(admin), 0, WAIT, running(processor));
                    HISTORY.publish(bootstrap, "held.", STRETCHES[stretch], STRETCHES[stretch + 1]);
                    // a moment later it holds some of that stretch, uncommitted
                    Thread.sleep(300 + random.nextInt(1200));
                    assertThat(victim.remaining(rawEnds(admin))).as("the stretch is not committed yet").isPositive();
                    processor.kill();
                }
            }
            try (CliProcess processor = CliProcess.start(process)) {
                processor.awaitOutput("REBALANCING -> RUNNING", REJOIN);
                victim.await(rawEnds(admin), 0, WAIT, running(processor));
                processor.kill(); // everything is committed: how this last run ends changes nothing
            }
            RawHistory.processUninterrupted(admin, bootstrap, "held.", "held-reference.",
                    dir.resolve("reference-state"), WAIT);
        }

        RawHistory.assertSameBillingRecords(bootstrap, "held.", "held-reference.", "seed " + seed);
    }

    private static Map<TopicPartition, Long> rawEnds(final Admin admin) throws Exception {
        return GroupProgress.endOffsets(admin, List.of(Topics.RAW.name("held.")));
    }

    /** Between polls of the progress: the processor must still be there. */
    private static LongConsumer running(final CliProcess processor) {
        return remaining -> assertThat(processor.isAlive()).as("the processor is running").isTrue();
    }
}
