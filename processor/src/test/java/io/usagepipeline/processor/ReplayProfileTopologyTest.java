package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.events.Alert;
import io.usagepipeline.events.AlertKind;
import io.usagepipeline.events.RawPoll;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The replay profile publishes the billing records the live one does, revision for revision, and nothing per poll:
 * a replay only needs the records. A processor catching up under it runs the alert rules; a recomputation (the
 * {@code replay} command) does not.
 */
class ReplayProfileTopologyTest {

    private static final Instant START = Instant.parse("2026-02-26T00:00:00Z");

    @Test
    void shouldPublishTheSameBillingRecordsAndNoPerPollOutputs() {
        final List<RawPoll> polls = new ArrayList<>();
        for (int hour = 0; hour < 6 * 24; hour++) {
            final Instant at = START.plus(Duration.ofHours(hour)).plusSeconds(30);
            polls.add(Polls.aws(at, 3 + hour % 7));
            polls.add(Polls.vac(at, "VBR_vSphere_VM", 10 + hour / 24, "CC_Server_Backup", hour % 24 < 12 ? 2 : 0));
        }
        // a late poll of the second day restates it
        polls.add(Polls.aws(START.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(90)), 40));

        try (TopologyHarness live = new TopologyHarness(ProcessorConfig.defaults());
             TopologyHarness replay = new TopologyHarness(ProcessorConfig.defaults(), Profile.REPLAY)) {
            polls.forEach(live::pipe);
            polls.forEach(replay::pipe);

            final var liveRecords = live.billing();
            assertThat(liveRecords).as("days and a month closed, one day restated").hasSizeGreaterThan(10)
                    .anyMatch(record -> record.revision() == 2);
            assertThat(replay.billing()).containsExactlyElementsOf(liveRecords);
            assertThat(live.observations()).isNotEmpty();
            assertThat(live.totals()).isNotEmpty();
            assertThat(replay.observations()).isEmpty();
            assertThat(replay.totals()).isEmpty();
        }
    }

    @Test
    void shouldRunTheAlertRulesWhenCatchingUpButNotInARecomputation() {
        final List<RawPoll> polls = new ArrayList<>();
        // five workloads for two days, then none: the series dropped to zero
        for (int hour = 0; hour < 3 * 24; hour++) {
            polls.add(Polls.aws(START.plus(Duration.ofHours(hour)).plusSeconds(30), hour < 2 * 24 ? 5 : 0));
        }

        try (TopologyHarness live = new TopologyHarness(ProcessorConfig.defaults());
             TopologyHarness catchUp = new TopologyHarness(ProcessorConfig.defaults(), Profile.REPLAY, Run.SERVICE);
             TopologyHarness recomputation = new TopologyHarness(ProcessorConfig.defaults(), Profile.REPLAY,
                     Run.RECOMPUTATION)) {
            polls.forEach(live::pipe);
            polls.forEach(catchUp::pipe);
            polls.forEach(recomputation::pipe);

            final List<Alert> alerts = live.alerts();
            assertThat(alerts).extracting(Alert::kind).containsExactly(AlertKind.DROPPED_TO_ZERO);
            assertThat(catchUp.alerts()).containsExactlyElementsOf(alerts);
            assertThat(recomputation.alerts()).isEmpty();
            assertThat(recomputation.billing()).isNotEmpty().containsExactlyElementsOf(live.billing());
        }
    }
}
