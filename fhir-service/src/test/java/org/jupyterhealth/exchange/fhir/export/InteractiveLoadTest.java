package org.jupyterhealth.exchange.fhir.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * The interactive load as the export's pacing reads it, on a clock the test moves: the most requests in flight at
 * once within the last window, so that clients sending one request after another still count between two.
 */
class InteractiveLoadTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final InteractiveLoad load = new InteractiveLoad(Duration.ofMillis(100), clock::get);

    private void advance(long millis) {
        clock.addAndGet(Duration.ofMillis(millis).toNanos());
    }

    @Test
    void aReplicaWithNoRequestsHasNoLoad() {
        assertThat(load.load()).isZero();
        advance(1_000);
        assertThat(load.load()).isZero();
    }

    @Test
    void requestsInFlightAreTheLoad() {
        load.begin();
        load.begin();
        load.begin();

        assertThat(load.load()).isEqualTo(3);
        advance(1_000);
        assertThat(load.load()).as("still in flight, however long").isEqualTo(3);
        assertThat(load.seen()).isEqualTo(3);
    }

    @Test
    void requestsEndedWithinTheLastWindowStillCountAndThenNoLonger() {
        for (int i = 0; i < 8; i++) {
            load.begin();
        }
        for (int i = 0; i < 8; i++) {
            load.end();
        }

        assertThat(load.load()).as("between two requests of busy clients").isEqualTo(8);
        advance(150);
        assertThat(load.load()).as("the window before the current one").isEqualTo(8);
        advance(100);
        assertThat(load.load()).isZero();
    }

    @Test
    void aQuietStretchLongerThanTwoWindowsForgetsTheLoadAtOnce() {
        load.begin();
        load.end();
        advance(500);

        assertThat(load.load()).isZero();
    }

    @Test
    void onlyBulkExportsOwnPathsAreNotInteractive() {
        assertThat(InteractiveLoad.interactive("/fhir/r5/Observation")).isTrue();
        assertThat(InteractiveLoad.interactive("/FHIR/R5/Patient/40001")).isTrue();
        assertThat(InteractiveLoad.interactive("/api/v1/observations")).isTrue();
        assertThat(InteractiveLoad.interactive("/fhir/r5/Group/30001/$export")).isFalse();
        assertThat(InteractiveLoad.interactive("/fhir/r5/Group/30001/%24export")).isFalse();
        assertThat(InteractiveLoad.interactive("/fhir/r5/$export")).isFalse();
        String job = "0b6f6c1e-0000-0000-0000-000000000000";
        assertThat(InteractiveLoad.interactive("/fhir/r5/_export/" + job)).isFalse();
        assertThat(InteractiveLoad.interactive("/FHIR/R5/_export/" + job + "/Observation-1.ndjson")).isFalse();
    }
}
