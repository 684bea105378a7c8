package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.bench.BenchDataset;
import io.usagepipeline.collector.RawPublisher;
import io.usagepipeline.embedded.EmbeddedKafkaBroker;
import io.usagepipeline.events.BillingRecords;
import io.usagepipeline.events.CommittedRecords;
import io.usagepipeline.events.GroupProgress;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import io.usagepipeline.processor.ProcessorConfig;
import io.usagepipeline.processor.ProcessorMetrics;
import io.usagepipeline.processor.UsageProcessor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stopped and started again (same port, same data) while the processor is half way through a raw
 * history: the processor carries on by itself, and its billing records and observations equal those of an
 * uninterrupted run. The test owns its broker, since it restarts it.
 */
@Timeout(600) // a hung test fails here, not at CI's limit
class BrokerRestartIT {

    private static final int TENANTS = 20;
    private static final int DAYS = 5;
    private static final Duration WAIT = Duration.ofMinutes(3);

    @Test
    void shouldChangeNoFigureWhenTheBrokerRestartsMidRun(@TempDir final Path dir) throws Exception {
        final int port = CliProcess.freePort();
        final Path data = dir.resolve("kafka");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(port).dataDir(data).build().start();
        final String bootstrap = broker.bootstrapServers();
        final Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(kafka)) {
            new TopicProvisioner(admin, "restart.", 3, 0).ensureAll();
            new TopicProvisioner(admin, "reference.", 3, 0).ensureAll();
            final long polls = publish(kafka);
            final Map<TopicPartition, Long> ends = GroupProgress.endOffsets(admin,
                    List.of(Topics.RAW.name("restart.")));

            try (UsageProcessor processor = processor(kafka, "restart-victim", dir.resolve("victim"), "restart.")) {
                processor.start();
                final GroupProgress group = new GroupProgress(admin, "restart-victim");
                group.await(ends, polls * 2 / 3, WAIT, healthy(processor));
                broker.stop();
                broker = EmbeddedKafkaBroker.builder().port(port).dataDir(data).build().start();
                group.await(ends, 0, WAIT, healthy(processor));
            }
            try (UsageProcessor reference = processor(kafka, "restart-reference", dir.resolve("reference"),
                    "reference.")) {
                reference.start();
                new GroupProgress(admin, "restart-reference").await(ends, 0, WAIT, healthy(reference));
            }

            final TreeMap<String, PeriodRecord> expected = BillingRecords.latest(kafka,
                    Topics.BILLING_RECORDS.name("reference."), record -> true);
            assertThat(expected).hasSize(TENANTS * BenchDataset.SERIES_PER_TENANT * (DAYS - 1));
            assertThat(BillingRecords.latest(kafka, Topics.BILLING_RECORDS.name("restart."), record -> true))
                    .isEqualTo(expected);
            assertThat(CommittedRecords.count(kafka, Topics.OBSERVATIONS.name("restart.")))
                    .isEqualTo(polls * BenchDataset.SERIES_PER_TENANT / 2);
        } finally {
            broker.close();
        }
    }

    private static long publish(final Map<String, Object> kafka) {
        final BenchDataset dataset = new BenchDataset(TENANTS);
        final Instant first = Instant.parse("2026-09-01T00:00:00Z");
        long published = 0;
        try (RawPublisher publisher = new RawPublisher(kafka, "restart.")) {
            for (int hour = 0; hour < DAYS * 24; hour++) {
                for (int tenant = 0; tenant < TENANTS; tenant++) {
                    dataset.polls(tenant, first.plus(Duration.ofHours(hour)), Duration.ofSeconds(30))
                            .forEach(publisher::publish);
                    published += 2;
                }
            }
            publisher.flush();
        }
        return published;
    }

    private static UsageProcessor processor(final Map<String, Object> kafka, final String applicationId,
                                            final Path stateDir, final String outputPrefix) {
        return new UsageProcessor(ProcessorConfig.defaults().withTopicPrefix("restart."),
                new ProcessorMetrics(new SimpleMeterRegistry(), Clock.systemUTC()),
                UsageProcessor.streamsConfig(applicationId, kafka, stateDir), outputPrefix);
    }

    /** Between polls of the progress: the processor must not have stopped on an error. */
    private static LongConsumer healthy(final UsageProcessor processor) {
        return remaining -> assertThat(processor.isHealthy()).as("the processor is running (%s)", processor.state())
                .isTrue();
    }
}
