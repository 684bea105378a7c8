package io.usagepipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.events.KafkaProbe;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.runtime.Health;
import io.usagepipeline.runtime.HealthBounds;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL that restarts under a running sink (maintenance, a failover): the sink waits for it, with
 * {@code /health} saying so, and writes every record once when it is back, to the database and the files alike; one
 * that stays away longer than the sink's database timeout ends it with exit code 1. Each test stops and starts a
 * server of its own, so none can run against {@code USAGE_PIPELINE_TEST_JDBC_URL}.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(300) // a hung test fails here, not at CI's limit
class DatabaseOutageIT {

    private static final String SINK_NAME = "outage-it";
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private int port;
    private EmbeddedPostgres postgres;
    private SinkService service;

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.stop(Duration.ofSeconds(30));
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void shouldWaitForADatabaseThatRestartsAndThenWriteEveryRecordOnce(final KafkaBroker kafka) throws Exception {
        final String prefix = topics(kafka);
        startDatabase();
        service = service(kafka, prefix, Duration.ofMinutes(5));
        final PeriodRecord acme = Records.billing("acme", Records.DAY, 1, "96");
        final PeriodRecord globex = Records.billing("globex", Records.DAY, 1, "48");
        final PeriodRecord acmeRestated = Records.billing("acme", Records.DAY, 2, "102");
        final PeriodRecord initech = Records.billing("initech", Records.DAY, 1, "24");
        produce(kafka, prefix, List.of(acme, globex));
        service.start();
        await().atMost(WAIT).until(() -> revisions().size() == 2);

        postgres.close();
        postgres = null;
        produce(kafka, prefix, List.of(acmeRestated, initech));
        await().atMost(WAIT).until(() -> service.health().state().equals("REOPENING"));
        final Health waiting = service.health();
        assertThat(waiting.up()).isFalse();
        assertThat(waiting.reason()).startsWith("the database has not taken the sink's writes for ");
        assertThat(service.ended()).as("the sink waits for the database").isEmpty();

        startDatabase();
        await().atMost(WAIT).until(() -> revisions().size() == 4);
        await().atMost(WAIT).until(() -> service.health().ready());

        assertThat(revisions()).containsExactly(revision(acme), revision(acmeRestated), revision(globex),
                revision(initech));
        assertThat(rows("SELECT tenant_id, revision, unit_hours FROM billing_records ORDER BY tenant_id"))
                .containsExactly(List.of("acme", "2", "102"), List.of("globex", "1", "48"),
                        List.of("initech", "1", "24"));
        assertThat(Files.readAllLines(dir.resolve("out/history.jsonl"))).as("every record once in the files too")
                .hasSize(4);
        assertThat(service.ended()).isEmpty();
    }

    /**
     * A database that takes no writes for a while, and comes back by itself or by an administrator's hand: a primary
     * failed over whose address still leads to the old one, now a standby, or a hosted PostgreSQL that turns itself
     * read-only when its storage fills up (as Azure's does, server-wide, as here). The sink waits for it, as for one
     * that went away, and writes every record once when it takes writes again.
     */
    @Test
    void shouldWaitForADatabaseThatTakesNoWritesAndThenWriteEveryRecordOnce(final KafkaBroker kafka)
            throws Exception {
        final String prefix = topics(kafka);
        startDatabase();
        service = service(kafka, prefix, Duration.ofMinutes(5));
        final PeriodRecord acme = Records.billing("acme", Records.DAY, 1, "96");
        final PeriodRecord globex = Records.billing("globex", Records.DAY, 1, "48");
        produce(kafka, prefix, List.of(acme));
        service.start();
        await().atMost(WAIT).until(() -> revisions().size() == 1);

        readOnly(true);
        try {
            produce(kafka, prefix, List.of(globex));
            await().atMost(WAIT).until(() -> service.health().state().equals("REOPENING"));
            final Health waiting = service.health();
            assertThat(waiting.up()).isFalse();
            assertThat(waiting.reason()).startsWith("the database has not taken the sink's writes for ")
                    .endsWith("(ERROR: cannot execute INSERT in a read-only transaction)");
            // the outputs opened again at least twice while the database took no writes, and still waiting
            await().atMost(WAIT).until(() -> waitedSeconds(service.health()) >= 5);
            assertThat(service.ended()).as("the sink waits for the database").isEmpty();
        } finally {
            readOnly(false);
        }
        await().atMost(WAIT).until(() -> revisions().size() == 2);
        await().atMost(WAIT).until(() -> service.health().ready());

        assertThat(revisions()).containsExactly(revision(acme), revision(globex));
        assertThat(Files.readAllLines(dir.resolve("out/history.jsonl"))).hasSize(2);
        assertThat(service.ended()).isEmpty();
    }

