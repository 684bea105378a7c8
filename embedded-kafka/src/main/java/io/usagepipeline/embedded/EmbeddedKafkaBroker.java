package io.usagepipeline.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka (broker and KRaft controller in one) running inside this JVM.
 *
 * <p>Tuned for one machine: every replication factor and min ISR is 1, so transactions and exactly-once Streams
 * work; consumer groups rebalance without the initial delay. On a given port it listens on
 * {@code localhost:port}; on port 0 it takes a free one. With a data directory it keeps topics and records across
 * restarts; without one it uses a temporary directory that {@link #close()} deletes.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(19092).dataDir(dir).build().start()) {
 *     String bootstrap = broker.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements KafkaBroker, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final int requestedPort;
    private final Path requestedDataDir;
    private final Map<String, String> overrides;

    private KafkaRaftServer server;
    private FileLock dataDirLock;
    private boolean exitGuardHeld;
    private Path dataDir;
    private int port;

    private EmbeddedKafkaBroker(final Builder builder) {
        this.requestedPort = builder.port;
        this.requestedDataDir = builder.dataDir;
        this.overrides = Map.copyOf(builder.overrides);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Formats the data directory if it is new, starts the broker and waits until it answers. */
    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            return this;
        }
        try {
            dataDir = requestedDataDir != null ? Files.createDirectories(requestedDataDir)
                    : Files.createTempDirectory("embedded-kafka-");
            dataDirLock = lockDataDir(dataDir);
            port = requestedPort == 0 ? freePort() : checkPortFree(requestedPort);
            final Properties config = brokerConfig(dataDir, port, freePortOtherThan(port));
            format(config, dataDir);
            JvmExitGuard.install();
            exitGuardHeld = true;
            server = new KafkaRaftServer(KafkaConfig.fromProps(config), Time.SYSTEM);
            server.startup();
            awaitReady();
            LOG.info("Kafka broker ready at {} (data in {})", bootstrapServers(), dataDir);
            return this;
        } catch (final IOException e) {
            stopQuietly();
            throw new UncheckedIOException("cannot prepare the broker's data directory " + dataDir, e);
        } catch (final BrokerStartException e) {
            stopQuietly();
            throw e;
        } catch (final RuntimeException e) {
            stopQuietly();
            throw new BrokerStartException("the embedded Kafka broker did not start on port " + port
                    + ": " + e.getMessage(), e);
        }
    }

    /** {@code localhost:port}, for {@code bootstrap.servers}. */
    @Override
    public synchronized String bootstrapServers() {
        if (server == null) {
            throw new IllegalStateException("the broker is not running");
        }
        return "localhost:" + port;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * The fatal fault Kafka stopped on, if it did since this JVM's brokers started: it asked to exit or halt the JVM,
     * which a separate Kafka process would have, and was refused ({@link JvmExitGuard}). The broker still runs without
     * the thread that asked, so what needs that thread (transactions, metadata) hangs: stop it and start it again.
     */
    public Optional<String> fatalFault() {
        return JvmExitGuard.fault();
    }

    /** The directory holding the broker's logs and metadata. */
    public synchronized Path dataDir() {
        return dataDir;
    }

    /** Stops the broker, keeping a given data directory and deleting a temporary one. */
    public synchronized void stop() {
        try {
            if (server != null) {
                server.shutdown();
                server.awaitShutdown();
                LOG.info("Kafka broker at localhost:{} stopped", port);
            }
        } finally {
            server = null;
            if (exitGuardHeld) {
                JvmExitGuard.release();
                exitGuardHeld = false;
            }
            releaseDataDirLock();
            if (requestedDataDir == null) {
                deleteRecursively(dataDir);
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (final RuntimeException e) {
            LOG.warn("cleaning up after a failed start: {}", e.toString());
        }
    }

    private Properties brokerConfig(final Path dir, final int brokerPort, final int controllerPort) {
        final Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", String.valueOf(NODE_ID));
        // A static single voter: nothing to coordinate, and a restart on the same directory needs no re-format.
        config.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        config.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("controller.listener.names", "CONTROLLER");
        config.put("log.dirs", dir.toString());
        config.put("metadata.log.dir", dir.toString());
        // One node: every internal topic has one replica, or transactions (and so exactly-once) cannot start.
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "5");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "5");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("default.replication.factor", "1");
        config.put("min.insync.replicas", "1");
        // Nobody else will join: rebalance at once instead of waiting 3 s for more members.
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("group.streams.initial.rebalance.delay.ms", "0");
        // Topics are created on purpose, with their contract configs (`topics create`), never by a typo.
        config.put("auto.create.topics.enable", "false");
        // The default 128 MiB cleaner buffer is wasted on a development broker; 2 cores need few threads.
        config.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        // The active controller appends a no-op record to the metadata log every 500 ms, for a quorum's health
        // metrics; one node has no quorum to watch. KRaft keeps each 8 MiB batch buffer it has used (up to five), and
        // a no-op appended while a topic was being created made it hold two in about one start in eight: 12 MiB more
        // heap for the broker's whole life, which every peak heap `bench` reports includes (bench/MEASUREMENTS.md).
        config.put("metadata.max.idle.interval.ms", "0");
        config.put("num.network.threads", "2");
        config.put("num.io.threads", "4");
        config.putAll(overrides);
        final Properties properties = new Properties();
        properties.putAll(config);
        return properties;
    }

    private static void format(final Properties config, final Path dir) {
        try {
            new Formatter()
                    .setNodeId(NODE_ID)
                    .setClusterId(existingClusterId(dir))
                    .setDirectories(List.of(dir.toString()))
                    .setMetadataLogDirectory(dir.toString())
                    .setControllerListenerName(config.getProperty("controller.listener.names"))
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setHasDynamicQuorum(false)
                    // An already formatted directory is a restart: keep what it holds.
                    .setIgnoreFormatted(true)
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .run();
        } catch (final Exception e) {
            throw new IllegalStateException("cannot format " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The cluster id a formatted directory already has, so a restart formats nothing; else a new one. */
    private static String existingClusterId(final Path dir) throws IOException {
        final Path meta = dir.resolve("meta.properties");
        if (Files.exists(meta)) {
            final Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(meta)) {
                properties.load(in);
            }
            final String clusterId = properties.getProperty("cluster.id");
            if (clusterId != null) {
                return clusterId;
            }
        }
        return Uuid.randomUuid().toString();
    }

    private void awaitReady() {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + port);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker did not answer within " + READY_TIMEOUT, e);
        }
    }

    /**
     * Kafka's own directory lock is taken only after the controller has started reading the metadata log; a second
     * broker on the same directory must be turned away before it touches anything.
     */
    private static FileLock lockDataDir(final Path dir) throws IOException {
        final FileChannel channel = FileChannel.open(dir.resolve(".embedded-kafka.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = null;
        try {
            lock = channel.tryLock();
        } catch (final OverlappingFileLockException e) {
            // held by this JVM
        }
        if (lock == null) {
            channel.close();
            throw new BrokerStartException("the data directory " + dir + " is in use by another running broker");
        }
        return lock;
    }

    private void releaseDataDirLock() {
        if (dataDirLock != null) {
            try {
                dataDirLock.release();
                dataDirLock.channel().close();
            } catch (final IOException e) {
                LOG.warn("could not release the lock on {}: {}", dataDir, e.toString());
            }
            dataDirLock = null;
        }
    }

    private static int checkPortFree(final int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("localhost", port));
            return port;
        } catch (final IOException e) {
            throw new BrokerStartException("port " + port + " on localhost is already in use");
        }
    }

    /**
     * A free port for the controller, other than the broker's: once the socket that found the broker's port is
     * closed, the system may hand out the same port again, and a broker whose two listeners shared it did not start
     * (seen once in CI: "Each listener must have a different port").
     */
    private static int freePortOtherThan(final int taken) throws IOException {
        int port = freePort();
        while (port == taken) {
            port = freePort();
        }
        return port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("localhost", 0));
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(final Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (final IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }

    /** Configures an {@link EmbeddedKafkaBroker}. */
    public static final class Builder {
        private int port;
        private Path dataDir;
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder() {
        }

        /** The client port on localhost; 0 (the default) takes a free one. */
        public Builder port(final int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, not " + port);
            }
            this.port = port;
            return this;
        }

        /** A directory that keeps topics and records across restarts; null (the default) is a temporary one. */
        public Builder dataDir(final Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /**
         * How often the broker deletes what retention covers, from its start: the retention check of delete topics
         * (by default every 5 minutes, the first after 30 s) and the log cleaner's pass, which also deletes the old
         * segments of compact,delete topics such as a window store's changelog (by default every 15 s).
         */
        public Builder retentionEvery(final Duration interval) {
            final String millis = String.valueOf(interval.toMillis());
            overrides.put("log.initial.task.delay.ms", "0");
            overrides.put("log.retention.check.interval.ms", millis);
            overrides.put("log.cleaner.backoff.ms", millis);
            return this;
        }

        /** Any broker setting, applied over the defaults. */
        public Builder brokerProperty(final String name, final String value) {
            overrides.put(name, value);
            return this;
        }

        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }
    }
}
