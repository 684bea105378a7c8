package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.usagepipeline.events.Alert;
import io.usagepipeline.events.AlertKind;
import io.usagepipeline.events.Endpoint;
import io.usagepipeline.events.RawPoll;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each alert kind of the processor, its start and its end, on stream time (maxGap PT3H, spike factor 2 and 10). */
class AlertRulesTopologyTest {

    private static final Instant T0 = Instant.parse("2026-03-10T00:00:00Z");
    private static final String AWS_TARGET = "aws-acme/licensedWorkloads/-";
    private static final String VBR = "vac-eu-2|vac-eu|VBR_vSphere_VM"; // tenant 2 of vac-eu is not mapped

    @Test
    void shouldRaiseTargetFailingOnceItsDeadlinePassesAndResolveItWithTheNextCompletePoll() {
        final List<RawPoll> polls = new ArrayList<>(List.of(Polls.aws(T0, 3), Polls.aws(hours(1), 3)));
        for (int h = 2; h <= 6; h++) {
            polls.add(Polls.failed("aws-acme", Endpoint.LICENSED_WORKLOADS, null, "acme", hours(h)));
        }
        polls.add(Polls.aws(hours(7), 3));

        final List<Alert> alerts = run(polls);

        assertThat(alerts).extracting(Alert::kind, Alert::subject, Alert::tenantId, Alert::startedAt,
                Alert::resolvedAt).containsExactly(
                tuple(AlertKind.TARGET_FAILING, AWS_TARGET, "acme", hours(4), null), // last complete + maxGap
                tuple(AlertKind.TARGET_FAILING, AWS_TARGET, "acme", hours(4), hours(7)));
        assertThat(alerts.get(0).alertId()).isEqualTo(alerts.get(1).alertId());
    }

    @Test
    void shouldNotRaiseTargetFailingForATargetThatFailsForLessThanMaxGap() {
        assertThat(run(List.of(Polls.aws(T0, 3),
                Polls.failed("aws-acme", Endpoint.LICENSED_WORKLOADS, null, "acme", hours(1)),
                Polls.failed("aws-acme", Endpoint.LICENSED_WORKLOADS, null, "acme", hours(2)),
                Polls.aws(hours(3), 3)))).isEmpty();
    }

    @Test
    void shouldRaiseDroppedToZeroForASeriesAboveZeroForADayAndResolveItWhenItIsBack() {
        final List<RawPoll> polls = new ArrayList<>();
        for (int h = 0; h <= 24; h++) {
            polls.add(Polls.vac(hours(h), "VBR_vSphere_VM", 5, "CC_Server_Backup", 1));
        }
        polls.add(Polls.vac(hours(25), "CC_Server_Backup", 1)); // the VBR series is gone from the answer
        polls.add(Polls.vac(hours(26), "CC_Server_Backup", 1));
        polls.add(Polls.vac(hours(27), "VBR_vSphere_VM", 3, "CC_Server_Backup", 1));

        final List<Alert> alerts = run(polls);

        assertThat(alerts).extracting(Alert::kind, Alert::subject, Alert::startedAt, Alert::resolvedAt)
                .containsExactly(tuple(AlertKind.DROPPED_TO_ZERO, VBR, hours(25), null),
                        tuple(AlertKind.DROPPED_TO_ZERO, VBR, hours(25), hours(27)));
        assertThat(alerts.get(0).detail()).startsWith("absent from its target's answer after 5 instances");
    }

    @Test
    void shouldNotCallASeriesComingBackAfterADayAtZeroASpike() {
        final List<RawPoll> polls = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            polls.add(Polls.vac(hours(h), "VBR_vSphere_VM", 0, "CC_Server_Backup", 1)); // March 10 at zero
        }
        polls.add(Polls.vac(hours(24), "VBR_vSphere_VM", 40, "CC_Server_Backup", 1));

        assertThat(run(polls)).isEmpty();
    }

    @Test
    void shouldNotRaiseDroppedToZeroForASeriesAboveZeroForLessThanADay() {
        assertThat(run(List.of(Polls.vac(T0, "VBR_vSphere_VM", 5), Polls.vac(hours(23), "VBR_vSphere_VM", 5),
                Polls.vac(hours(23).plusSeconds(1800), "VBR_vSphere_VM", 0)))) // sparse: the target failed between
                .extracting(Alert::kind).containsOnly(AlertKind.TARGET_FAILING);
    }

    @Test
    void shouldRaiseASpikeOverTwiceTheDayBeforesPeakAndAtLeastTenAboveIt() {
        final List<RawPoll> polls = new ArrayList<>();
        for (int h = 0; h < 24; h++) { // March 10: a peak of 20
            polls.add(Polls.vac(hours(h), "VBR_vSphere_VM", h == 10 ? 20 : 12, "CC_Server_Backup", 1));
        }
        polls.add(Polls.vac(hours(24), "VBR_vSphere_VM", 18, "CC_Server_Backup", 3));
        polls.add(Polls.vac(hours(25), "VBR_vSphere_VM", 40, "CC_Server_Backup", 3)); // twice: not above it
        polls.add(Polls.vac(hours(26), "VBR_vSphere_VM", 41, "CC_Server_Backup", 3)); // above, and 21 above: a spike
        polls.add(Polls.vac(hours(27), "VBR_vSphere_VM", 45, "CC_Server_Backup", 3)); // the same episode
        polls.add(Polls.vac(hours(28), "VBR_vSphere_VM", 22, "CC_Server_Backup", 3)); // back
        // CC_Server_Backup went from 1 to 3: three times, but only 2 above, so not a spike

        final List<Alert> alerts = run(polls);

        assertThat(alerts).extracting(Alert::kind, Alert::subject, Alert::startedAt, Alert::resolvedAt)
                .containsExactly(tuple(AlertKind.SPIKE, VBR, hours(26), null),
                        tuple(AlertKind.SPIKE, VBR, hours(26), hours(28)));
        assertThat(alerts.get(0).detail()).isEqualTo("41 instances, more than 2 times the day before's peak of 20: "
                + "check it before it is billed");
    }

    @Test
    void shouldGiveTheSameAlertsWhenTheSameRawHistoryIsReplayed() {
        final List<RawPoll> polls = new ArrayList<>();
        for (int h = 0; h < 60; h++) {
            polls.add(h % 17 > 12 ? Polls.failed("vac-eu", Endpoint.BACKUP_SERVER_USAGE, "2", null, hours(h))
                    : Polls.vac(hours(h), "VBR_vSphere_VM", h > 40 && h < 44 ? 0 : 5 + (h > 30 ? 30 : 0)));
        }

        final List<Alert> first = run(polls);

        assertThat(first).extracting(Alert::kind).contains(AlertKind.TARGET_FAILING, AlertKind.DROPPED_TO_ZERO,
                AlertKind.SPIKE);
        assertThat(run(polls)).isEqualTo(first);
    }

    private static List<Alert> run(final List<RawPoll> polls) {
        try (TopologyHarness harness = new TopologyHarness(ProcessorConfig.defaults())) {
            polls.forEach(harness::pipe);
            return harness.alerts();
        }
    }

    private static Instant hours(final int h) {
        return T0.plus(Duration.ofHours(h));
    }
}
