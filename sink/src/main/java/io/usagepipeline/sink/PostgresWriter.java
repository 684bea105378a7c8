package io.usagepipeline.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.usagepipeline.events.Alert;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Json;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.Reconciliation;
import io.usagepipeline.runtime.Secret;
import io.usagepipeline.events.RecordStatus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;

/**
 * Billing records, charge lines, reconciliation lines and alerts into PostgreSQL. One transaction per batch holds the rows and the new offsets, so the database and
 * the position it resumes from can never disagree: a crash before the commit redoes the batch, after it skips it.
 * The latest-revision table is upserted with a guard that never lowers a revision; revisions are keyed by recordId.
 */
public final class PostgresWriter implements BillingWriter {

    /** Columns bound as JSON text and stored as jsonb; first, since the statements below are built with it. */
    private static final Set<String> JSON_COLUMNS = Set.of("tiers_applied");

    /** The figure columns shared by every table, in the order of {@link #bindCommon}. */
    private static final List<String> COMMON = List.of("series_key", "granularity", "period_start", "period_end",
            "zone", "tenant_id", "source_id", "source_kind", "license_type", "unit", "peak_units", "avg_units",
            "unit_hours", "last_units", "peak_count", "last_count", "samples", "coverage", "first_observed_at",
            "last_observed_at", "as_of");
    private static final List<String> REVISION = List.of("status", "revision", "record_id", "supersedes");

    private static final String UPSERT_LATEST = insert("billing_records", concat(COMMON, REVISION))
            + " ON CONFLICT (series_key, granularity, period_start) DO UPDATE SET "
            + updates(concat(COMMON, REVISION)) + " WHERE billing_records.revision < EXCLUDED.revision";
    private static final String INSERT_REVISION = insert("billing_record_revisions",
            concat(concat(COMMON, REVISION), List.of("source_partition", "source_offset")))
            + " ON CONFLICT (record_id) DO NOTHING";
    private static final String UPSERT_TOTAL = insert("open_totals", COMMON)
            + " ON CONFLICT (series_key, granularity, period_start) DO UPDATE SET " + updates(COMMON);
    private static final String DELETE_TOTAL =
            "DELETE FROM open_totals WHERE series_key = ? AND granularity = ? AND period_start = ?";
    /** The columns of a charge line, in the order of {@link #bindCharge}. */
    private static final List<String> CHARGE = List.of("tenant_id", "month", "line", "zone", "card_id",
            "card_version", "basis", "quantity", "unit", "unit_price", "tiers_applied", "discount_percent", "amount",
            "currency", "priced", "points", "cost", "margin", "status", "revision", "charge_id", "supersedes", "delta",
            "billing_record_ids", "as_of");
    private static final String UPSERT_CHARGE = insert("charges", CHARGE) + " ON CONFLICT (tenant_id, month, line) DO UPDATE SET " + updates(CHARGE)
            + " WHERE charges.revision < EXCLUDED.revision";
    private static final String INSERT_CHARGE_REVISION = insert("charge_revisions",
            concat(CHARGE, List.of("source_partition", "source_offset"))) + " ON CONFLICT (charge_id) DO NOTHING";
    /** The columns of a reconciliation line, in the order of {@link #bindReconciliation}. */
    private static final List<String> RECONCILIATION = List.of("tenant_id", "source_id", "license_type", "month",
            "our_points", "veeam_points", "variance", "cause", "detail", "report_status", "coverage", "our_count",
            "initial_count", "reported_count", "new_count", "weight", "revision", "reconciliation_id", "supersedes",
            "as_of");
    private static final String UPSERT_RECONCILIATION = insert("reconciliation", RECONCILIATION)
            + " ON CONFLICT (tenant_id, source_id, license_type, month) DO UPDATE SET " + updates(RECONCILIATION)
            + " WHERE reconciliation.revision < EXCLUDED.revision";
    /** An episode's start inserts it; its end sets resolved_at and the detail, and nothing undoes that. */
    private static final String UPSERT_ALERT = "INSERT INTO alerts (alert_id, kind, subject, tenant_id, started_at, "
            + "resolved_at, detail) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (alert_id) DO UPDATE SET resolved_at = "
            + "EXCLUDED.resolved_at, detail = EXCLUDED.detail WHERE alerts.resolved_at IS NULL "
            + "AND EXCLUDED.resolved_at IS NOT NULL";
    /** Which columns of a held revision differ from a record's, by the revision's id (no row: none held). */
    private static final String DIFFERING_REVISION = differing("billing_record_revisions", concat(COMMON, REVISION),
            "record_id");
    private static final String DIFFERING_CHARGE = differing("charge_revisions", CHARGE, "charge_id");
    private static final String DIFFERING_RECONCILIATION = differing("reconciliation", RECONCILIATION,
            "reconciliation_id");
    private static final String UPSERT_OFFSET = "INSERT INTO sink_offsets (sink_name, topic, partition, next_offset) "
            + "VALUES (?, ?, ?, ?) ON CONFLICT (sink_name, topic, partition) DO UPDATE SET next_offset = "
            + "EXCLUDED.next_offset";

