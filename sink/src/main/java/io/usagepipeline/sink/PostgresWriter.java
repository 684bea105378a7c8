package io.usagepipeline.sink;

import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.runtime.Secret;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;

/**
 * Billing records, charge lines, reconciliation lines and alerts into PostgreSQL (each record's row is
 * {@link TableRows}'). One transaction per batch holds the rows and the new offsets, so the database and the position
 * it resumes from can never disagree: a crash before the commit redoes the batch, after it skips it. The
 * latest-revision tables are upserted with a guard that never lowers a revision; revisions are keyed by their ids.
 */
public final class PostgresWriter implements BillingWriter {

    private static final String UPSERT_OFFSET = "INSERT INTO sink_offsets (sink_name, topic, partition, next_offset) "
            + "VALUES (?, ?, ?, ?) ON CONFLICT (sink_name, topic, partition) DO UPDATE SET next_offset = "
            + "EXCLUDED.next_offset";

    private static final String UPSERT_SOURCE = "INSERT INTO sink_source (topic, cluster_id, topic_id) "
            + "VALUES (?, ?, ?) ON CONFLICT (topic) DO UPDATE SET cluster_id = EXCLUDED.cluster_id, "
            + "topic_id = EXCLUDED.topic_id, bound_at = now()";
    /** Every table of the output; a reset empties them all, so that no sink resumes into the rebuilt rows. */
    private static final List<String> TABLES = List.of("billing_records", "billing_record_revisions", "open_totals",
            "charges", "charge_revisions", "alerts", "reconciliation", "sink_offsets", "sink_source");

    /**
     * How long a write may wait for the database's answer before the connection counts as lost. A server that died
     * without closing its connections (a hard failover, a host powered off) leaves the write waiting until TCP gives
     * up, some 15 minutes on Linux; the driver's default is to wait forever. Lost, the connection is opened again,
     * to whatever answers at the URL's address now ({@link SinkService}). A URL's own {@code socketTimeout} wins.
     */
    static final Duration NETWORK_TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern SOCKET_TIMEOUT_PARAMETER = Pattern.compile("[?&]socketTimeout=",
            Pattern.CASE_INSENSITIVE);

    private final Connection connection;
    private final String jdbcUrl;
    private final String sinkName;
    private final String totalsTopic;
    private final DatabaseLock lock;

    /**
     * Connects and migrates the schema.
     *
     * @param password    the database password; null for none (a trusted local connection)
     * @param sinkName    whose offsets these are, so that several sinks can share one database
     * @param totalsTopic the name of the rolling-totals topic; every other topic carries billing records
     */
    public PostgresWriter(final String jdbcUrl, final String user, final Secret password, final String sinkName,
                          final String totalsTopic) throws SQLException {
        final String revealed = password == null ? null : password.reveal();
        this.jdbcUrl = jdbcUrl.replaceFirst("\\?.*$", ""); // for messages: parameters may hold a password
        this.connection = connect(jdbcUrl, user, revealed, this.jdbcUrl);
        this.sinkName = sinkName;
        this.totalsTopic = totalsTopic;
        try {
            Migrations.apply(connection, jdbcUrl, user, revealed);
            connection.setAutoCommit(false);
            if (!SOCKET_TIMEOUT_PARAMETER.matcher(jdbcUrl).find()) {
                connection.setNetworkTimeout(Runnable::run, (int) NETWORK_TIMEOUT.toMillis());
            }
            this.lock = DatabaseLock.take(connection, sinkName, this.jdbcUrl);
        } catch (final SQLException | RuntimeException e) {
            connection.close(); // the sink opens its outputs again after a database outage: no connection left over
            throw e;
        }
    }

