package io.usagepipeline.processor;

import io.usagepipeline.events.KafkaSilence;
import io.usagepipeline.events.OutputHistory;
import io.usagepipeline.events.StreamsFailures;
import io.usagepipeline.events.Topics;
import io.usagepipeline.processor.state.ChangelogSettings;
import io.usagepipeline.processor.state.RocksDbSettings;
import io.usagepipeline.processor.state.StoreOptions;
import io.usagepipeline.runtime.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running processor: the topology on Kafka Streams with exactly-once processing, and its lifecycle. An
 * unexpected exception stops this instance (SHUTDOWN_CLIENT) rather than skipping data, since a silently skipped
 * poll would under-bill; on restart it resumes from the last committed transaction. A source topic missing from
 * Kafka's metadata stops it too (Kafka Streams gives no other answer), but is told apart ({@link
 * #missedSourceTopic()}), since it is often a broker restarting and {@link ProcessorService} then starts a new one.
 */
public final class UsageProcessor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UsageProcessor.class);
    /** How long each answer about the changelogs' settings may take at start: Kafka may be down, and that is fine. */
    private static final Duration SETTINGS_TIMEOUT = Duration.ofSeconds(10);
    /**
     * The main consumer's first back-off (its later ones grow to {@code retry.backoff.max.ms} as before). Kafka Streams
     * 4.3 waits this long after each internal topic it creates, not once per round: the wait is inside its loop over
     * the topics it asked for ({@code InternalTopicManager.createTopics}), which reads the main consumer's settings. At
     * the default 100 ms a first start, which creates the ten changelogs, waited about a second in it (its log:
     * "Topics [...] could not be made ready. Will retry in 100 milliseconds", one topic fewer each time).
     */
    public static final Duration MAIN_CONSUMER_BACKOFF = Duration.ofMillis(10);
    /**
     * How long the broker holds a fetch of the restore consumer that finds no record. That consumer asks for the
     * offsets of each task's changelogs as the task is added, on the same connection as its fetch, and a broker answers
     * a connection's requests one at a time: at the default 500 ms, a start waited for each round of new tasks behind
     * a fetch of changelogs with nothing (more) to restore, about 0.7 s on a first start. A fetch that finds records
     * returns at once whatever this is, and the state updater fetches only while it restores.
     */
    private static final Duration RESTORE_FETCH_WAIT = Duration.ofMillis(50);
    /**
     * How often a stream thread's consumer tells the group it is alive, and so how soon it learns that the group is
     * rebalancing. A second stream thread (the replay profile's) often joins a moment after the first has formed the
     * group alone (a broker without an initial rebalance delay completes it at once); at Kafka's default 3 s the
     * first thread then ran every task alone for 3 s before it heard and gave half of them up (in four bench runs of
     * eight, each time slower with two threads than with one). It does not make two threads reliably faster than one
     * on two cores; it spares those runs. A new instance of a live processor gets its tasks as much sooner.
     */
    private static final Duration HEARTBEAT = Duration.ofMillis(500);

    private final KafkaStreams streams;
    private final StreamsConfig streamsSettings;
    private final Run run;
    /** The names of the topology's stores: their changelogs are this application's. */
    private final Set<String> stores;
    private final CountDownLatch running = new CountDownLatch(1);
    private volatile Instant stateSince = Instant.now();
    private volatile boolean sourceTopicMissing;
    private volatile Throwable failure;

    public UsageProcessor(final ProcessorConfig config, final ProcessorMetrics metrics,
                          final Properties streamsConfig) {
        this(config, metrics, streamsConfig, config.topicPrefix());
    }

    /** A processor whose outputs go under {@code outputPrefix} (replay); it reads the configured raw topic. */
    public UsageProcessor(final ProcessorConfig config, final ProcessorMetrics metrics,
                          final Properties streamsConfig, final String outputPrefix) {
        this(config, metrics, streamsConfig, outputPrefix, Profile.LIVE);
    }

    /**
     * A processor run under a profile; {@code streamsConfig} should come from {@link #streamsConfig(String, Map,
     * Path, Profile)} with the same one.
     */
    public UsageProcessor(final ProcessorConfig config, final ProcessorMetrics metrics,
                          final Properties streamsConfig, final String outputPrefix, final Profile profile) {
        this(config, metrics, streamsConfig, outputPrefix, profile, Run.SERVICE);
    }

    /** A processor run for a purpose: a recomputation keeps no changelogs and runs no alert rules ({@link Run}). */
    public UsageProcessor(final ProcessorConfig config, final ProcessorMetrics metrics,
                          final Properties streamsConfig, final String outputPrefix, final Profile profile,
                          final Run run) {
        this.streamsSettings = new StreamsConfig(streamsConfig);
        this.run = run;
        final Topology topology = UsageTopology.build(config, metrics, outputPrefix, profile, run);
        this.stores = storeNames(topology);
        this.streams = new KafkaStreams(topology, streamsSettings);
        streams.setUncaughtExceptionHandler(exception -> {
            if (causedByMissingTopic(exception)) {
                LOG.warn("the processor stopped: {}", exception.getMessage());
                sourceTopicMissing = true;
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            failure = StreamsFailures.rootCause(exception);
            if (failure instanceof ConfigException) { // found in the state: the configuration's to change, one line
                LOG.error("the processor stopped: {}", failure.getMessage());
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            final Optional<String> known = StreamsFailures.explain("processor", exception);
            if (known.isPresent()) { // one the operator acts on: one line
                LOG.error("{}", known.get());
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            LOG.error("the processor stopped on an unexpected error; it resumes from its last commit when restarted",
                    exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("processor state {} -> {}", before, now);
            stateSince = Instant.now();
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
    }

    private static Set<String> storeNames(final Topology topology) {
        final Set<String> names = new TreeSet<>();
        for (final TopologyDescription.Subtopology subtopology : topology.describe().subtopologies()) {
            for (final TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Processor processor) {
                    names.addAll(processor.stores());
                }
            }
        }
        return names;
    }

    private static boolean causedByMissingTopic(final Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof MissingSourceTopicException) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the live processor under {@code applicationId} must know at start ({@link OutputHistory}): every run that
     * closed a billing record wrote the series it came from.
     */
    public static OutputHistory outputHistory(final String applicationId, final String prefix) {
        return new OutputHistory("processor", applicationId, ProcessorStores.SERIES, List.of(Topics.RAW.name(prefix)),
                Topics.BILLING_RECORDS.name(prefix));
    }

    /**
     * Kafka Streams settings: exactly-once v2, the given client properties (bootstrap, security) and state dir.
     * Set explicitly here rather than left to defaults because billing depends on them.
     */
    public static Properties streamsConfig(final String applicationId, final Map<String, Object> kafka,
                                           final Path stateDir) {
        return streamsConfig(applicationId, kafka, stateDir, Profile.LIVE);
    }

    /** The Streams settings of a profile: its commit interval and stream threads ({@link Profile}). */
    public static Properties streamsConfig(final String applicationId, final Map<String, Object> kafka,
                                           final Path stateDir, final Profile profile) {
        final Properties props = new Properties();
        props.putAll(kafka);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDbSettings.class);
        // read raw polls from the beginning the first time: nothing polled before the first start is lost
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // a raw poll may be up to 16 MiB, and so may its DLQ copy
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 32 * 1024 * 1024);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "zstd");
        props.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1); // the broker's default
        // No global store or table here, so this changes nothing but the log: left false, Kafka Streams 4.3 warns at
        // every start that it should be true (as it will be by default from 5.0), and once more where its partition
        // assignor reads the main consumer's settings.
        final String globalHandler = StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG;
        props.put(globalHandler, true);
        props.put(StreamsConfig.mainConsumerPrefix(globalHandler), true);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, profile.commitInterval().toMillis());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                (int) profile.transactionTimeout().toMillis());
        // no store is behind the record cache: the stores whose values are updated hold them themselves (StoreOptions)
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, profile.streamThreads());
        props.put(StreamsConfig.POLL_MS_CONFIG, profile.pollTime().toMillis());
        // Each task reads one partition of one topic, so it has no other partition to wait for (which is all this
        // wait is for). Left at 0, Kafka Streams 4.3 formats a log message with String.format whenever it asks
        // whether a task with no record buffered may run: 2.5% of a replay's stream thread, 3.5% of a live one (JFR).
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        // a first start waits for Kafka Streams to create the changelogs (MAIN_CONSUMER_BACKOFF), every start for the
        // restore consumer to find each task's changelogs up to date (RESTORE_FETCH_WAIT)
        props.put(StreamsConfig.mainConsumerPrefix(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG),
                (int) MAIN_CONSUMER_BACKOFF.toMillis());
        props.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG),
                (int) RESTORE_FETCH_WAIT.toMillis());
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                (int) HEARTBEAT.toMillis());
        return props;
    }

    public void start() {
        if (run.changelogs()) {
            applyChangelogSettings();
        }
        streams.start();
    }

    /** Brings the changelogs an earlier version created to today's settings ({@link ChangelogSettings}). */
    private void applyChangelogSettings() {
        final String applicationId = streamsSettings.getString(StreamsConfig.APPLICATION_ID_CONFIG);
        try (Admin admin = Admin.create(streamsSettings.getAdminConfigs(applicationId + "-changelog-settings"))) {
            ChangelogSettings.apply(admin, applicationId, stores, SETTINGS_TIMEOUT)
                    .forEach(change -> LOG.info("changelog settings: {}", change));
        } catch (final ExecutionException e) {
            LOG.warn("could not check the settings of the changelog topics of {} ({}): each should have {}, or a "
                    + "state restored from them may lack what they held of polls older than the stores' retention",
                    applicationId, KafkaSilence.explain(e,
                            String.join(",", streamsSettings.getList(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG))),
                    StoreOptions.CHANGELOG_CONFIGS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the processor has joined its group and restored its state. */
    public boolean awaitRunning(final Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** When the processor entered its current state. */
    public Instant stateSince() {
        return stateSince;
    }

    /** The root cause of the unexpected error that stopped it, if one did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Whether a missing source topic stopped it or is stopping it, rather than an unexpected error. */
    public boolean missedSourceTopic() {
        return sourceTopicMissing;
    }

    /**
     * Frees the places in its group that this stopped processor holds as a static member, so that a new processor of
     * the same instance gets a fresh assignment at once: Kafka Streams does not leave the group when an error stops
     * it, and a static member's successor would be handed the last assignment back, error included. A dynamic member
     * needs nothing: its place goes when its session times out, and its successor waits that long.
     */
    public void leaveGroupIfStatic(final Duration timeout) {
        final String applicationId = streamsSettings.getString(StreamsConfig.APPLICATION_ID_CONFIG);
        final List<MemberToRemove> members = staticMembers();
        if (members.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(streamsSettings.getAdminConfigs(applicationId + "-leaving"))) {
            admin.removeMembersFromConsumerGroup(applicationId, new RemoveMembersFromConsumerGroupOptions(members))
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            LOG.warn("could not free the processor's places in group {}: {}", applicationId,
                    e.getCause().getMessage());
        } catch (final TimeoutException e) {
            LOG.warn("could not free the processor's places in group {} within {}", applicationId, timeout);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Its places in the group as a static member ({@code --instance-id}), one a stream thread; none if dynamic. */
    private List<MemberToRemove> staticMembers() {
        final String applicationId = streamsSettings.getString(StreamsConfig.APPLICATION_ID_CONFIG);
        final List<MemberToRemove> members = new ArrayList<>();
        for (int thread = 1; thread <= streamsSettings.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG); thread++) {
            // Kafka Streams suffixes the instance id with each stream thread's index, from 1
            final Object instanceId = streamsSettings.getMainConsumerConfigs(applicationId, "leaving", thread)
                    .get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
            if (instanceId != null) {
                members.add(new MemberToRemove(instanceId.toString()));
            }
        }
        return members;
    }

    /** Healthy while starting, rebalancing or running; not after an error or once stopped. */
    public boolean isHealthy() {
        final KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING
                || state == KafkaStreams.State.CREATED;
    }

    /**
     * Stops, committing what was processed; bounded so a stuck broker cannot hang shutdown forever.
     *
     * @return true when every thread stopped within the timeout
     */
    public boolean close(final Duration timeout) {
        return close(CloseOptions.timeout(timeout), timeout);
    }

    /**
     * Stops for good, committing what was processed: a clean shutdown. A dynamic member also leaves its group, so that
     * whoever takes its partitions next (the same command started again, another instance) gets them at once: Kafka
     * Streams keeps a closing member in its group, and a {@code process} started again waited out the session
     * timeout (45 s) before it processed a poll. A static member ({@code --instance-id}) keeps its place, which an
     * instance started again within the session timeout takes back without a rebalance.
     */
    public boolean stop(final Duration timeout) {
        return staticMembers().isEmpty() ? closeAndLeaveGroup(timeout) : close(timeout);
    }

    private boolean close(final CloseOptions options, final Duration timeout) {
        final boolean stopped = streams.close(options);
        if (!stopped) {
            LOG.warn("the processor did not stop within {}; uncommitted work is redone on restart", timeout);
        }
        return stopped;
    }

    /**
     * Stops and leaves the consumer group at once, for a run that will not come back (a replay), so that its group
     * can be deleted right away.
     */
    public boolean closeAndLeaveGroup(final Duration timeout) {
        return close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(timeout), timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** The underlying Kafka Streams instance, for metrics binding by the service that runs it. */
    KafkaStreams streams() {
        return streams;
    }
}
