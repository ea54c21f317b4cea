package org.jupyterhealth.exchange.devstack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment a service (or a replica) runs with on a stack: its ports, its database, the broker, the other
 * services' addresses and the public URL. The variables are the ones compose and Kubernetes set, plus the local
 * run's own (profile, bind addresses, signing-key folder).
 */
final class ServiceEnvironment {
    private ServiceEnvironment() {
    }

    /**
     * @param database where the stack's database is (host, port and name as the services reach it: through the
     *                 relay on the systest stack)
     */
    static Map<String, String> of(Settings settings, Stack stack, Instance instance, Database database) {
        int port = stack.httpPort(instance);
        String publicUrl = settings.publicUrl(stack);
        String identity = "http://127.0.0.1:" + stack.httpPort(Service.IDENTITY);
        String admin = "http://127.0.0.1:" + stack.httpPort(Service.ADMIN);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_PROFILE", settings.profile());
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(Stack.managementPort(port)));
        env.put("JHE_DB_HOST", database.host());
        env.put("JHE_DB_PORT", Integer.toString(stack.usesDatabaseRelay() ? stack.databaseRelayPort() : database.port()));
        env.put("JHE_DB_NAME", stack.databaseName());
        env.put("QUARKUS_FLYWAY_USERNAME", settings.dbAdminUser());
        if (settings.dbAdminPassword() != null) {
            env.put("QUARKUS_FLYWAY_PASSWORD", settings.dbAdminPassword());
        }
        if (instance.service().migrates()) {
            // ./jhe ran the migrations before it started the service (see migration below)
            env.put("QUARKUS_FLYWAY_MIGRATE_AT_START", "false");
        }
        env.put("JHE_KAFKA_BOOTSTRAP", "127.0.0.1:" + stack.kafkaPort());
        // every message goes to the stack's own mail server, which keeps it for ./jhe mail
        env.put("QUARKUS_MAILER_HOST", "127.0.0.1");
        env.put("QUARKUS_MAILER_PORT", Integer.toString(stack.smtpPort()));
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", identity + "/o");
        env.put("QUARKUS_OIDC_TOKEN_ISSUER", publicUrl + "/o");
        env.put("JHE_IDENTITY_PUBLIC_URL", publicUrl);
        env.put("JHE_ADMIN_PUBLIC_URL", publicUrl);
        env.put("JHE_FHIR_PUBLIC_URL", publicUrl);
        env.put("JHE_IDENTITY_SIGNING_KEYS_DIR", settings.runDir(stack).resolve("keys").toString());
        env.put("JHE_GATEWAY_IDENTITY_URL", identity);
        env.put("JHE_GATEWAY_ADMIN_URL", admin);
        env.put("JHE_GATEWAY_FHIR_URL", "http://127.0.0.1:" + stack.httpPort(Service.FHIR));
        env.put("JHE_FHIR_ADMIN_URL", admin);
        env.put("JHE_INGEST_ADMIN_URL", admin);
        env.put("JHE_GATEWAY_CONSOLE_URL", "http://127.0.0.1:" + stack.httpPort(Service.CONSOLE));
        env.put("JHE_CONSOLE_PUBLIC_URL", publicUrl);
        env.put("QUARKUS_REST_CLIENT_ADMIN_URL", admin);
        env.put("QUARKUS_REST_CLIENT_FHIR_URL", "http://127.0.0.1:" + stack.httpPort(Service.FHIR));
        // benchmarks play many clients from one address: no per-client limit there; the system tests too, and they
        // sign in far more often than a person: the sign-in and token endpoints are counted with the rest of the API
        // (the gateway's own tests prove their tighter limit)
        if ("bench".equals(stack.name())) {
            env.put("JHE_GATEWAY_RATE_LIMIT_REQUESTS_PER_SECOND", "0");
        }
        if ("systest".equals(stack.name())) {
            env.put("JHE_GATEWAY_RATE_LIMIT_AUTH_REQUESTS_PER_SECOND", "0");
            // an export whose fhir-service was killed is taken up again once its lease runs out: sooner than the
            // default minute, so that the restart test (ExportRestartIT) waits seconds, not a minute
            env.put("JHE_FHIR_EXPORT_LEASE", "10s");
        }
        return env;
    }

    /**
     * The variable that switches a service's demo seed at its start ({@code jhe.<service>.demo-seed}, on in the
     * local profile): {@code JHE_INGEST_DEMO_SEED}.
     */
    static String demoSeedSwitch(Service service) {
        return "JHE_" + service.name() + "_DEMO_SEED";
    }

    /**
     * The environment of a service's migration run, which {@code ./jhe} starts before the service itself: the
     * service's own program and settings, told to run its initialization (Flyway's migrations, as the migration
     * user) and exit ({@code quarkus.init-and-exit}, the switch Quarkus gives a Kubernetes Job) before it serves
     * anything. The service then starts without migrating, as do its replicas, so that no two copies migrate at
     * once and a restart does not pay for Flyway. Its HTTP ports are the system's choice: the run opens none, and a
     * replica of the service may be running on the service's ports.
     */
    static Map<String, String> migration(Settings settings, Stack stack, Service service, Database database) {
        Map<String, String> env = of(settings, stack, new Instance(service, 0), database);
        env.put("QUARKUS_INIT_AND_EXIT", "true");
        env.put("QUARKUS_FLYWAY_MIGRATE_AT_START", "true");
        env.put("QUARKUS_HTTP_PORT", "0");
        env.put("QUARKUS_MANAGEMENT_PORT", "0");
        return env;
    }

    /**
     * The PostgreSQL server a stack uses.
     *
     * @param embedded whether it is the embedded one {@code ./jhe} started
     */
    record Database(String host, int port, boolean embedded) {
    }
}
