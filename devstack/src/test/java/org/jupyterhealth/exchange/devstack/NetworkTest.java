package org.jupyterhealth.exchange.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class NetworkTest {

    @Test
    void readyIsTheOverallStatusNotACheckOfIt() {
        assertThat(Network.reportsUp("{\"status\": \"UP\", \"checks\": [{\"name\": \"db\", \"status\": \"UP\"}]}"))
                .isTrue();
        assertThat(Network.reportsUp("{\n    \"status\": \"DOWN\",\n    \"checks\": [\n        {\n"
                + "            \"name\": \"kafka\",\n            \"status\": \"UP\"\n        }\n    ]\n}")).isFalse();
        assertThat(Network.reportsUp("<html>Not found</html>")).isFalse();
    }

    @Test
    void aPortIsListenedOnWhileASocketIsBoundToIt() throws IOException {
        int port;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = server.getLocalPort();
            assertThat(Network.listening(port)).isTrue();
        }
        assertThat(Network.listening(port)).isFalse();
    }
}
