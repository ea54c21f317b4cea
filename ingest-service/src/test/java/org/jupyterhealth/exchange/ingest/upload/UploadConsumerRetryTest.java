package org.jupyterhealth.exchange.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.vertx.pgclient.PgException;

/**
 * Which failures an upload waits out and which send it to the dead-letter topic after a few attempts: a failure
 * that would happen again must never hold the partition.
 */
class UploadConsumerRetryTest {

    static PgException sqlState(String state) {
        return new PgException("refused", "ERROR", state, null);
    }

    @ParameterizedTest
    @ValueSource(strings = { "54000", "22P05", "22021", "22003", "22008", "23505", "42P01", "XX000", "P0001" })
    void aFailureThatWouldRecurIsNotWaitedOut(String state) {
        assertThat(UploadConsumer.isTransient(new RuntimeException(sqlState(state)))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "08006", "08001", "57P01", "57P03", "53300", "40001", "40P01" })
    void anUnreachableOrRestartingDatabaseIsWaitedOut(String state) {
        assertThat(UploadConsumer.isTransient(sqlState(state))).isTrue();
    }

    @Test
    void anOutcomeTheBrokerRefusesIsNotProducedAgainButAnAbsentBrokerIsWaitedFor() {
        assertThat(UploadConsumer.brokerMayTakeItLater(new RecordTooLargeException("too large"))).isFalse();
        assertThat(UploadConsumer.brokerMayTakeItLater(new IllegalStateException(new TimeoutException("no broker"))))
                .isTrue();
        assertThat(UploadConsumer.brokerMayTakeItLater(new NotLeaderOrFollowerException("moving"))).isTrue();
    }
}
