package org.jupyterhealth.exchange.fhir.support;

import org.jupyterhealth.exchange.common.testing.DemoPersonas;
import org.jupyterhealth.exchange.common.testing.TestTokens;

import io.restassured.RestAssured;

/** Tokens of the demo personas ({@link DemoPersonas}) and of the paging fixture, and the stand-in admin's controls. */
public final class Personas extends DemoPersonas {
    private Personas() {
    }

    /** The practitioner of the paging organization (20009), who sees patient 40010. */
    public static String paige() {
        return TestTokens.practitioner(10012, "paging_paige@example.com");
    }

    /** Sends a control command to the stand-in admin-service (revoke, unavailable, reset). */
    public static void control(String adminUrl, String command) {
        RestAssured.given().baseUri(adminUrl).when().get("/_control/" + command).then().statusCode(200);
    }
}
