package org.jupyterhealth.exchange.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InstanceTest {

    @Test
    void serviceNameIsTheServiceItself() {
        assertThat(Instance.parse("admin-service")).contains(new Instance(Service.ADMIN, 0));
        assertThat(Instance.parse("gateway")).contains(new Instance(Service.GATEWAY, 0));
    }

    @Test
    void suffixOneToNineIsAReplica() {
        assertThat(Instance.parse("ingest-service-2")).contains(new Instance(Service.INGEST, 2));
        assertThat(new Instance(Service.INGEST, 2).name()).isEqualTo("ingest-service-2");
        assertThat(Instance.isReplicaName("ingest-service-2")).isTrue();
        assertThat(Instance.isReplicaName("ingest-service")).isFalse();
    }

    @Test
    void otherNamesAreNoInstance() {
        assertThat(Instance.parse("kafka")).isEmpty();
        assertThat(Instance.parse("kafka-1")).isEmpty();
        assertThat(Instance.parse("postgres")).isEmpty();
        assertThat(Instance.parse("admin-service-10")).isEmpty();
        assertThat(Instance.parse("admin")).isEmpty();
    }

    @Test
    void servicesStopInTheReverseOfTheOrderThatMatters() {
        assertThat(Service.values()).containsExactly(Service.IDENTITY, Service.ADMIN, Service.FHIR, Service.INGEST,
                Service.CONSOLE, Service.GATEWAY);
        assertThat(Service.STOP_ORDER).first().isEqualTo(Service.GATEWAY);
        assertThat(Service.STOP_ORDER).last().isEqualTo(Service.IDENTITY);
        assertThat(Service.STOP_ORDER).containsExactlyInAnyOrder(Service.values());
    }
}
