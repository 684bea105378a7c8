package io.usagepipeline.cli.run;

import io.usagepipeline.simulator.Faults;
import io.usagepipeline.simulator.Fleet;
import io.usagepipeline.simulator.LicenseReports;
import io.usagepipeline.simulator.SimulatorServer;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * What the demo's fleet goes through on purpose, so that its summary and statements show every alert the processor
 * raises (DESIGN §4d): an appliance that answers with server errors for five hours four days ago (TARGET_FAILING,
 * then its end), and a series that surges to four times its level for six hours six days ago (SPIKE). Drops to zero
 * come with the fleet's own removals, and an unpriced license type with the sample rate card.
 *
 * <p>Last month's license report has what real reports contain (DESIGN §4c, {@link #reportAdjustments}): a count the
 * provider lowered, a server the console could not collect, an organization the console's usage does not show, and
 * a company of the console's usage that the report leaves out.
 * New workloads come with the fleet's own growth.
 */
public final class DemoIncidents {

    /** Attempts per request in the catch-up: its clock is virtual, so the collector's retries need not wait long. */
    public static final int ATTEMPTS = 3;
    private static final int FAILING_POLLS = 5;
    private static final int SURGE_FACTOR = 4;

    private final SimulatorServer simulator;
    private final Instant outageSlot;
    private final String outageAppliance;

    private DemoIncidents(final SimulatorServer simulator, final Instant outageSlot, final String outageAppliance) {
        this.simulator = simulator;
        this.outageSlot = outageSlot;
        this.outageAppliance = outageAppliance;
    }

    /** An organization only Veeam's report has, with this many VMs. */
    public static final String FOREIGN_ORGANIZATION = "Vandelay Industries";
    private static final int FOREIGN_VMS = 4;
    private static final int ADJUSTMENT = -2;

    /** Plants the surge and the report's differences in the fleet's truth now, and remembers when the outage begins. */
    public static DemoIncidents plant(final SimulatorServer simulator, final Instant now, final Duration pollInterval) {
        final Fleet fleet = simulator.fleet();
        reportAdjustments(fleet, YearMonth.from(now.atOffset(ZoneOffset.UTC)).minusMonths(1))
                .forEach(simulator.reports()::add);
        final Instant surgeAt = now.minus(Duration.ofDays(6)).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(12));
        // a series the day before surgeAt was well above zero and not far above its level then: a clear spike
        surgeCandidate(fleet, surgeAt).ifPresent(series -> fleet.surge(series.key(), surgeAt,
                surgeAt.plus(Duration.ofHours(6)), SURGE_FACTOR));
        final Instant outage = now.minus(Duration.ofDays(4)).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(8));
        final String appliance = fleet.appliances().keySet().stream().filter(key -> key.startsWith("azure/"))
                .sorted().findFirst().orElse("vac");
        return new DemoIncidents(simulator, outage.minusMillis(outage.toEpochMilli() % pollInterval.toMillis()),
                appliance);
    }

    /** Called before the collector polls a slot: the appliance starts failing at its slot. */
    public void beforeSlot(final Instant slot) {
        if (slot.equals(outageSlot)) {
            // every attempt of the next five polls of this appliance fails; then it answers again
            simulator.faults().add(new Faults.Rule(outageAppliance, Faults.Kind.SERVER_ERROR,
                    ATTEMPTS * FAILING_POLLS, null, null, null));
        }
    }

    /**
     * What last month's report plants: the first VSPC company with more than two VMs at the month's end has its count
     * lowered by two; the next one with two backup servers, each holding some of its VMs, had its first server not
     * collected; an organization the console does not show bills four VMs; and the last of the other companies, where
     * there are two or more, is left out of the report, though the console's usage shows its workloads.
     */
    public static List<LicenseReports.Adjustment> reportAdjustments(final Fleet fleet, final YearMonth month) {
        final Instant lastHour = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)
                .minus(Duration.ofHours(1));
        final List<LicenseReports.Adjustment> adjustments = new ArrayList<>();
        final List<String> companies = new ArrayList<>(new TreeSet<>(fleet.vspcCompanies().keySet()));
        final Optional<String> adjusted = companies.stream()
                .filter(company -> vms(fleet, company, lastHour) > -ADJUSTMENT).findFirst();
        adjusted.ifPresent(company -> adjustments.add(new LicenseReports.Adjustment(
                LicenseReports.AdjustmentKind.ADJUSTED_COUNT, company, "VBR_VM", ADJUSTMENT, month.toString())));
        companies.stream().filter(company -> adjusted.map(a -> !a.equals(company)).orElse(true))
                .filter(company -> fleet.backupServersOf(company).size() >= 2
                        && vms(fleet, company, lastHour) >= fleet.backupServersOf(company).size())
                .findFirst().ifPresent(company -> adjustments.add(new LicenseReports.Adjustment(
                        LicenseReports.AdjustmentKind.NOT_COLLECTED, company, null, null, month.toString())));
        adjustments.add(new LicenseReports.Adjustment(LicenseReports.AdjustmentKind.ONLY_IN_REPORT,
                FOREIGN_ORGANIZATION, "VBR_VM", FOREIGN_VMS, month.toString()));
        final List<String> planted = adjustments.stream().map(LicenseReports.Adjustment::company).toList();
        final List<String> others = companies.stream().filter(company -> !planted.contains(company)).toList();
        if (others.size() >= 2) { // one company stays whose lines differ by new workloads at most
            adjustments.add(new LicenseReports.Adjustment(LicenseReports.AdjustmentKind.LEFT_OUT,
                    others.get(others.size() - 1), null, null, month.toString()));
        }
        return adjustments;
    }

    private static int vms(final Fleet fleet, final String company, final Instant at) {
        return fleet.seriesOf(Fleet.VSPC_USAGE, company).stream().filter(series -> series.type().equals("VBR_VM"))
                .mapToInt(series -> fleet.count(series, at)).sum();
    }

    /**
     * An AWS series (its units are its objects) well above zero all the day before, whose peak then was less than
     * 1.67 times its level at the surge: four times that level is then clearly a spike.
     */
    private static Optional<Fleet.Series> surgeCandidate(final Fleet fleet, final Instant at) {
        final Instant dayBefore = at.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
        return fleet.series().stream().filter(series -> series.appliance().startsWith("aws/")).filter(series -> {
            final int level = fleet.count(series, at);
            final int[] dayBeforeLevels = IntStream.range(0, 24)
                    .map(h -> fleet.count(series, dayBefore.plus(Duration.ofHours(h)).plusSeconds(30))).toArray();
            return level >= 5 && IntStream.of(dayBeforeLevels).min().orElse(0) > 0
                    && IntStream.of(dayBeforeLevels).max().orElse(0) * 12 < level * 20;
        }).findFirst();
    }
}
