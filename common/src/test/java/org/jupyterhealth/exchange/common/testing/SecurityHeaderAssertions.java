package org.jupyterhealth.exchange.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;

/**
 * The security headers every answer of the exchange carries, whatever its status, dialect or producer (common
 * {@code SecurityHeaders}); each service's tests apply them to its own answers.
 */
public final class SecurityHeaderAssertions {
    private SecurityHeaderAssertions() {
    }

    /** The headers of every answer, with {@code Cache-Control: no-store}: health data, tokens, errors. */
    public static void assertSecurityHeaders(Response response) {
        assertFramingAndSniffingHeaders(response);
        assertThat(response.header("Cache-Control")).as("Cache-Control").isEqualTo("no-store");
    }

    /** The headers of an answer that chose its own caching (a public discovery document). */
    public static void assertFramingAndSniffingHeaders(Response response) {
        assertThat(response.header("X-Content-Type-Options")).as("X-Content-Type-Options").isEqualTo("nosniff");
        assertThat(response.header("Referrer-Policy")).as("Referrer-Policy").isEqualTo("no-referrer");
        assertThat(response.header("X-Frame-Options")).as("X-Frame-Options").isEqualTo("DENY");
        assertThat(response.header("Content-Security-Policy")).as("Content-Security-Policy")
                .contains("frame-ancestors 'none'");
        assertThat(response.headers().getValues("X-Content-Type-Options")).as("one nosniff").hasSize(1);
        assertThat(response.headers().getValues("Cache-Control")).as("one Cache-Control").hasSize(1);
    }

    /** HSTS on an answer to a request that came over HTTPS, and only then. */
    public static void assertStrictTransportSecurity(Response response, boolean https) {
        if (https) {
            assertThat(response.header("Strict-Transport-Security")).startsWith("max-age=");
        } else {
            assertThat(response.header("Strict-Transport-Security")).isNull();
        }
    }
}