    /**
     * A connection to the database. The driver says of a host name that does not resolve only "The connection attempt
     * failed." with the name; what is wrong is said here, and the SQLSTATE kept: while the sink waits out an outage,
     * a failover's name not resolving for a moment is part of it ({@link DatabaseOutage}).
     */
    private static Connection connect(final String jdbcUrl, final String user, final String password,
                                      final String shown) throws SQLException {
        try {
            return DriverManager.getConnection(jdbcUrl, user, password);
        } catch (final SQLException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof UnknownHostException unknown) {
                    throw new SQLException("cannot connect to the database at " + shown + ": its host name "
                            + unknown.getMessage() + " does not resolve", e.getSQLState());
                }
            }
            throw e;
        }
    }

    /** How long a write waits for the database's answer (zero: forever); for tests. */
    Duration networkTimeout() throws SQLException {
        return Duration.ofMillis(connection.getNetworkTimeout());
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String location() {
        return jdbcUrl;
    }

    /**
     * This sink's positions, and the identity the database's rows were read from. Rows of two clusters are reported
     * as the first cluster found, which never equals a single live one: the sink refuses either way.
     */
    @Override
    public Checkpoint checkpoint() throws SQLException {
        final Map<TopicPartition, Long> positions = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT topic, partition, next_offset FROM sink_offsets WHERE sink_name = ?")) {
            select.setString(1, sinkName);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    positions.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
                }
            }
        }
        String clusterId = null;
        final Map<String, String> topicIds = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT topic, cluster_id, topic_id FROM sink_source ORDER BY bound_at, topic");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                clusterId = clusterId == null ? rs.getString(2) : clusterId;
                if (clusterId.equals(rs.getString(2))) {
                    topicIds.put(rs.getString(1), rs.getString(3));
                }
            }
        }
        connection.commit();
        return new Checkpoint(clusterId == null ? null : new SourceIdentity(clusterId, topicIds), positions);
    }

    @Override
    public void bind(final SourceIdentity identity) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_SOURCE)) {
            for (final Map.Entry<String, String> topic : identity.topicIds().entrySet()) {
                upsert.setString(1, topic.getKey());
                upsert.setString(2, identity.clusterId());
                upsert.setString(3, topic.getValue());
                upsert.addBatch();
            }
            upsert.executeBatch();
            connection.commit();
        } catch (final SQLException e) {
            throw rolledBack(e);
        }
    }

    /** Empties every table of the output (and every sink's positions in it) in one transaction. */
    @Override
    public void reset() throws SQLException {
        try (Statement truncate = connection.createStatement()) {
            truncate.execute("TRUNCATE " + String.join(", ", TABLES));
            connection.commit();
        } catch (final SQLException e) {
            throw rolledBack(e);
        }
    }

    @Override
    public Written write(final List<PositionedRecord> records) throws SQLException {
        lock.keep();
        final Map<TopicPartition, Long> next = new LinkedHashMap<>();
        // in the order of each statement's batch, to tell from its counts which rows were held already
        final List<PositionedRecord> revisions = new ArrayList<>();
        final List<PositionedRecord> chargeRevisions = new ArrayList<>();
        final List<PositionedRecord> reconciliations = new ArrayList<>();
        try (PreparedStatement latest = connection.prepareStatement(TableRows.UPSERT_RECORD);
             PreparedStatement revision = connection.prepareStatement(TableRows.INSERT_RECORD_REVISION);
             PreparedStatement total = connection.prepareStatement(TableRows.UPSERT_TOTAL);
             PreparedStatement deleteTotal = connection.prepareStatement(TableRows.DELETE_TOTAL);
             PreparedStatement charge = connection.prepareStatement(TableRows.UPSERT_CHARGE);
             PreparedStatement chargeRevision = connection.prepareStatement(TableRows.INSERT_CHARGE_REVISION);
             PreparedStatement alert = connection.prepareStatement(TableRows.UPSERT_ALERT);
             PreparedStatement reconciled = connection.prepareStatement(TableRows.UPSERT_RECONCILIATION);
             PreparedStatement offsets = connection.prepareStatement(UPSERT_OFFSET)) {
            for (final PositionedRecord record : records) {
                next.put(record.source(), record.nextOffset());
                if (record.alert() != null) {
                    TableRows.bindAlert(alert, record.alert());
                    alert.addBatch();
                } else if (record.reconciliation() != null) {
                    TableRows.bindReconciliation(reconciled, record.reconciliation());
                    reconciled.addBatch();
                    reconciliations.add(record);
                } else if (record.charge() != null) {
                    TableRows.bindCharge(charge, record.charge());
                    charge.addBatch();
                    bindSource(chargeRevision, TableRows.bindCharge(chargeRevision, record.charge()), record);
                    chargeRevision.addBatch();
                    chargeRevisions.add(record);
                } else if (record.source().topic().equals(totalsTopic)) {
                    if (record.value() == null) {
                        TableRows.bindPeriodKey(deleteTotal, record.key());
                        deleteTotal.addBatch();
                    } else {
                        TableRows.bindFigures(total, record.value());
                        total.addBatch();
                    }
                } else if (record.value() != null && record.value().status() != RecordStatus.OPEN) {
                    TableRows.bindRecord(latest, record.value());
                    latest.addBatch();
                    bindSource(revision, TableRows.bindRecord(revision, record.value()), record);
                    revision.addBatch();
                    revisions.add(record);
                }
            }
            for (final Map.Entry<TopicPartition, Long> position : next.entrySet()) {
                offsets.setString(1, sinkName);
                offsets.setString(2, position.getKey().topic());
                offsets.setInt(3, position.getKey().partition());
                offsets.setLong(4, position.getValue());
                offsets.addBatch();
            }
            // totals: a tombstone must follow the upserts of its period, so upserts go first; the topic's order
            // guarantees no upsert of a period follows its tombstone
            total.executeBatch();
            deleteTotal.executeBatch();
            final List<PositionedRecord> held = new ArrayList<>();
            final List<RevisionConflict> conflicts = new ArrayList<>();
            conflicts.addAll(held(revision.executeBatch(), revisions, held, TableRows.DIFFERING_RECORD_REVISION,
                    (statement, record) -> statement.setObject(TableRows.bindRecord(statement, record.value()),
                            record.value().recordId())));
            latest.executeBatch();
            conflicts.addAll(held(chargeRevision.executeBatch(), chargeRevisions, held,
                    TableRows.DIFFERING_CHARGE_REVISION, (statement, record) -> statement.setObject(
                            TableRows.bindCharge(statement, record.charge()), record.charge().chargeId())));
            charge.executeBatch();
            alert.executeBatch();
            conflicts.addAll(held(reconciled.executeBatch(), reconciliations, held,
                    TableRows.DIFFERING_RECONCILIATION, (statement, record) -> statement.setObject(
                            TableRows.bindReconciliation(statement, record.reconciliation()),
                            record.reconciliation().reconciliationId())));
            offsets.executeBatch();
            connection.commit();
            return new Written(held, conflicts);
        } catch (final SQLException e) {
            throw rolledBack(e);
        }
    }

    /** Where a revision was read from, in the parameters after its columns. */
    private static void bindSource(final PreparedStatement statement, final int after, final PositionedRecord record)
            throws SQLException {
        statement.setInt(after, record.source().partition());
        statement.setLong(after + 1, record.offset());
    }

    /** Binds a record's columns, then its id, to one of {@link TableRows}' queries of differing columns. */
    @FunctionalInterface
    private interface DifferingBinder {
        void bind(PreparedStatement statement, PositionedRecord record) throws SQLException;
    }

    /**
     * Adds to {@code held} the records of a batch that changed no row (their revision was held already: 0 in
     * {@code counts}), and returns those that differ from the row held under their id. A driver that does not count
     * rows (-2) lets none be found.
     */
    private List<RevisionConflict> held(final int[] counts, final List<PositionedRecord> batch,
                                        final List<PositionedRecord> held, final String query,
                                        final DifferingBinder binder) throws SQLException {
        final List<RevisionConflict> conflicts = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                continue;
            }
            final PositionedRecord record = batch.get(i);
            held.add(record);
            try (PreparedStatement select = connection.prepareStatement(query)) {
                binder.bind(select, record);
                try (ResultSet row = select.executeQuery()) {
                    final List<String> columns = new ArrayList<>();
                    if (row.next()) { // none: the row held is of another revision
                        for (int c = 1; c <= row.getMetaData().getColumnCount(); c++) {
                            if (row.getBoolean(c)) {
                                columns.add(row.getMetaData().getColumnLabel(c));
                            }
                        }
                    }
                    if (!columns.isEmpty()) {
                        conflicts.add(new RevisionConflict(record.source().topic(), record.key(),
                                revisionOf(record), "the columns " + String.join(", ", columns) + " differ"));
                    }
                }
            }
        }
        return conflicts;
    }

    private static int revisionOf(final PositionedRecord record) {
        return record.charge() != null ? record.charge().revision()
                : record.reconciliation() != null ? record.reconciliation().revision() : record.value().revision();
    }

    /**
     * {@code failure}, after rolling its transaction back. On a lost connection the rollback fails too ("This
     * connection has been closed"); the first failure is what tells why, so the rollback's goes with it, suppressed.
     */
    private SQLException rolledBack(final SQLException failure) {
        try {
            connection.rollback();
        } catch (final SQLException rollback) {
            failure.addSuppressed(rollback);
        }
        return failure;
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.close(); // the server lets the lock go with the session
        } finally {
            lock.release();
        }
    }
}