    private static final String UPSERT_SOURCE = "INSERT INTO sink_source (topic, cluster_id, topic_id) "
            + "VALUES (?, ?, ?) ON CONFLICT (topic) DO UPDATE SET cluster_id = EXCLUDED.cluster_id, "
            + "topic_id = EXCLUDED.topic_id, bound_at = now()";
    /** Every table of the output; a reset empties them all, so that no sink resumes into the rebuilt rows. */
    private static final List<String> TABLES = List.of("billing_records", "billing_record_revisions", "open_totals",
            "charges", "charge_revisions", "alerts", "reconciliation", "sink_offsets", "sink_source");

    private final Connection connection;
    private final String jdbcUrl;
    private final String sinkName;
    private final String totalsTopic;

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
        this.connection = DriverManager.getConnection(jdbcUrl, user, revealed);
        this.jdbcUrl = jdbcUrl.replaceFirst("\\?.*$", ""); // for messages: parameters may hold a password
        this.sinkName = sinkName;
        this.totalsTopic = totalsTopic;
        Migrations.apply(connection, jdbcUrl, user, revealed);
        connection.setAutoCommit(false);
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
            connection.rollback();
            throw e;
        }
    }

    /** Empties every table of the output (and every sink's positions in it) in one transaction. */
    @Override
    public void reset() throws SQLException {
        try (Statement truncate = connection.createStatement()) {
            truncate.execute("TRUNCATE " + String.join(", ", TABLES));
            connection.commit();
        } catch (final SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    @Override
    public List<RevisionConflict> write(final List<PositionedRecord> records) throws SQLException {
        final Map<TopicPartition, Long> next = new LinkedHashMap<>();
        // in the order of each statement's batch, to tell from its counts which rows were held already
        final List<PositionedRecord> revisions = new ArrayList<>();
        final List<PositionedRecord> chargeRevisions = new ArrayList<>();
        final List<PositionedRecord> reconciliations = new ArrayList<>();
        try (PreparedStatement latest = connection.prepareStatement(UPSERT_LATEST);
             PreparedStatement revision = connection.prepareStatement(INSERT_REVISION);
             PreparedStatement total = connection.prepareStatement(UPSERT_TOTAL);
             PreparedStatement deleteTotal = connection.prepareStatement(DELETE_TOTAL);
             PreparedStatement charge = connection.prepareStatement(UPSERT_CHARGE);
             PreparedStatement chargeRevision = connection.prepareStatement(INSERT_CHARGE_REVISION);
             PreparedStatement alert = connection.prepareStatement(UPSERT_ALERT);
             PreparedStatement reconciled = connection.prepareStatement(UPSERT_RECONCILIATION);
             PreparedStatement offsets = connection.prepareStatement(UPSERT_OFFSET)) {
            for (final PositionedRecord record : records) {
                next.put(record.source(), record.nextOffset());
                if (record.alert() != null) {
                    bindAlert(alert, record.alert());
                    alert.addBatch();
                } else if (record.reconciliation() != null) {
                    bindReconciliation(reconciled, record.reconciliation());
                    reconciled.addBatch();
                    reconciliations.add(record);
                } else if (record.charge() != null) {
                    bindCharge(charge, record.charge());
                    charge.addBatch();
                    bindCharge(chargeRevision, record.charge());
                    chargeRevision.setInt(CHARGE.size() + 1, record.source().partition());
                    chargeRevision.setLong(CHARGE.size() + 2, record.offset());
                    chargeRevision.addBatch();
                    chargeRevisions.add(record);
                } else if (record.source().topic().equals(totalsTopic)) {
                    if (record.value() == null) {
                        bindKey(deleteTotal, record.key());
                        deleteTotal.addBatch();
                    } else {
                        bindCommon(total, record.value());
                        total.addBatch();
                    }
                } else if (record.value() != null && record.value().status() != RecordStatus.OPEN) {
                    bindCommon(latest, record.value());
                    bindRevision(latest, COMMON.size(), record.value());
                    latest.addBatch();
                    bindCommon(revision, record.value());
                    bindRevision(revision, COMMON.size(), record.value());
                    revision.setInt(COMMON.size() + REVISION.size() + 1, record.source().partition());
                    revision.setLong(COMMON.size() + REVISION.size() + 2, record.offset());
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
            final List<RevisionConflict> conflicts = new ArrayList<>();
            conflicts.addAll(conflicts(revision.executeBatch(), revisions, DIFFERING_REVISION, (statement, record) -> {
                bindCommon(statement, record.value());
                bindRevision(statement, COMMON.size(), record.value());
                statement.setObject(COMMON.size() + REVISION.size() + 1, record.value().recordId());
            }));
            latest.executeBatch();
            conflicts.addAll(conflicts(chargeRevision.executeBatch(), chargeRevisions, DIFFERING_CHARGE,
                    (statement, record) -> {
                        bindCharge(statement, record.charge());
                        statement.setObject(CHARGE.size() + 1, record.charge().chargeId());
                    }));
            charge.executeBatch();
            alert.executeBatch();
            conflicts.addAll(conflicts(reconciled.executeBatch(), reconciliations, DIFFERING_RECONCILIATION,
                    (statement, record) -> {
                        bindReconciliation(statement, record.reconciliation());
                        statement.setObject(RECONCILIATION.size() + 1, record.reconciliation().reconciliationId());
                    }));
            offsets.executeBatch();
            connection.commit();
            return conflicts;
        } catch (final SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    /** Binds a record's columns, then its id, to a {@link #differing} query. */
    @FunctionalInterface
    private interface DifferingBinder {
        void bind(PreparedStatement statement, PositionedRecord record) throws SQLException;
    }

    /**
     * The records of a batch that changed no row (their revision was held already: 0 in {@code counts}) and differ
     * from the row held under their id. A driver that does not count rows (-2) lets none be found.
     */
    private List<RevisionConflict> conflicts(final int[] counts, final List<PositionedRecord> batch, final String query,
                                             final DifferingBinder binder) throws SQLException {
        final List<RevisionConflict> conflicts = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                continue;
            }
            final PositionedRecord record = batch.get(i);
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

    private static void bindCommon(final PreparedStatement statement, final PeriodRecord r) throws SQLException {
        int i = 1;
        statement.setString(i++, r.seriesKey());
        statement.setString(i++, r.granularity().name());
        statement.setObject(i++, timestamp(r.periodStart()));
        statement.setObject(i++, timestamp(r.periodEnd()));
        statement.setString(i++, r.zone());
        statement.setString(i++, r.tenantId());
        statement.setString(i++, r.sourceId());
        statement.setString(i++, r.sourceKind().name());
        statement.setString(i++, r.licenseType());
        statement.setString(i++, r.unit());
        statement.setBigDecimal(i++, r.peakUnits());
        statement.setBigDecimal(i++, r.avgUnits());
        statement.setBigDecimal(i++, r.unitHours());
        statement.setBigDecimal(i++, r.lastUnits());
        statement.setLong(i++, r.peakCount());
        statement.setLong(i++, r.lastCount());
        statement.setLong(i++, r.samples());
        statement.setBigDecimal(i++, r.coverage());
        statement.setObject(i++, timestamp(r.firstObservedAt()));
        statement.setObject(i++, timestamp(r.lastObservedAt()));
        statement.setObject(i, timestamp(r.asOf()));
    }

    private void bindCharge(final PreparedStatement statement, final ChargeLine c) throws SQLException {
        int i = 1;
        statement.setString(i++, c.tenantId());
        statement.setString(i++, c.month());
        statement.setString(i++, c.line());
        statement.setString(i++, c.zone());
        statement.setString(i++, c.cardId());
        statement.setString(i++, c.cardVersion());
        statement.setString(i++, c.basis());
        statement.setBigDecimal(i++, c.quantity());
        statement.setString(i++, c.unit());
        statement.setBigDecimal(i++, c.unitPrice());
        try {
            statement.setString(i++, Json.mapper().writeValueAsString(c.tiersApplied()));
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("tiers that JSON cannot hold", e);
        }
        statement.setBigDecimal(i++, c.discountPercent());
        statement.setBigDecimal(i++, c.amount());
        statement.setString(i++, c.currency());
        statement.setBoolean(i++, c.priced());
        statement.setBigDecimal(i++, c.points());
        statement.setBigDecimal(i++, c.cost());
        statement.setBigDecimal(i++, c.margin());
        statement.setString(i++, c.status().name());
        statement.setInt(i++, c.revision());
        statement.setObject(i++, c.chargeId());
        statement.setObject(i++, c.supersedes());
        statement.setBigDecimal(i++, c.delta());
        statement.setArray(i++, connection.createArrayOf("uuid", c.billingRecordIds().toArray()));
        statement.setObject(i, timestamp(c.asOf()));
    }

    private static void bindReconciliation(final PreparedStatement statement, final Reconciliation r)
            throws SQLException {
        int i = 1;
        statement.setString(i++, r.tenantId());
        statement.setString(i++, r.sourceId());
        statement.setString(i++, r.licenseType());
        statement.setString(i++, r.month());
        statement.setBigDecimal(i++, r.ourPoints());
        statement.setBigDecimal(i++, r.veeamPoints());
        statement.setBigDecimal(i++, r.variance());
        statement.setString(i++, r.cause().name());
        statement.setString(i++, r.detail());
        statement.setString(i++, r.reportStatus() == null ? null : r.reportStatus().wireName());
        statement.setBigDecimal(i++, r.coverage());
        statement.setObject(i++, r.ourCount());
        statement.setObject(i++, r.initialCount());
        statement.setObject(i++, r.reportedCount());
        statement.setObject(i++, r.newCount());
        statement.setBigDecimal(i++, r.weight());
        statement.setInt(i++, r.revision());
        statement.setObject(i++, r.reconciliationId());
        statement.setObject(i++, r.supersedes());
        statement.setObject(i, timestamp(r.asOf()));
    }

    private static void bindAlert(final PreparedStatement statement, final Alert a) throws SQLException {
        statement.setObject(1, a.alertId());
        statement.setString(2, a.kind().name());
        statement.setString(3, a.subject());
        statement.setString(4, a.tenantId());
        statement.setObject(5, timestamp(a.startedAt()));
        statement.setObject(6, timestamp(a.resolvedAt()));
        statement.setString(7, a.detail());
    }

    private static void bindRevision(final PreparedStatement statement, final int after, final PeriodRecord r)
            throws SQLException {
        statement.setString(after + 1, r.status().name());
        statement.setInt(after + 2, r.revision());
        statement.setObject(after + 3, r.recordId());
        statement.setObject(after + 4, r.supersedes());
    }

    private static void bindKey(final PreparedStatement statement, final String periodKey) throws SQLException {
        final Keys.PeriodKey key = Keys.parsePeriodKey(periodKey);
        statement.setString(1, key.seriesKey());
        statement.setString(2, key.granularity().name());
        statement.setObject(3, timestamp(key.periodStart()));
    }

    private static OffsetDateTime timestamp(final Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static String insert(final String table, final List<String> columns) {
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + columns.stream().map(column -> JSON_COLUMNS.contains(column) ? "CAST(? AS jsonb)" : "?")
                .collect(Collectors.joining(", ")) + ")";
    }

    /** A query of which {@code columns} of the row with an id differ from the values bound, each by its name. */
    private static String differing(final String table, final List<String> columns, final String id) {
        return "SELECT " + columns.stream().map(column -> column + " IS DISTINCT FROM "
                        + (JSON_COLUMNS.contains(column) ? "CAST(? AS jsonb)" : "?") + " AS " + column)
                .collect(Collectors.joining(", ")) + " FROM " + table + " WHERE " + id + " = ?";
    }

    private static String updates(final List<String> columns) {
        return columns.stream().map(column -> column + " = EXCLUDED." + column).collect(Collectors.joining(", "));
    }

    private static List<String> concat(final List<String> a, final List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
