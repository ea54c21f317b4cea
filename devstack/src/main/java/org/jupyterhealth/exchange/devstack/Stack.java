package org.jupyterhealth.exchange.devstack;

import java.util.List;

/**
 * A set of ports, a database and a folder under {@code .jhe/} that one copy of the system runs with, so that the
 * demo site, the system tests, the modules' tests and the benchmarks can run side by side: {@code dev} (the demo on
 * 8000), {@code systest} (the system tests, 18000), {@code unit} (the modules' tests: a database and a broker only)
 * and {@code bench} (28000). The stacks are 10000 ports apart.
 *
 * <p>A port offset ({@code JHE_PORT_OFFSET}) shifts every port and suffixes the database and folder names, so that
 * several copies of the project can run their stacks on one machine.
 *
 * <p>These are the ports {@code ./jhe} starts each stack on; the system tests take theirs from here, and deploy-tests
 * checks the dev stack's against the services' own configuration.
 *
 * @param name            {@code dev}, {@code systest}, {@code unit} or {@code bench}
 * @param offset          the port offset
 * @param gatewayPort     the gateway's HTTP port, the public one
 * @param servicePortBase identity-service listens on this + 1, admin-service + 2, fhir-service + 3, ingest-service
 *                        + 4, console + 5, the systest stack's database relay + 9
 * @param kafkaPort       the Kafka broker's client port; its controller listens on the next one, the stack's mail
 *                        server (SMTP) on this + 5 and its API on this + 6
 * @param databaseName    the stack's database
 */
public record Stack(String name, int offset, int gatewayPort, int servicePortBase, int kafkaPort,
        String databaseName) {

    public static final List<String> NAMES = List.of("dev", "systest", "unit", "bench");

    /**
     * Health and metrics are served on a management port of their own (never on the public one), bound to
     * 127.0.0.1: the HTTP port + this. Clear of every other port of every stack: services and replicas use the
     * first 100 ports above a stack's gateway port, Kafka two ports at 9092, 19092, 29092 and 39092, the mail server
     * two ports 5 above Kafka's.
     */
    public static final int MANAGEMENT_PORT_SHIFT = 500;

    /** A replica N of a service listens on the service's port + this × N. */
    public static final int REPLICA_PORT_STEP = 10;

    /** The stack called {@code name}, shifted by {@code offset}. */
    public static Stack of(String name, int offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("the port offset cannot be negative: " + offset);
        }
        String suffix = suffix(offset);
        return switch (name) {
            case "dev" -> new Stack(name, offset, 8000 + offset, 8080 + offset, 9092 + offset, "jhe" + suffix);
            case "systest" -> new Stack(name, offset, 18000 + offset, 18080 + offset, 29092 + offset,
                    "jhe_systest" + suffix);
            case "unit" -> new Stack(name, offset, offset, offset, 19092 + offset, "jhe_test" + suffix);
            case "bench" -> new Stack(name, offset, 28000 + offset, 28080 + offset, 39092 + offset,
                    "jhe_bench" + suffix);
            default -> throw new IllegalArgumentException("unknown stack '" + name + "' (dev, systest, bench)");
        };
    }

    private static String suffix(int offset) {
        return offset > 0 ? "_" + offset : "";
    }

    /** The stack's folder under {@code .jhe/}: its pid files, logs, Kafka data and signing keys. */
    public String folder() {
        return name + suffix(offset);
    }

    public int kafkaControllerPort() {
        return kafkaPort + 1;
    }

    /** The stack's mail server (GreenMail) takes SMTP here: the services send their mail to it. */
    public int smtpPort() {
        return kafkaPort + 5;
    }

    /** The mail server's HTTP API, from which {@code ./jhe mail} and the tests read the messages back. */
    public int mailApiPort() {
        return kafkaPort + 6;
    }

    /** The systest stack's services reach PostgreSQL through a relay on this port ({@link DatabaseRelay}). */
    public int databaseRelayPort() {
        return servicePortBase + 9;
    }

    /** Whether the services reach PostgreSQL through a relay that {@code ./jhe stop postgres} can cut. */
    public boolean usesDatabaseRelay() {
        return "systest".equals(name);
    }

    public int httpPort(Service service) {
        return service == Service.GATEWAY ? gatewayPort : servicePortBase + service.slot();
    }

    /** The HTTP port of an instance: a service, or one of its replicas. */
    public int httpPort(Instance instance) {
        return httpPort(instance.service()) + REPLICA_PORT_STEP * instance.replica();
    }

    public static int managementPort(int httpPort) {
        return httpPort + MANAGEMENT_PORT_SHIFT;
    }

    /** The address users reach the stack at, unless {@code JHE_PUBLIC_URL} says otherwise. */
    public String localUrl() {
        return "http://localhost:" + gatewayPort;
    }
}
