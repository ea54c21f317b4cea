package org.jupyterhealth.exchange.systemtests;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.jupyterhealth.exchange.devstack.Service;
import org.jupyterhealth.exchange.devstack.Stack;

import io.restassured.RestAssured;

/**
 * Starts the whole system once for all system tests, exactly as a user would ({@code ./jhe up --detach}) on the
 * {@code systest} stack: gateway on 18000, its own database (recreated) and Kafka broker, demo data loaded.
 * It is stopped with {@code ./jhe down} when the tests end.
 */
public final class SystemStack implements BeforeAllCallback {
    public static final String STACK = "systest";
    /** Shifts every port, as {@code JHE_PORT_OFFSET} does for {@code ./jhe}. */
    public static final int PORT_OFFSET = Integer.parseInt(System.getenv().getOrDefault("JHE_PORT_OFFSET", "0"));
    /** The stack's ports, database and folder, as {@code ./jhe} computes them. */
    public static final Stack PORTS = Stack.of(STACK, PORT_OFFSET);
    public static final int GATEWAY_PORT = PORTS.gatewayPort();
    public static final String BASE_URL = "http://localhost:" + GATEWAY_PORT;
    public static final int IDENTITY_PORT = PORTS.httpPort(Service.IDENTITY);
    public static final int FHIR_PORT = PORTS.httpPort(Service.FHIR);
    /** The HTTP ports of gateway, identity-service, admin-service, fhir-service, ingest-service and console. */
    public static final int[] SERVICE_PORTS = { GATEWAY_PORT, PORTS.httpPort(Service.IDENTITY),
            PORTS.httpPort(Service.ADMIN), PORTS.httpPort(Service.FHIR), PORTS.httpPort(Service.INGEST),
            PORTS.httpPort(Service.CONSOLE) };
    public static final Path ROOT = Path.of(System.getProperty("jhe.root", "..")).toAbsolutePath().normalize();

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SystemStack.class, key -> start(), Running.class);
        RestAssured.baseURI = "http://localhost";
        RestAssured.port = GATEWAY_PORT;
    }

    private static Running start() {
        int exit = jhe("up", "--detach", "--no-build", "--fresh");
        if (exit != 0) {
            jhe("down");
            throw new IllegalStateException("./jhe up --stack systest failed with exit code " + exit);
        }
        return new Running();
    }

    /**
     * Where a service serves its health checks and metrics: its management port, on 127.0.0.1 only, beside its HTTP
     * port as {@code ./jhe} places it (the HTTP port + 500).
     */
    public static String managementUrl(int httpPort, String path) {
        return "http://127.0.0.1:" + Stack.managementPort(httpPort) + "/q/" + path;
    }

    /** Runs {@code ./jhe COMMAND --stack systest ARGS}, its output going to the test log; returns the exit code. */
    public static int jhe(String command, String... args) {
        ProcessBuilder builder = jheCommand(command, args).inheritIO();
        // the stack's identity-service trusts the test EHR, also when a test restarts it
        builder.environment().putAll(EhrIssuer.environment());
        return run(builder);
    }

    /**
     * Runs {@code ./jhe COMMAND --stack systest ARGS} with these environment variables added, its output and errors
     * written to {@code output} (and read by the test); returns the exit code.
     */
    public static int jhe(Map<String, String> environment, Path output, String command, String... args) {
        ProcessBuilder builder = jheCommand(command, args).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        return run(builder);
    }

    private static ProcessBuilder jheCommand(String command, String... args) {
        List<String> line = new ArrayList<>(List.of(ROOT.resolve("jhe").toString(), command, "--stack", STACK));
        line.addAll(List.of(args));
        return new ProcessBuilder(line).directory(ROOT.toFile());
    }

    /** The exit code, or -1 when it has not ended within 10 minutes (then it is killed) or the wait was interrupted. */
    static int run(ProcessBuilder builder) {
        try {
            Process process = builder.start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ./jhe", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Stops the stack when the test run ends (a no-op if a test already stopped it). */
    static final class Running implements AutoCloseable {
        @Override
        public void close() {
            jhe("down");
        }
    }
}
