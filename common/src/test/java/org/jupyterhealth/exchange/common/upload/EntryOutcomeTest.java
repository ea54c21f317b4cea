package org.jupyterhealth.exchange.common.upload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Outcomes stay small and storable whatever the upload held. */
class EntryOutcomeTest {

    @Test
    void aLongMessageIsCutWithAnEllipsis() {
        EntryOutcome outcome = EntryOutcome.failed(400, "invalid", "Code not found: " + "x".repeat(1_000_000));

        assertThat(outcome.diagnostics()).hasSize(EntryOutcome.MAX_DIAGNOSTICS).startsWith("Code not found: xxx")
                .endsWith("x…");
    }

    @Test
    void controlCharactersAndHalvesOfSurrogatePairsAreReplacedWholePairsKept() {
        EntryOutcome outcome = EntryOutcome.failed(400, "invalid", "Patient id=4\u00000\u0007\ud800 \ud83d\ude00 ok");

        assertThat(outcome.diagnostics()).isEqualTo("Patient id=4\uFFFD0\uFFFD\uFFFD \ud83d\ude00 ok");
    }

    @Test
    void aQuotedValueIsShortAndPrintable() {
        assertThat(EntryOutcome.quote("Patient/" + "9".repeat(100))).hasSize(EntryOutcome.MAX_QUOTED).endsWith("9…");
        assertThat(EntryOutcome.quote("a\u0000b")).isEqualTo("a\uFFFDb");
        assertThat(EntryOutcome.quote("40001")).isEqualTo("40001");
    }

    @Test
    void ordinaryMessagesAndSuccessesAreKeptAsTheyAre() {
        assertThat(EntryOutcome.failed(409, "duplicate", "Identifier already exists: system=s value=v").diagnostics())
                .isEqualTo("Identifier already exists: system=s value=v");
        assertThat(EntryOutcome.created(60001)).isEqualTo(new EntryOutcome(201, 60001L, null, null));
    }
}
