package org.jupyterhealth.exchange.systemtests;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.jupyterhealth.exchange.common.testing.TestMailServer;
import org.jupyterhealth.exchange.common.testing.TestMailServer.Received;

/**
 * The messages the stack's mail server received, read back from its HTTP API as {@code ./jhe mail ADDRESS} reads
 * them: the services sent them over SMTP, as they would to a clinic's mail server.
 */
final class StackMail {

    private StackMail() {
    }

    /** The address's messages once there are {@code count}, the oldest first. */
    static List<Received> awaitMessages(String address, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> messagesTo(address).size() >= count);
        return messagesTo(address);
    }

    static List<Received> messagesTo(String address) {
        return TestMailServer.messagesTo(SystemStack.PORTS.mailApiPort(), address);
    }
}
