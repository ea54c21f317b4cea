package org.jupyterhealth.exchange.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The in-memory list of revoked tokens, fed record by record as the topic delivers them. */
class RevokedTokensTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final RevokedTokens tokens = RevokedTokens.inMemory(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aRevokedTokenIsRefusedUntilItExpires() {
        tokens.apply("jti-1", "{\"jti\":\"jti-1\",\"expiresAt\":\"2026-11-26T13:00:00Z\"}");

        assertThat(tokens.isRevoked("jti-1")).isTrue();
        assertThat(tokens.isRevoked("jti-2")).isFalse();
    }

    @Test
    void aTombstoneForgetsTheToken() {
        tokens.apply("jti-1", "{\"jti\":\"jti-1\",\"expiresAt\":\"2026-11-26T13:00:00Z\"}");

        tokens.apply("jti-1", null);

        assertThat(tokens.isRevoked("jti-1")).isFalse();
        assertThat(tokens.size()).isZero();
    }

    @Test
    void anAlreadyExpiredRevocationIsNotKept() {
        tokens.apply("jti-old", "{\"jti\":\"jti-old\",\"expiresAt\":\"2026-11-26T11:00:00Z\"}");

        assertThat(tokens.size()).isZero();
    }

    @Test
    void aMalformedRecordIsIgnored() {
        tokens.apply("jti-1", "not json");
        tokens.apply(null, "{}");

        assertThat(tokens.size()).isZero();
    }

    @Test
    void purgingForgetsExpiredRevocations() {
        Instant[] now = { NOW };
        RevokedTokens moving = RevokedTokens.inMemory(new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        });
        moving.apply("jti-1", "{\"jti\":\"jti-1\",\"expiresAt\":\"2026-11-26T12:30:00Z\"}");
        now[0] = NOW.plusSeconds(3600);

        assertThat(moving.isRevoked("jti-1")).isFalse();
        moving.purgeExpired();
        assertThat(moving.size()).isZero();
    }
}
