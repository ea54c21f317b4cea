package org.jupyterhealth.exchange.identity.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which address a request is counted under: X-Forwarded-For only from a trusted proxy, read from the right. */
class ClientAddressTest {
    private final ClientAddress loopbackOnly = new ClientAddress(List.of("127.0.0.0/8", "::1"));
    private final ClientAddress behindIngress = new ClientAddress(List.of("127.0.0.1", "10.244.0.0/16"));

    @Test
    void aPeerThatIsNotATrustedProxyIsCountedUnderItsOwnAddressWhateverItForwards() {
        assertThat(loopbackOnly.resolve("192.0.2.7", "198.51.100.1")).isEqualTo("192.0.2.7");
        assertThat(loopbackOnly.resolve("192.0.2.7", "198.51.100.2, 127.0.0.1")).isEqualTo("192.0.2.7");
    }

    @Test
    void theGatewaysLastEntryIsTheClientNotWhatTheClientWroteBeforeIt() {
        assertThat(loopbackOnly.resolve("127.0.0.1", "203.0.113.9, 198.51.100.3")).isEqualTo("198.51.100.3");
        assertThat(loopbackOnly.resolve("127.0.0.1", null)).isEqualTo("127.0.0.1");
    }

    @Test
    void hopsThatAreTrustedProxiesThemselvesAreSkipped() {
        assertThat(behindIngress.resolve("10.244.3.17", "203.0.113.9, 198.51.100.4, 10.244.1.2"))
                .isEqualTo("198.51.100.4");
    }

    @Test
    void anEntryThatIsNotAnAddressIsNeverLookedUpTheHopThatWroteItStandsForIt() {
        assertThat(behindIngress.resolve("10.244.3.17", "evil.example.com, 10.244.1.2")).isEqualTo("10.244.1.2");
        assertThat(loopbackOnly.resolve("127.0.0.1", "not an address")).isEqualTo("127.0.0.1");
    }

    @Test
    void oneAddressHasOneSpellingSoACountCannotBeSplit() {
        assertThat(loopbackOnly.resolve("127.0.0.1", "::ffff:198.51.100.5")).isEqualTo("198.51.100.5");
        assertThat(loopbackOnly.resolve("127.0.0.1", "[2001:DB8:0:0::1]")).isEqualTo("2001:db8::1");
        assertThat(loopbackOnly.resolve("::ffff:127.0.0.1", "198.51.100.6")).isEqualTo("198.51.100.6");
    }

    @Test
    void rangesMatchOnTheirPrefixOnly() {
        ClientAddress narrow = new ClientAddress(List.of("10.1.2.128/25"));

        assertThat(narrow.resolve("10.1.2.200", "198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(narrow.resolve("10.1.2.100", "198.51.100.7")).isEqualTo("10.1.2.100");
    }

    @Test
    void aConfigurationThatIsNotAnAddressOrRangeIsRefused() {
        assertThatThrownBy(() -> new ClientAddress(List.of("gateway.internal")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/33")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
