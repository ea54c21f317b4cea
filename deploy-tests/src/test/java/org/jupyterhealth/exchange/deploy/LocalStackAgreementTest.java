package org.jupyterhealth.exchange.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.devstack.Service;
import org.jupyterhealth.exchange.devstack.Stack;

/**
 * The local run ({@code ./jhe up}, devstack's {@link Stack}) serves each service on the HTTP port of its own
 * configuration, the port compose and Kubernetes use too: a user finds the same service at the same port
 * everywhere, and the port is written in one place per side.
 */
class LocalStackAgreementTest {

    @Test
    void devStackServesEachServiceOnItsConfiguredHttpPort() {
        Stack dev = Stack.of("dev", 0);

        for (Service service : Service.values()) {
            assertThat(dev.httpPort(service)).as(service.id()).isEqualTo(ServicePorts.of(service.id()));
        }
    }

    @Test
    void localManagementPortsAreClearOfEveryServicesHttpPort() {
        Stack dev = Stack.of("dev", 0);

        for (Service service : Service.values()) {
            int management = Stack.managementPort(dev.httpPort(service));
            for (Service other : Service.values()) {
                assertThat(management).as(service.id() + " beside " + other.id())
                        .isNotEqualTo(ServicePorts.of(other.id()));
            }
        }
    }
}
