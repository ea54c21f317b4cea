package org.jupyterhealth.exchange.common.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class MailRelayTest {

    @Test
    void theWaitDoublesAfterEachFailureUpToItsLongest() {
        Duration initial = Duration.ofSeconds(2);
        Duration max = Duration.ofMinutes(15);

        assertThat(MailRelay.backOff(1, initial, max)).isEqualTo(Duration.ofSeconds(2));
        assertThat(MailRelay.backOff(2, initial, max)).isEqualTo(Duration.ofSeconds(4));
        assertThat(MailRelay.backOff(9, initial, max)).isEqualTo(Duration.ofSeconds(512));
        assertThat(MailRelay.backOff(10, initial, max)).isEqualTo(max);
        assertThat(MailRelay.backOff(1000, initial, max)).isEqualTo(max);
    }
}
