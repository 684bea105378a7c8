package io.usagepipeline.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.usagepipeline.events.Alert;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Json;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.Reconciliation;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How each record becomes a row of the sink's tables: their columns, the statements that write a row and find which
 * columns of a held one differ, and the binding of a record to them. Each binder returns the index of the first
 * parameter after the record's columns, where a statement's own parameters (a source position, an id) follow.
 */
final class TableRows {

    /** Columns bound as JSON text and stored as jsonb; first, since the statements below are built with it. */
    private static final Set<String> JSON_COLUMNS = Set.of("tiers_applied");

    /** The figure columns of a billing record and of an open total, in the order of {@link #bindFigures}. */
    private static final List<String> FIGURES = List.of("series_key", "granularity", "period_start", "period_end",
            "zone", "tenant_id", "source_id", "source_kind", "license_type", "unit", "peak_units", "avg_units",
            "unit_hours", "last_units", "peak_count", "last_count", "samples", "coverage", "first_observed_at",
            "last_observed_at", "as_of");
    /** A billing record's columns, in the order of {@link #bindRecord}: its figures, then its revision. */
    private static final List<String> RECORD = concat(FIGURES, List.of("status", "revision", "record_id",
            "supersedes"));
    /** The columns of a charge line, in the order of {@link #bindCharge}. */
    private static final List<String> CHARGE = List.of("tenant_id", "month", "line", "zone", "card_id",
            "card_version", "basis", "quantity", "unit", "unit_price", "tiers_applied", "discount_percent", "amount",
            "currency", "priced", "points", "cost", "margin", "status", "revision", "charge_id", "supersedes", "delta",
            "billing_record_ids", "as_of");
    /** The columns of a reconciliation line, in the order of {@link #bindReconciliation}. */
    private static final List<String> RECONCILIATION = List.of("tenant_id", "source_id", "license_type", "month",
            "our_points", "veeam_points", "variance", "cause", "detail", "report_status", "coverage", "our_count",
            "initial_count", "reported_count", "new_count", "weight", "revision", "reconciliation_id", "supersedes",
            "as_of");
    /** Where a revision was read from, after its columns. */
    private static final List<String> SOURCE = List.of("source_partition", "source_offset");

    /** The latest revision of each period; an upsert that never lowers a revision. */
    static final String UPSERT_RECORD = insert("billing_records", RECORD)
            + " ON CONFLICT (series_key, granularity, period_start) DO UPDATE SET " + updates(RECORD)
            + " WHERE billing_records.revision < EXCLUDED.revision";
    static final String INSERT_RECORD_REVISION = insert("billing_record_revisions", concat(RECORD, SOURCE))
            + " ON CONFLICT (record_id) DO NOTHING";
    static final String UPSERT_TOTAL = insert("open_totals", FIGURES)
            + " ON CONFLICT (series_key, granularity, period_start) DO UPDATE SET " + updates(FIGURES);
    static final String DELETE_TOTAL =
            "DELETE FROM open_totals WHERE series_key = ? AND granularity = ? AND period_start = ?";
    static final String UPSERT_CHARGE = insert("charges", CHARGE)
            + " ON CONFLICT (tenant_id, month, line) DO UPDATE SET " + updates(CHARGE)
            + " WHERE charges.revision < EXCLUDED.revision";
    static final String INSERT_CHARGE_REVISION = insert("charge_revisions", concat(CHARGE, SOURCE))
            + " ON CONFLICT (charge_id) DO NOTHING";
    static final String UPSERT_RECONCILIATION = insert("reconciliation", RECONCILIATION)
            + " ON CONFLICT (tenant_id, source_id, license_type, month) DO UPDATE SET " + updates(RECONCILIATION)
            + " WHERE reconciliation.revision < EXCLUDED.revision";
    /** An episode's start inserts it; its end sets resolved_at and the detail, and nothing undoes that. */
    static final String UPSERT_ALERT = "INSERT INTO alerts (alert_id, kind, subject, tenant_id, started_at, "
            + "resolved_at, detail) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (alert_id) DO UPDATE SET resolved_at = "
            + "EXCLUDED.resolved_at, detail = EXCLUDED.detail WHERE alerts.resolved_at IS NULL "
            + "AND EXCLUDED.resolved_at IS NOT NULL";
    /** Which columns of a held revision differ from a record's, by the revision's id (no row: none held). */
    static final String DIFFERING_RECORD_REVISION = differing("billing_record_revisions", RECORD, "record_id");
    static final String DIFFERING_CHARGE_REVISION = differing("charge_revisions", CHARGE, "charge_id");
    static final String DIFFERING_RECONCILIATION = differing("reconciliation", RECONCILIATION,
            "reconciliation_id");

    private TableRows() {
    }

    /** An open total's columns. */
    static int bindFigures(final PreparedStatement statement, final PeriodRecord r) throws SQLException {
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
        statement.setObject(i++, timestamp(r.asOf()));
        return i;
    }

    /** A billing record's columns: its figures and its revision. */
    static int bindRecord(final PreparedStatement statement, final PeriodRecord r) throws SQLException {
        int i = bindFigures(statement, r);
        statement.setString(i++, r.status().name());
        statement.setInt(i++, r.revision());
        statement.setObject(i++, r.recordId());
        statement.setObject(i++, r.supersedes());
        return i;
    }

    /** A charge line's columns. */
    static int bindCharge(final PreparedStatement statement, final ChargeLine c) throws SQLException {
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
        statement.setArray(i++, statement.getConnection().createArrayOf("uuid", c.billingRecordIds().toArray()));
        statement.setObject(i++, timestamp(c.asOf()));
        return i;
    }

    /** A reconciliation line's columns. */
    static int bindReconciliation(final PreparedStatement statement, final Reconciliation r) throws SQLException {
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
        statement.setObject(i++, timestamp(r.asOf()));
        return i;
    }

    /** An alert's columns. */
    static void bindAlert(final PreparedStatement statement, final Alert a) throws SQLException {
        statement.setObject(1, a.alertId());
        statement.setString(2, a.kind().name());
        statement.setString(3, a.subject());
        statement.setString(4, a.tenantId());
        statement.setObject(5, timestamp(a.startedAt()));
        statement.setObject(6, timestamp(a.resolvedAt()));
        statement.setString(7, a.detail());
    }

    /** The open total a tombstone removes, by its period key. */
    static void bindPeriodKey(final PreparedStatement statement, final String periodKey) throws SQLException {
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
}
