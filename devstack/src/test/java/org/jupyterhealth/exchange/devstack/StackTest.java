package org.jupyterhealth.exchange.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class StackTest {

    @Test
    void devStackServesTheDemoOn8000() {
        Stack dev = Stack.of("dev", 0);

        assertThat(dev.gatewayPort()).isEqualTo(8000);
        assertThat(dev.httpPort(Service.IDENTITY)).isEqualTo(8081);
        assertThat(dev.httpPort(Service.ADMIN)).isEqualTo(8082);
        assertThat(dev.httpPort(Service.FHIR)).isEqualTo(8083);
        assertThat(dev.httpPort(Service.INGEST)).isEqualTo(8084);
        assertThat(dev.httpPort(Service.CONSOLE)).isEqualTo(8085);
        assertThat(dev.httpPort(Service.GATEWAY)).isEqualTo(8000);
        assertThat(dev.kafkaPort()).isEqualTo(9092);
        assertThat(dev.kafkaControllerPort()).isEqualTo(9093);
        assertThat(dev.databaseName()).isEqualTo("jhe");
        assertThat(dev.folder()).isEqualTo("dev");
        assertThat(dev.localUrl()).isEqualTo("http://localhost:8000");
        assertThat(dev.usesDatabaseRelay()).isFalse();
    }

    @Test
    void eachStackHasItsOwnPortsDatabaseAndBroker() {
        Stack systest = Stack.of("systest", 0);
        Stack unit = Stack.of("unit", 0);
        Stack bench = Stack.of("bench", 0);

        assertThat(systest.gatewayPort()).isEqualTo(18000);
        assertThat(systest.httpPort(Service.INGEST)).isEqualTo(18084);
        assertThat(systest.kafkaPort()).isEqualTo(29092);
        assertThat(systest.databaseRelayPort()).isEqualTo(18089);
        assertThat(systest.databaseName()).isEqualTo("jhe_systest");
        assertThat(systest.usesDatabaseRelay()).isTrue();
        assertThat(unit.kafkaPort()).isEqualTo(19092);
        assertThat(unit.databaseName()).isEqualTo("jhe_test");
        assertThat(bench.gatewayPort()).isEqualTo(28000);
        assertThat(bench.httpPort(Service.FHIR)).isEqualTo(28083);
        assertThat(bench.kafkaPort()).isEqualTo(39092);
        assertThat(bench.databaseName()).isEqualTo("jhe_bench");
    }

    @Test
    void portOffsetShiftsEveryPortAndSuffixesDatabaseAndFolder() {
        Stack systest = Stack.of("systest", 8000);

        assertThat(systest.gatewayPort()).isEqualTo(26000);
        assertThat(systest.httpPort(Service.ADMIN)).isEqualTo(26082);
        assertThat(systest.kafkaPort()).isEqualTo(37092);
        assertThat(systest.kafkaControllerPort()).isEqualTo(37093);
        assertThat(systest.databaseRelayPort()).isEqualTo(26089);
        assertThat(systest.databaseName()).isEqualTo("jhe_systest_8000");
        assertThat(systest.folder()).isEqualTo("systest_8000");
        assertThat(Stack.of("unit", 8000).kafkaPort()).isEqualTo(27092);
    }

    @Test
    void managementPortIsBesideTheHttpPort() {
        Stack dev = Stack.of("dev", 0);

        assertThat(Stack.managementPort(dev.gatewayPort())).isEqualTo(8500);
        assertThat(Stack.managementPort(dev.httpPort(Service.INGEST))).isEqualTo(8584);
        assertThat(Stack.managementPort(dev.httpPort(new Instance(Service.ADMIN, 2)))).isEqualTo(8602);
    }

    @Test
    void replicaListensTenPortsAboveItsServicePerReplica() {
        Stack dev = Stack.of("dev", 0);

        assertThat(dev.httpPort(new Instance(Service.INGEST, 1))).isEqualTo(8094);
        assertThat(dev.httpPort(new Instance(Service.GATEWAY, 3))).isEqualTo(8030);
    }

    @Test
    void noPortOfOneStackIsAPortOfAnother() {
        for (String name : Stack.NAMES) {
            for (String other : Stack.NAMES) {
                if (name.equals(other) || "unit".equals(name) || "unit".equals(other)) {
                    continue;
                }
                Stack a = Stack.of(name, 0);
                Stack b = Stack.of(other, 0);
                assertThat(Math.abs(a.gatewayPort() - b.gatewayPort())).isGreaterThanOrEqualTo(10000);
                assertThat(a.kafkaPort()).isNotIn(b.kafkaPort(), b.kafkaControllerPort());
            }
        }
    }

    @Test
    void mailServerListensFiveAboveKafkaClearOfEveryOtherPortOfEveryStack() {
        assertThat(Stack.of("dev", 0).smtpPort()).isEqualTo(9097);
        assertThat(Stack.of("dev", 0).mailApiPort()).isEqualTo(9098);
        assertThat(Stack.of("unit", 2000).smtpPort()).isEqualTo(21097);
        for (String name : Stack.NAMES) {
            Stack a = Stack.of(name, 0);
            for (String other : Stack.NAMES) {
                Stack b = Stack.of(other, 0);
                assertThat(List.of(a.smtpPort(), a.mailApiPort())).doesNotContain(b.kafkaPort(),
                        b.kafkaControllerPort(), b.databaseRelayPort(), Stack.managementPort(b.gatewayPort()));
                if (!"unit".equals(other)) {
                    // services, replicas and their management ports: the first 100 above the base and above + 500
                    for (int port : List.of(a.smtpPort(), a.mailApiPort())) {
                        int above = port - b.gatewayPort();
                        assertThat(above < 0 || above > 99 && above < 500 || above > 599).isTrue();
                    }
                }
                if (!name.equals(other)) {
                    assertThat(a.smtpPort()).isNotIn(b.smtpPort(), b.mailApiPort());
                }
            }
        }
    }

    @Test
    void refusesAnUnknownStackOrANegativeOffset() {
        assertThatThrownBy(() -> Stack.of("prod", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown stack 'prod' (dev, systest, bench)");
        assertThatThrownBy(() -> Stack.of("dev", -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
