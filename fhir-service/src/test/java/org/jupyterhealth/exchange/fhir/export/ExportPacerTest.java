package org.jupyterhealth.exchange.fhir.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.fhir.export.ExportPacer.Policy;
import org.jupyterhealth.exchange.fhir.search.ChunkedRead.Step;

/**
 * The pacer's decisions: flat out without interactive load, in turns of smaller chunks with a pause that grows with
 * the load (and with the exports running) up to a bound, so that an export gives way but always goes on.
 */
class ExportPacerTest {
    static final Policy DEFAULTS = new Policy(true, 5000, 500, Duration.ofMillis(2), Duration.ofMillis(50));

    @Test
    void withoutInteractiveRequestsAnExportReadsAheadAtItsFullFetchSize() {
        Step step = DEFAULTS.decide(0, 2);

        assertThat(step.readAhead()).isTrue();
        assertThat(step.size()).isEqualTo(5000);
        assertThat(step.pause()).isZero();
    }

    @Test
    void withInteractiveRequestsAnExportReadsSmallerChunksInTurnsWithAPauseThatGrowsWithTheLoad() {
        Step one = DEFAULTS.decide(1, 1);
        Step eight = DEFAULTS.decide(8, 1);

        assertThat(one.readAhead()).isFalse();
        assertThat(one.size()).isEqualTo(500);
        assertThat(one.pause()).isEqualTo(Duration.ofMillis(2));
        assertThat(eight.readAhead()).isFalse();
        assertThat(eight.size()).isEqualTo(500);
        assertThat(eight.pause()).isEqualTo(Duration.ofMillis(16));
    }

    @Test
    void twoExportsRunningEachPauseLongerSoThatTogetherTheyGiveWayAsOneDoes() {
        assertThat(DEFAULTS.decide(8, 2).pause()).isEqualTo(Duration.ofMillis(32));
    }

    @Test
    void theLongestPauseIsBoundedSoThatAnExportAlwaysGoesOn() {
        assertThat(DEFAULTS.decide(100, 2).pause()).isEqualTo(Duration.ofMillis(50));
        assertThat(DEFAULTS.decide(Integer.MAX_VALUE, Integer.MAX_VALUE).pause()).isEqualTo(Duration.ofMillis(50));
        assertThat(DEFAULTS.decide(Integer.MAX_VALUE, Integer.MAX_VALUE).size()).isEqualTo(500);
        // an hour per request still gives the bound, not an overflow
        assertThat(new Policy(true, 5000, 500, Duration.ofHours(1), Duration.ofMillis(50)).decide(1_000_000, 1_000)
                .pause()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void pacingTurnedOffReadsAheadWhateverTheLoad() {
        Step step = new Policy(false, 5000, 500, Duration.ofMillis(2), Duration.ofMillis(50)).decide(8, 1);

        assertThat(step.readAhead()).isTrue();
        assertThat(step.size()).isEqualTo(5000);
    }

    @Test
    void aPacedChunkIsNeverLargerThanAFullOne() {
        assertThat(new Policy(true, 200, 500, Duration.ofMillis(2), Duration.ofMillis(50)).decide(3, 1).size())
                .isEqualTo(200);
    }
}
