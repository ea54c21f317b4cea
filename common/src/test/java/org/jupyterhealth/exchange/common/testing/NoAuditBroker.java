package org.jupyterhealth.exchange.common.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A test profile for a service whose broker of audit events is unreachable: the {@code audit-events} channel points
 * at a port where nothing listens, the rest of Kafka is as usual, and the broker is given up on after 2 s.
 */
public class NoAuditBroker implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mp.messaging.outgoing.audit-events.bootstrap.servers", "127.0.0.1:" + freePort(),
                "jhe.audit.ack-timeout", "2s");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
