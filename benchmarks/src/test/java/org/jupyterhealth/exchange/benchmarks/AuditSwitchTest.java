package org.jupyterhealth.exchange.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The audit comparison's arithmetic: what a run of the search or upload benchmark reports as met or not. */
class AuditSwitchTest {

    /** A run of 20 s at this rate whose latencies are all this long (so its p99 is that long). */
    private static LoadRunner.Result run(double perSecond, long p99Millis, long errors) {
        Histogram latencies = new Histogram(3);
        latencies.recordValueWithCount(p99Millis * 1000, 100);
        return new LoadRunner.Result("run", 32, Math.round(perSecond * 20), errors, 20, latencies);
    }

    private static LoadRunner.Result run(double perSecond, long p99Millis) {
        return run(perSecond, p99Millis, 0);
    }

    @Test
    void aMachineSlowingDownThroughTheRunsDoesNotCountAgainstAuditing() {
        // the machine loses 10% a run; auditing costs nothing: on 1000, off 900, on 810, off 729, on 656
        AuditSwitch.Verdict verdict = AuditSwitch.compare("search",
                List.of(run(1000, 40), run(810, 49), run(656, 61)), List.of(run(900, 44), run(729, 55)));

        // pairs 111%, 90%, 111%, 90%: a lone off run after the first on run would have said 90% at best
        assertThat(verdict.throughputPercent()).isCloseTo(100.5, within(0.5));
        assertThat(verdict.met()).isTrue();
    }

    @Test
    void oneSlowMinuteDoesNotDecideTheComparison() {
        // the last audit-on run fell on a minute when the machine was busy with something else
        AuditSwitch.Verdict verdict = AuditSwitch.compare("search",
                List.of(run(1500, 40), run(1480, 41), run(1000, 80)), List.of(run(1550, 39), run(1500, 40)));

        // pairs 97%, 95%, 99%, 67%: that run alone against the audit-off run before it would have said 67%
        assertThat(verdict.throughputPercent()).isCloseTo(96, within(1.0));
        assertThat(verdict.p99Percent()).isCloseTo(104, within(1.0));
        assertThat(verdict.met()).isTrue();
    }

    @Test
    void auditingThatCostsAFifthIsNotMet() {
        AuditSwitch.Verdict verdict = AuditSwitch.compare("search",
                List.of(run(800, 50), run(790, 51), run(810, 50)), List.of(run(1000, 40), run(1000, 40)));

        assertThat(verdict.throughputPercent()).isCloseTo(80, within(0.5));
        assertThat(verdict.met()).isFalse();
    }

    @Test
    void aSlowerP99AloneIsNotMet() {
        AuditSwitch.Verdict verdict = AuditSwitch.compare("search",
                List.of(run(1000, 60), run(1000, 60)), List.of(run(1000, 40)));

        assertThat(verdict.throughputPercent()).isCloseTo(100, within(0.5));
        assertThat(verdict.p99Percent()).isCloseTo(150, within(1.0));
        assertThat(verdict.met()).isFalse();
    }

    @Test
    void aRunWithFailedRequestsIsNotMet() {
        AuditSwitch.Verdict verdict = AuditSwitch.compare("upload",
                List.of(run(1000, 40), run(1000, 40, 3)), List.of(run(1000, 40)));

        assertThat(verdict.met()).isFalse();
    }

    @Test
    void auditOnIsMeasuredAroundEveryAuditOffRun() {
        assertThatThrownBy(() -> AuditSwitch.compare("search", List.of(run(1000, 40)), List.of(run(1000, 40))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
