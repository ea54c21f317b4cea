package org.jupyterhealth.exchange.deploy;

/** The HTTP port of each service: its own quarkus.http.port, the same locally, in compose and in Kubernetes. */
final class ServicePorts {
    private ServicePorts() {
    }

    static int of(String service) {
        return ServiceConfig.of(service).httpPort();
    }
}
