package org.jupyterhealth.exchange.devstack;

import java.util.List;
import java.util.Optional;

/**
 * The six services of a stack, in the order {@code ./jhe up} starts them: identity-service first (the others
 * verify tokens against it), the console after the APIs it calls, the gateway last (nothing reaches the others before
 * they are there).
 */
public enum Service {
    IDENTITY("identity-service", 1),
    ADMIN("admin-service", 2),
    FHIR("fhir-service", 3),
    INGEST("ingest-service", 4),
    CONSOLE("console", 5),
    GATEWAY("gateway", 0);

    /**
     * The order {@code ./jhe down} stops them: the gateway first, so that no new request reaches a service that is
     * stopping, then the console (a client of the others), identity-service last, so that the others can verify
     * tokens until they stop.
     */
    public static final List<Service> STOP_ORDER = List.of(GATEWAY, CONSOLE, FHIR, INGEST, ADMIN, IDENTITY);

    private final String id;
    private final int slot;

    Service(String id, int slot) {
        this.id = id;
        this.slot = slot;
    }

    /** The artifact id, folder name and application name ({@code admin-service}). */
    public String id() {
        return id;
    }

    /** The service's HTTP port is its stack's service port base + this (the gateway has a port of its own). */
    int slot() {
        return slot;
    }

    public static Optional<Service> named(String id) {
        for (Service service : values()) {
            if (service.id.equals(id)) {
                return Optional.of(service);
            }
        }
        return Optional.empty();
    }
}