    /**
     * A server that stops answering without closing the connection (a host powered off, a hard failover): the write
     * waits until the connection's network timeout and is then taken for a lost connection, and the sink writes on
     * through a new one. The server's process for the sink's connection is stopped (SIGSTOP) to freeze it.
     */
    @Test
    void shouldWriteOnThroughANewConnectionWhenTheOldOneStopsAnswering(final KafkaBroker kafka) throws Exception {
        final String prefix = topics(kafka);
        startDatabase();
        service = service(kafka, prefix, Duration.ofMinutes(5), url() + "?socketTimeout=2");
        final PeriodRecord acme = Records.billing("acme", Records.DAY, 1, "96");
        final PeriodRecord globex = Records.billing("globex", Records.DAY, 1, "48");
        produce(kafka, prefix, List.of(acme));
        service.start();
        await().atMost(WAIT).until(() -> revisions().size() == 1);

        final List<String> frozen = rows("SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' "
                + "AND pid <> pg_backend_pid()").stream().map(row -> row.get(0)).toList();
        assertThat(frozen).as("the sink's connection").hasSize(1);
        signal("STOP", frozen.get(0));
        try {
            produce(kafka, prefix, List.of(globex));
            await().atMost(WAIT).until(() -> revisions().size() == 2);
        } finally {
            signal("CONT", frozen.get(0));
        }

        assertThat(revisions()).containsExactly(revision(acme), revision(globex));
        assertThat(Files.readAllLines(dir.resolve("out/history.jsonl"))).hasSize(2);
        assertThat(service.ended()).isEmpty();
        // the frozen session, asked to end while the sink wrote on without the lock it held, ends once it runs
        // again: the lock of the sink's name is the new session's before its next write
        await().atMost(WAIT).until(() -> rows("SELECT pid FROM pg_stat_activity WHERE pid = " + frozen.get(0))
                .isEmpty());
        final PeriodRecord initech = Records.billing("initech", Records.DAY, 1, "24");
        produce(kafka, prefix, List.of(initech));
        await().atMost(WAIT).until(() -> revisions().size() == 3);
        assertThat(rows("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE "
                + "l.locktype = 'advisory' AND l.granted AND l.classid::bigint = " + DatabaseLock.KEY_SPACE
                + " AND l.objid::bigint = " + DatabaseLock.lockId("public", SINK_NAME)))
                .containsExactly(List.of(DatabaseLock.applicationName()));
    }

    /** A URL without a socketTimeout of its own gets the sink's, where the driver would wait forever. */
    @Test
    void shouldNotWaitForeverForAnAnswer() throws Exception {
        startDatabase();
        try (PostgresWriter writer = new PostgresWriter(url(), "postgres", null, SINK_NAME, "totals");
             PostgresWriter own = new PostgresWriter(url() + "?socketTimeout=7", "postgres", null,
                     SINK_NAME + "-own", "totals")) { // one sink of a name writes a database
            assertThat(writer.networkTimeout()).isEqualTo(PostgresWriter.NETWORK_TIMEOUT);
            assertThat(own.networkTimeout()).isEqualTo(Duration.ofSeconds(7));
        }
    }

    @Test
    void shouldStopOnceTheDatabaseHasNotAnsweredForItsTimeout(final KafkaBroker kafka) throws Exception {
        final String prefix = topics(kafka);
        startDatabase();
        service = service(kafka, prefix, Duration.ofSeconds(3));
        service.start();
        await().atMost(WAIT).until(() -> service.health().ready());

        postgres.close();
        postgres = null;
        produce(kafka, prefix, List.of(Records.billing("acme", Records.DAY, 1, "96")));

        await().atMost(WAIT).until(() -> service.ended().isPresent());
        assertThat(service.ended()).hasValue(ExitCodes.FAILED);
        final Matcher reason = Pattern.compile("the database has not taken the sink's writes for (\\d+) s "
                + "\\(Connection to localhost:" + port + " refused.*\\)").matcher(service.health().reason());
        assertThat(reason.matches()).as(service.health().reason()).isTrue();
        assertThat(Integer.parseInt(reason.group(1))).as("seconds waited").isGreaterThanOrEqualTo(3);
    }

