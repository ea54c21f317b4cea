package org.jupyterhealth.exchange.fhir.support;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Links as the service writes them: on the exchange's configured public URL ({@code jhe.fhir.public-url} of the
 * test profile), never on the address a test reached it at. Following one means taking its path and query.
 */
public final class Links {
    public static final String PUBLIC_URL = "https://fhir.test.example";

    private Links() {
    }

    /** The path and query of a link written on the public URL; fails when the link is not on it. */
    public static String local(String link) {
        assertThat(link).startsWith(PUBLIC_URL + "/");
        return link.substring(PUBLIC_URL.length());
    }
}
