package org.jupyterhealth.exchange.devstack;

import java.util.List;
import java.util.Optional;

/**
 * The six services of a stack, in the order {@code ./jhe up} starts them: identity-service first (the others
 * verify tokens against it), the console after the APIs it calls, the gateway last (nothing reaches the others before
 * they are there).
 */
public enum Service {
    IDENTITY("identity-service", 1, true),
    ADMIN("admin-service", 2, true),
    FHIR("fhir-service", 3, true),
    INGEST("ingest-service", 4, true),
    CONSOLE("console", 5, false),
    GATEWAY("gateway", 0, false);

    /**
     * The order {@code ./jhe down} stops them: the gateway first, so that no new request reaches a service that is
     * stopping, then the console (a client of the others), identity-service last, so that the others can verify
     * tokens until they stop.
     */
    public static final List<Service> STOP_ORDER = List.of(GATEWAY, CONSOLE, FHIR, INGEST, ADMIN, IDENTITY);

    private final String id;
    private final int slot;
    private final boolean migrates;

    Service(String id, int slot, boolean migrates) {
        this.id = id;
        this.slot = slot;
        this.migrates = migrates;
    }

    /** The artifact id, folder name and application name ({@code admin-service}). */
    public String id() {
        return id;
    }

    /**
     * Whether it has a schema of its own, which Flyway migrates: {@code ./jhe} runs its migrations once before it
     * starts (see {@link ServiceEnvironment#migration}), and it starts without migrating.
     */
    public boolean migrates() {
        return migrates;
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