    /**
     * A write the database refuses is no outage: the sink stops, with the database's own words in one line rather than
     * the batch's statement and every figure in it. Here a LATIN1 database, which cannot hold a tenant named in
     * Japanese.
     */
    @Test
    void shouldStopInOneLineOnAWriteTheDatabaseRefuses(final KafkaBroker kafka) throws Exception {
        final String prefix = topics(kafka);
        startDatabase();
        try (Connection connection = DriverManager.getConnection(url(), "postgres", "postgres");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE latin TEMPLATE template0 ENCODING 'LATIN1' LC_COLLATE 'C' "
                    + "LC_CTYPE 'C'");
        }
        service = service(kafka, prefix, Duration.ofMinutes(5), url().replace("/postgres", "/latin"));
        produce(kafka, prefix, List.of(Records.billing("東京", Records.DAY, 1, "96")));
        service.start();

        await().atMost(WAIT).until(() -> service.ended().isPresent());
        assertThat(service.ended()).hasValue(ExitCodes.FAILED);
        assertThat(service.health().reason()).isEqualTo("ERROR: character with byte sequence 0xe6 0x9d 0xb1 in "
                + "encoding \"UTF8\" has no equivalent in encoding \"LATIN1\"");
    }

    /** A server of the test's own, on the same port and data each time, as a restarted one is. */
    private void startDatabase() throws IOException {
        if (port == 0) {
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
        }
        postgres = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dir.resolve("pgdata"))
                .setCleanDataDirectory(false).start();
    }

    private String url() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    private SinkService service(final KafkaBroker kafka, final String prefix, final Duration databaseTimeout)
            throws Exception {
        return service(kafka, prefix, databaseTimeout, url());
    }

    private SinkService service(final KafkaBroker kafka, final String prefix, final Duration databaseTimeout,
                                final String jdbcUrl) throws Exception {
        final Map<String, Object> props = Map.of("bootstrap.servers", kafka.bootstrapServers());
        final SinkOutputs outputs = new SinkOutputs(dir.resolve("out"), jdbcUrl, "postgres", null);
        final SinkConfig config = new SinkConfig(prefix, SINK_NAME, 25, Duration.ofMillis(200));
        final SinkMetrics metrics = new SinkMetrics(new SimpleMeterRegistry(), Clock.systemUTC());
        return SinkService.open(config, props, outputs, metrics, databaseTimeout,
                new KafkaProbe(props, Duration.ofSeconds(5), Clock.systemUTC()), HealthBounds.DEFAULTS,
                Clock.systemUTC());
    }

    /** How long a sink's health says it has waited for the database; 0 once it no longer waits. */
    private static int waitedSeconds(final Health health) {
        final Matcher waited = Pattern.compile("the database has not taken the sink's writes for (\\d+) s .*")
                .matcher(health.reason());
        return waited.matches() ? Integer.parseInt(waited.group(1)) : 0;
    }

    /** Makes every transaction of the server read-only, its sessions open already included, or lets them write. */
    private void readOnly(final boolean on) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url(), "postgres", "postgres");
             Statement statement = connection.createStatement()) {
            statement.execute("ALTER SYSTEM SET default_transaction_read_only = " + on);
            statement.execute("SELECT pg_reload_conf()");
        }
    }

    /** Sends a signal to a process of the database server, as the same user or root. */
    private static void signal(final String signal, final String pid) throws Exception {
        final Process kill = new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -" + signal + " " + pid).isZero();
    }

    private static List<String> revision(final PeriodRecord record) {
        return List.of(record.tenantId(), String.valueOf(record.revision()), record.recordId().toString());
    }

    /** Every revision the database holds: tenant, revision and record id. */
    private List<List<String>> revisions() throws SQLException {
        return rows("SELECT tenant_id, revision, record_id FROM billing_record_revisions ORDER BY tenant_id, revision");
    }

    private List<List<String>> rows(final String sql) throws SQLException {
        final List<List<String>> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url(), "postgres", "postgres");
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                final List<String> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static String topics(final KafkaBroker kafka) throws Exception {
        final String prefix = "outage-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, prefix, 3, 0).ensureAll();
        }
        return prefix;
    }

    /** Publishes in one transaction, as the processor does. */
    private static void produce(final KafkaBroker kafka, final String prefix, final List<PeriodRecord> records) {
        Transactions.send(kafka.bootstrapServers(), Topics.BILLING_RECORDS, records.stream().map(record -> new ProducerRecord<>(
                Topics.BILLING_RECORDS.name(prefix), record.periodKey(), record)).toList(), true);
    }
}
