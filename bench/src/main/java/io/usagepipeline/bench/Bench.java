package io.usagepipeline.bench;

import io.usagepipeline.collector.RawPublisher;
import io.usagepipeline.embedded.EmbeddedKafkaBroker;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import io.usagepipeline.processor.ProcessorConfig;
import io.usagepipeline.processor.Profile;
import io.usagepipeline.processor.Replay;
import io.usagepipeline.processor.Run;
import io.usagepipeline.processor.UsageProcessor;
import io.usagepipeline.runtime.Directories;
import io.usagepipeline.runtime.Progress;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Measures the pipeline against the raw Kafka limit, all in one run against one embedded broker, so that the figures
 * can be compared as ratios on a noisy machine: a dataset of raw polls is published, run once through the copy loop
 * and each profile of the processor to warm the JIT (not measured), processed under the live profile, written again
 * as the I/O the live processor cannot avoid (twice, the first unmeasured), then in {@link #ROUNDS} rounds copied by
 * a bare exactly-once loop (the baseline) and at once processed as {@code replay} does (the replay profile, no
 * changelogs, stores in the heap) with one stream thread, and processed so once more with the profile's own threads
 * (one per core); then the latency of the live feed and the collector against bare HTTP are measured.
 */
public final class Bench {

    private static final int PARTITIONS = 6;
    /**
     * How many times the baseline and the one-thread replay run, one right after the other; the replay goal's ratio is
     * the median round's. Both share the cores and the JIT with every stage around them. Measured once each, a minute
     * apart, the copy loop ran right after the warm-up, while the JIT was still compiling, at 74,000 to 98,000
     * records/s; in rounds after the other stages it read 74,000 to 124,000, faster in each round as the JIT compiled
     * less. And now and then a replay stage grows the process's memory (a quarter of a million page faults) and runs
     * at half its rate. The median of three leaves out a round of either kind.
     */
    public static final int ROUNDS = 3;
    /** The I/O baseline loop's transactional and client id, which its waits at commits are read by. */
    private static final String IO_LOOP = "bench-eos-io";
    /** What a measured processor stage is called on the console; the warm-up's say they are the warm-up's. */
    private static final String MEASURED = "processor over the same raw polls";
    /** Longer than this without reading a poll is a stuck processor. */
    private static final Duration STALL = Duration.ofMinutes(5);
    /** How long the broker may take to hold the partitions of topics just created. */
    private static final Duration TOPICS_READY = Duration.ofMinutes(1);
    /** How often to ask whether they do: the wait is outside every measured stage. */
    private static final Duration LOOK_AGAIN = Duration.ofMillis(20);

    private final Options options;

    /**
     * What to measure.
     *
     * @param tenants          tenants of the processor's dataset (two raw polls each per hour)
     * @param days             days of hourly history in the dataset
     * @param collectorTenants VAC tenants the collector polls in its slot
     * @param latencySeconds   how long the real-time latency stage publishes
     * @param latencyRate      raw polls per second in the latency stage (a tenant's two polls go out together)
     */
    public record Options(int tenants, int days, int collectorTenants, int latencySeconds, int latencyRate) {
        public Options {
            requireAtLeast("--tenants", tenants, 1);
            requireAtLeast("--days", days, 1);
            requireAtLeast("--collector-tenants", collectorTenants, 1);
            requireAtLeast("--latency-seconds", latencySeconds, 1);
            requireAtLeast("--latency-rate", latencyRate, 2);
        }

        private static void requireAtLeast(final String option, final int value, final int least) {
            if (value < least) {
                throw new IllegalArgumentException(option + " must be at least " + least + ", not " + value);
            }
        }
    }

    public Bench(final Options options) {
        this.options = options;
    }

    /** Runs every stage, with progress on {@code out}; the figures, to print or write as JSON. */
    public BenchReport run(final PrintWriter out) throws Exception {
        final BenchDataset dataset = new BenchDataset(options.tenants());
        final Path work = Files.createTempDirectory("usage-pipeline-bench-");
        final HeapPeaks heap = new HeapPeaks();
        final StageCosts costs = new StageCosts();
        out.printf("usage-pipeline bench: %d tenants x %d days of hourly polls; %d cores, %s%n", options.tenants(),
                options.days(), Runtime.getRuntime().availableProcessors(), BenchReport.describeHeap());
        try {
            return run(out, dataset, work, heap, costs);
        } finally {
            Directories.deleteRecursively(work); // the broker's data and the processors' state
        }
    }

    /** @param costs what each throughput stage used besides its time */
    private BenchReport run(final PrintWriter out, final BenchDataset dataset, final Path work,
                            final HeapPeaks heap, final StageCosts costs) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(work.resolve("kafka")).build().start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            final String bootstrap = broker.bootstrapServers();
            new TopicProvisioner(admin, "bench.", PARTITIONS, 0).ensureAll();
            new TopicProvisioner(admin, "bench-warm.", PARTITIONS, 0).ensureAll();
            new TopicProvisioner(admin, "bench-warm-live.", PARTITIONS, 0).ensureAll();
            new TopicProvisioner(admin, "bench-out.", PARTITIONS, 0).ensureAll();
            new TopicProvisioner(admin, "bench-replay.", PARTITIONS, 0).ensureAll();
            new TopicProvisioner(admin, "bench-replay2.", PARTITIONS, 0).ensureAll();
            new TopicProvisioner(admin, "bench-live.", PARTITIONS, 0).ensureAll();
            new TopicProvisioner(admin, "bench-collector.", PARTITIONS, 0).ensureAll();
            admin.createTopics(List.of(new NewTopic("bench-warm-copy", PARTITIONS, (short) 1),
                    new NewTopic("bench-copy", PARTITIONS, (short) 1))).all().get();
            try (HeapSampler idle = new HeapSampler()) {
                heap.put("idle (broker)", idle);
            }

            final long rawPolls;
            try (HeapSampler sampler = new HeapSampler()) {
                rawPolls = publish(bootstrap, dataset, out);
                heap.put("publish dataset", sampler);
            }
            warmUp(out, admin, bootstrap, rawPolls, work);
            final Replay.Result processor = processorStage(out, MEASURED, admin, bootstrap, rawPolls, Profile.LIVE, 1,
                    "bench-out.", "bench-processor", work.resolve("processor-state"), "processor", heap, costs);
            final IoBaseline io = ioBaseline(out, admin, bootstrap, rawPolls, heap, costs);
            final List<Round> rounds = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                rounds.add(round(out, admin, bootstrap, rawPolls, work, round, heap, costs));
            }
            final int threads = Profile.REPLAY.streamThreads();
            final Replay.Result allThreads = processorStage(out, MEASURED, admin, bootstrap, rawPolls, Profile.REPLAY,
                    threads, "bench-replay2.", "bench-processor-replay2", work.resolve("replay2-state"),
                    "processor (replay, " + threads + " threads)", heap, costs);
            out.printf("latency: %d polls/s in real time for %d s...%n", options.latencyRate(),
                    options.latencySeconds());
            final LatencyProbe.Result latency;
            try (HeapSampler sampler = HeapSampler.onHeapGivenBack()) {
                latency = LatencyProbe.run(bootstrap, "bench-live.", "bench-latency", work.resolve("latency-state"),
                        dataset, options.latencyRate(), Duration.ofSeconds(options.latencySeconds()));
                heap.put("latency (processor live)", sampler);
            }
            out.printf("collector: one slot of %d VAC tenants...%n", options.collectorTenants());
            final CollectorBench.Result collector;
            try (HeapSampler sampler = new HeapSampler()) {
                collector = CollectorBench.run(bootstrap, "bench-collector.", options.collectorTenants(), 32);
                heap.put("collector", sampler);
            }
            return BenchReport.of(options.tenants(), options.days(), rawPolls, rounds, processor, io.written(),
                    io.seconds(), threads, allThreads, latency, collector, heap, costs);
        }
    }

    /**
     * One round of the baseline and the one-thread replay: the copy loop, then the replay profile at once after it,
     * over the same raw polls, each under a name of its own (a new group, application id and state).
     */
    private static Round round(final PrintWriter out, final Admin admin, final String bootstrap, final long rawPolls,
                               final Path work, final int round, final HeapPeaks heap, final StageCosts costs)
            throws Exception {
        final String suffix = ", round " + round;
        out.printf("baseline and replay profile side by side, round %d of %d: exactly-once copy loop...%n", round,
                ROUNDS);
        final double copySeconds;
        final String copyId = "bench-eos-copy-" + round;
        try (HeapSampler sampler = new HeapSampler();
             StageCosts.Stage stage = costs.begin("baseline copy" + suffix, ThreadCpu.ofCallingThread(),
                     ProducerWaits.ofClient(copyId))) {
            copySeconds = EosCopyLoop.copy(bootstrap, Topics.RAW.name("bench."), "bench-copy", rawPolls, copyId);
            heap.put("baseline copy" + suffix, sampler);
        }
        final Replay.Result replay = processorStage(out, MEASURED, admin, bootstrap, rawPolls, Profile.REPLAY, 1,
                "bench-replay.", "bench-processor-replay-" + round, work.resolve("replay-state-" + round),
                "processor (replay)" + suffix, heap, costs);
        return new Round(copySeconds, replay);
    }

    /** What the live processor wrote (counted, without its sample), and the seconds the I/O baseline took. */
    private record IoBaseline(WrittenVolume written, double seconds) {
    }

    /**
     * The I/O baseline over what the live processor wrote, read before any other application's topics exist. Its
     * sample of records is held only here, so that it does not weigh on the peak heap of the stages after it.
     *
     * <p>It runs twice, the first time unmeasured, for the reason the warm-up runs the other stages once: it writes to
     * many topics where the copy loop writes to one, and run once only, its JIT compiled for 2.8 and 4.0 s of its 8
     * and 9 s stage in two runs, and in another it ran 15% slower than a second run right after it (18,045 against
     * 21,168 polls/s). Not in the warm-up: the live stage, started while the broker still held the logs of those
     * deleted partitions, had a peak live heap 6 MiB higher (93 against 87 MiB, two runs each).
     */
    private static IoBaseline ioBaseline(final PrintWriter out, final Admin admin, final String bootstrap,
                                         final long rawPolls, final HeapPeaks heap, final StageCosts costs)
            throws Exception {
        final WrittenVolume written = WrittenVolume.of(admin, bootstrap, "bench-out.", "bench-processor-");
        out.printf(Locale.ROOT, "I/O baseline: an exactly-once loop writing %.1f of the live processor's records "
                + "(%d bytes on average) per raw poll, after one unmeasured round...%n",
                (double) written.records() / rawPolls, written.bytesPerRecord());
        mirror(admin, written, "bench-io-warm.");
        writeAsMuch(bootstrap, rawPolls, written, "bench-io-warm.", IO_LOOP + "-warm");
        deleteTopics(admin, "bench-io-warm.");
        mirror(admin, written, "bench-io.");
        try (HeapSampler sampler = new HeapSampler();
             StageCosts.Stage stage = costs.begin("I/O baseline", ThreadCpu.ofCallingThread(),
                     ProducerWaits.ofClient(IO_LOOP))) {
            final double seconds = writeAsMuch(bootstrap, rawPolls, written, "bench-io.", IO_LOOP);
            heap.put("I/O baseline", sampler);
            return new IoBaseline(new WrittenVolume(written.records(), written.bytes(), List.of()), seconds);
        }
    }

    /** The I/O baseline's loop: the raw polls read, and for each as many of {@code written}'s sample written. */
    private static double writeAsMuch(final String bootstrap, final long rawPolls, final WrittenVolume written,
                                      final String prefix, final String id) {
        return EosCopyLoop.writeAsMuch(bootstrap, Topics.RAW.name("bench."), prefix, rawPolls, id,
                (double) written.records() / rawPolls, written.sample());
    }

    /** Deletes every topic whose name starts with {@code prefix}: the broker holds each partition in its heap. */
    private static void deleteTopics(final Admin admin, final String prefix) throws Exception {
        admin.deleteTopics(admin.listTopics().names().get().stream().filter(topic -> topic.startsWith(prefix))
                .toList()).all().get();
    }

    /**
     * For every topic the sample was written to, one named {@code prefix} + its name, with as many partitions and the
     * same topic settings (a changelog is compacted and stamped by the broker, an output topic may be compacted): the
     * broker then does for the loop's records what it did for the processor's.
     */
    private static void mirror(final Admin admin, final WrittenVolume written, final String prefix) throws Exception {
        final Set<String> topics = written.sample().stream().map(record -> record.partition().topic())
                .collect(Collectors.toSet());
        final Map<ConfigResource, Config> settings = admin.describeConfigs(topics.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList()).all().get();
        final List<NewTopic> mirrors = new ArrayList<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((topic, description) -> mirrors.add(
                new NewTopic(prefix + topic, description.partitions().size(), (short) 1).configs(
                        settings.get(new ConfigResource(ConfigResource.Type.TOPIC, topic)).entries().stream()
                                .filter(entry -> entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                                .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value)))));
        admin.createTopics(mirrors).all().get();
        awaitLogs(admin, mirrors);
    }

    /**
     * Waits until the broker holds a log of every partition of {@code topics}. A topic is created once the controller
     * has it, and the broker can take its partitions on a second or two later: the I/O baseline, started at once,
     * spent its first seconds on produce retries in some runs ({@code NOT_LEADER_OR_FOLLOWER}), which the processor,
     * whose topics are ready before it writes, never pays.
     */
    private static void awaitLogs(final Admin admin, final List<NewTopic> topics) throws Exception {
        final Set<TopicPartition> expected = new HashSet<>();
        topics.forEach(topic -> IntStream.range(0, topic.numPartitions())
                .forEach(partition -> expected.add(new TopicPartition(topic.name(), partition))));
        final List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(Node::id).toList();
        final long deadline = System.nanoTime() + TOPICS_READY.toNanos();
        while (true) {
            final Set<TopicPartition> held = new HashSet<>();
            admin.describeLogDirs(brokers).allDescriptions().get().values().forEach(dirs -> dirs.values()
                    .forEach(dir -> held.addAll(dir.replicaInfos().keySet())));
            if (held.containsAll(expected)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not take the I/O baseline's partitions within "
                        + TOPICS_READY.toSeconds() + " s");
            }
            Thread.sleep(LOOK_AGAIN.toMillis());
        }
    }

    /**
     * Runs the copy loop and each profile of the processor once over the dataset, unmeasured, so that every measured
     * stage runs code the JIT has compiled. A cold JVM ran the processor at half its steady rate over the default
     * dataset, and the copy loop at less than half, and a year-long replay spends all but its first seconds at the
     * steady rate. The live profile runs code the replay profile does not (its outputs' JSON, stores written through
     * with their changelogs, the alert rules): warmed by the replay alone, the live stage shared the two cores with a
     * C2 compiler thread that took a third of them (JFR's thread CPU load, perf).
     */
    private static void warmUp(final PrintWriter out, final Admin admin, final String bootstrap, final long rawPolls,
                               final Path work) throws Exception {
        out.println("warm-up: the copy loop and both profiles once, not measured...");
        EosCopyLoop.copy(bootstrap, Topics.RAW.name("bench."), "bench-warm-copy", rawPolls, "bench-warm-copy");
        processorStage(out, "warm-up: the processor", admin, bootstrap, rawPolls, Profile.REPLAY, 1, "bench-warm.",
                "bench-warm-processor", work.resolve("warm-state"), "warm-up", new HeapPeaks(), new StageCosts());
        processorStage(out, "warm-up: the processor", admin, bootstrap, rawPolls, Profile.LIVE, 1,
                "bench-warm-live.", "bench-warm-live", work.resolve("warm-live-state"), "warm-up", new HeapPeaks(),
                new StageCosts());
        // the broker holds every partition it serves in its heap, which the measured stages' peaks include
        deleteTopics(admin, "bench-warm");
    }

    /**
     * The processor over every raw poll of the dataset under one profile, from start until it has read them all and
     * closed (closing commits: under exactly-once, the moment every output is readable), with progress and the
     * stage's peak heap. Start-up, the first rebalance and the last commit count: the baseline pays for its own.
     */
    private static Replay.Result processorStage(final PrintWriter out, final String title, final Admin admin,
                                                final String bootstrap, final long rawPolls, final Profile profile,
                                                final int threads,
                                                final String outputPrefix, final String applicationId,
                                                final Path stateDir, final String stage, final HeapPeaks heap,
                                                final StageCosts costs)
            throws Exception {
        out.printf("%s, %s profile, %d stream thread%s...%n", title, profile.name().toLowerCase(Locale.ROOT),
                threads, threads == 1 ? "" : "s");
        final Properties streams = UsageProcessor.streamsConfig(applicationId, Map.of("bootstrap.servers", bootstrap),
                stateDir, profile);
        streams.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        try (HeapSampler sampler = new HeapSampler();
             StageCosts.Stage measured = costs.begin(stage, ThreadCpu.ofStreamThreads(applicationId),
                     ProducerWaits.ofStreamThreads(applicationId))) {
            final Progress progress = new Progress(out, System.console() != null, rawPolls);
            // each profile as it runs: the live processor is a service, a replay (the command) a recomputation
            final Replay.Result result = Replay.of(admin, Topics.RAW.name("bench."), Instant.EPOCH).run(
                    ProcessorConfig.defaults().withTopicPrefix("bench."), streams, outputPrefix, profile,
                    profile == Profile.LIVE ? Run.SERVICE : Run.RECOMPUTATION,
                    done -> progress.update(done, progress.of(done, "raw polls")), STALL);
            progress.finish(Progress.count(rawPolls) + " raw polls");
            heap.put(stage, sampler);
            return result;
        }
    }

    /** The dataset, oldest slot first, each poll a few seconds into its slot as a collector would publish it. */
    private long publish(final String bootstrap, final BenchDataset dataset, final PrintWriter out) {
        final Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
        final Instant first = end.minus(Duration.ofDays(options.days()));
        final long hours = Duration.ofDays(options.days()).toHours();
        final Progress progress = new Progress(out, System.console() != null, hours);
        long polls = 0;
        try (RawPublisher publisher = new RawPublisher(Map.of("bootstrap.servers", bootstrap, "linger.ms", 50,
                "batch.size", 512 * 1024), "bench.")) {
            for (long hour = 0; hour < hours; hour++) {
                final Instant slot = first.plus(Duration.ofHours(hour));
                for (int tenant = 0; tenant < dataset.tenants(); tenant++) {
                    dataset.polls(tenant, slot, Duration.ofSeconds(5 + tenant % 50)).forEach(publisher::publish);
                    polls += 2;
                }
                progress.update(hour + 1, "publishing " + Progress.count(polls) + " raw polls");
            }
            publisher.flush();
        }
        progress.finish(Progress.count(polls) + " raw polls published");
        return polls;
    }
}
