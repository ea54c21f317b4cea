package org.jupyterhealth.exchange.common.testing;

/**
 * Access tokens of the demo users (docs/compatibility.md#demo-data), as identity-service would sign them. A
 * service's test support extends it with its own personas and helpers.
 */
public class DemoPersonas {
    protected DemoPersonas() {
    }

    public static String admin() {
        return TestTokens.superuser(10001, "admin@example.com");
    }

    /** Manager of 20001, 20002, 20003. */
    public static String mary() {
        return TestTokens.practitioner(10002, "manager_mary@example.com");
    }

    /** Member of 20003. */
    public static String megan() {
        return TestTokens.practitioner(10003, "member_megan@example.com");
    }

    /** Viewer of 20003. */
    public static String victor() {
        return TestTokens.practitioner(10004, "viewer_victor@example.com");
    }

    /** Viewer of 20003, member of 20007, manager of 20008. */
    public static String tom() {
        return TestTokens.practitioner(10005, "three_org_tom@example.com");
    }

    /** Manager of 20004-20007: shares no organization with Lifespan Lab (20003). */
    public static String mark() {
        return TestTokens.practitioner(10008, "manager_mark@example.com");
    }

    /** Patient 40001 in 20003. */
    public static String peter() {
        return TestTokens.patient(10006, "ll_patient_peter@example.com");
    }

    /** Patient 40002 in 20003. */
    public static String pamela() {
        return TestTokens.patient(10007, "ll_patient_pamela@example.com");
    }

    /** Patient 40003 in 20007. */
    public static String percy() {
        return TestTokens.patient(10009, "npl_patient_percy@example.com");
    }

    /** Patient 40005 in 20006 and 20008. */
    public static String pat() {
        return TestTokens.patient(10011, "ccl_cardio_patient_pat@example.com");
    }
}
