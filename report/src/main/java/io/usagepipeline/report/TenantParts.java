package io.usagepipeline.report;

import io.usagepipeline.events.Alert;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.Reconciliation;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What of a month's records is each tenant's, for its statement: its DAY records (the charts), its reconciliation
 * lines and its alerts, grouped once for all tenants. Picking each tenant's out of the whole month, statement by
 * statement, made a month of 1,000 tenants take half a minute.
 */
final class TenantParts {

    private final Map<String, List<PeriodRecord>> days;
    private final Map<String, List<PeriodRecord>> months;
    private final Map<String, List<Reconciliation>> reconciliation;
    private final Map<String, List<Alert>> alerts;

    TenantParts(final MonthData data) {
        days = data.records().values().stream().filter(record -> record.granularity() == Granularity.DAY)
                .collect(Collectors.groupingBy(PeriodRecord::tenantId));
        months = data.records().values().stream().filter(record -> record.granularity() == Granularity.MONTH)
                .collect(Collectors.groupingBy(PeriodRecord::tenantId));
        reconciliation = data.reconciliation().stream().filter(line -> line.tenantId() != null)
                .collect(Collectors.groupingBy(Reconciliation::tenantId));
        // an alert about no tenant (a source that stopped answering) is on no tenant's statement
        alerts = data.alerts().stream().filter(alert -> alert.tenantId() != null)
                .collect(Collectors.groupingBy(Alert::tenantId));
    }

    List<PeriodRecord> days(final String tenant) {
        return days.getOrDefault(tenant, List.of());
    }

    List<PeriodRecord> months(final String tenant) {
        return months.getOrDefault(tenant, List.of());
    }

    List<Reconciliation> reconciliation(final String tenant) {
        return reconciliation.getOrDefault(tenant, List.of());
    }

    List<Alert> alerts(final String tenant) {
        return alerts.getOrDefault(tenant, List.of());
    }
}
