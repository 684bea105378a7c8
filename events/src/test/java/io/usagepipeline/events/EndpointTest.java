package io.usagepipeline.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The endpoints' names on the wire, as the contract spells them (DESIGN §3). */
class EndpointTest {

    @Test
    void shouldReadEveryEndpointByItsWireName() {
        assertThat(Endpoint.fromWireName("licensedWorkloads")).isEqualTo(Endpoint.LICENSED_WORKLOADS);
        assertThat(Endpoint.fromWireName("licenseResources")).isEqualTo(Endpoint.LICENSE_RESOURCES);
        assertThat(Endpoint.fromWireName("backupServerUsage")).isEqualTo(Endpoint.BACKUP_SERVER_USAGE);
        assertThat(Endpoint.fromWireName("cloudConnectUsage")).isEqualTo(Endpoint.CLOUD_CONNECT_USAGE);
        assertThat(Endpoint.fromWireName("backupServers")).isEqualTo(Endpoint.BACKUP_SERVERS);
        assertThat(Endpoint.fromWireName("organizationUsage")).isEqualTo(Endpoint.ORGANIZATION_USAGE);
        assertThat(Endpoint.fromWireName("licenseReport")).isEqualTo(Endpoint.LICENSE_REPORT);
    }

    @Test
    void shouldRefuseANameTheContractDoesNotHave() {
        assertThatThrownBy(() -> Endpoint.fromWireName("BACKUP_SERVER_USAGE"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown endpoint 'BACKUP_SERVER_USAGE'");
        assertThatThrownBy(() -> Endpoint.fromWireName(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown endpoint 'null'");
    }
}
