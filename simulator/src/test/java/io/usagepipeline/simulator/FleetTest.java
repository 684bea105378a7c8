package io.usagepipeline.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FleetTest {

    private final Fleet fleet = new Fleet(40, 7, Fleet.Dialect.DOCUMENTED, Fleet.Dialect.FIELD);

    @Test
    void shouldFindTheSeriesOfEachApplianceAndScopeAsAScanOfTheWholeFleetDoes() {
        for (final Fleet.Series any : fleet.series()) {
            assertThat(fleet.seriesOf(any.appliance(), null)).as(any.appliance())
                    .containsExactlyElementsOf(scan(any.appliance(), null));
            assertThat(fleet.seriesOf(any.appliance(), any.scope())).as(any.appliance() + " " + any.scope())
                    .containsExactlyElementsOf(scan(any.appliance(), any.scope()));
        }
        assertThat(fleet.seriesOf("vac", "no such tenant")).isEmpty();
        assertThat(fleet.seriesOf("no such appliance", null)).isEmpty();
    }

    private List<Fleet.Series> scan(final String appliance, final String scope) {
        return fleet.series().stream().filter(s -> s.appliance().equals(appliance)
                && (scope == null || s.scope().equals(scope))).toList();
    }
}
