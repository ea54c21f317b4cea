package org.jupyterhealth.exchange.devstack;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running copy of a service: the service itself ({@code admin-service}, replica 0) or replica N beside it
 * ({@code admin-service-2}), which {@code ./jhe replica} starts on the service's port + 10 × N.
 *
 * @param service the service
 * @param replica 0 for the service itself, otherwise 1 to 9
 */
public record Instance(Service service, int replica) {
    private static final Pattern REPLICA = Pattern.compile("(.+)-([1-9])");

    /** The instance called {@code name}, if it names one. */
    public static Optional<Instance> parse(String name) {
        Matcher replica = REPLICA.matcher(name);
        if (replica.matches()) {
            return Service.named(replica.group(1)).map(s -> new Instance(s, Integer.parseInt(replica.group(2))));
        }
        return Service.named(name).map(s -> new Instance(s, 0));
    }

    /** Whether the name is a replica's, as its pid file is called ({@code SERVICE-N}). */
    public static boolean isReplicaName(String name) {
        return REPLICA.matcher(name).matches() && parse(name).isPresent();
    }

    /** The name of its pid file and log ({@code admin-service}, {@code admin-service-2}). */
    public String name() {
        return replica == 0 ? service.id() : service.id() + "-" + replica;
    }
}
