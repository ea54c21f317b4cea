package org.jupyterhealth.exchange.fhir.support;

import org.jupyterhealth.exchange.common.testing.TestTokens;

import io.restassured.RestAssured;

/** Tokens of the demo personas (behaviour.md §5), and the stand-in admin's controls. */
public final class Personas {
    private Personas() {
    }

    public static String mary() {
        return TestTokens.practitioner(10002, "manager_mary@example.com");
    }

    public static String megan() {
        return TestTokens.practitioner(10003, "member_megan@example.com");
    }

    public static String victor() {
        return TestTokens.practitioner(10004, "viewer_victor@example.com");
    }

    public static String tom() {
        return TestTokens.practitioner(10005, "three_org_tom@example.com");
    }

    public static String mark() {
        return TestTokens.practitioner(10008, "manager_mark@example.com");
    }

    public static String admin() {
        return TestTokens.superuser(10001, "admin@example.com");
    }

    public static String peter() {
        return TestTokens.patient(10006, "ll_patient_peter@example.com");
    }

    public static String pat() {
        return TestTokens.patient(10011, "ccl_cardio_patient_pat@example.com");
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
