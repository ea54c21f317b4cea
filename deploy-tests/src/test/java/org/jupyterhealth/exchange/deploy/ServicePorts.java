package org.jupyterhealth.exchange.deploy;

/**
 * The ports of each service: its HTTP port ({@code quarkus.http.port}, the same locally, in compose and in
 * Kubernetes) and its management port ({@code quarkus.management.port}: health and metrics, in compose and in
 * Kubernetes; {@code ./jhe} moves it beside the HTTP port).
 */
final class ServicePorts {
    private ServicePorts() {
    }

    static int of(String service) {
        return ServiceConfig.of(service).httpPort();
    }

    static int management(String service) {
        return ServiceConfig.of(service).managementPort();
    }
}
