package org.jupyterhealth.exchange.devstack;

import java.util.function.UnaryOperator;

/** What {@code ./jhe up} prints once the stack is ready: where it is, the demo users and OAuth clients. */
final class Welcome {
    private Welcome() {
    }

    /**
     * @param url              the public URL
     * @param gatewayManagement the gateway's management port (health and metrics)
     * @param smtpPort         the mail server's SMTP port
     * @param logs             the log folder, relative to the project's
     * @param seconds          how long the start took
     * @param bold             how to show emphasis
     */
    static String text(String url, int gatewayManagement, int smtpPort, String logs, long seconds, UnaryOperator<String> bold) {
        return """

                %s   (ready in %d s)

                  Console          %s/console/   (sign in as a demo user below)
                  OAuth discovery  %s/o/.well-known/openid-configuration
                  Admin API        %s/api/v1/        FHIR R5  %s/fhir/r5/
                  Health, metrics  http://127.0.0.1:%d/q/health, /q/metrics (gateway; every service's: ./jhe status)
                  Logs             %s
                  Mail             sent to the local mail server (127.0.0.1:%d, nothing leaves this machine);
                                   read it with ./jhe mail [ADDRESS]

                  Demo users (password %s):
                    admin@example.com (superuser)    manager_mary@example.com    member_megan@example.com
                    viewer_victor@example.com        three_org_tom@example.com   manager_mark@example.com
                    patients: ll_patient_peter@example.com  ll_patient_pamela@example.com  npl_patient_percy@example.com
                              ccl_patient_paul@example.com  ccl_cardio_patient_pat@example.com

                  Demo OAuth clients (client_id):
                    jhe-demo        public, password + refresh_token (scripts, the guide's Python example)
                    jhe-admin-ui    public, authorization_code + PKCE
                    jhe-console     the console's own: confidential, authorization_code + PKCE
                    carex  commonhealth  patient-access   public patient apps (authorization_code, invitations)
                    sof-ehr-launch  confidential, client_credentials (secret sof-ehr-launch-dev-secret)

                  Try:  curl -s -d grant_type=password -d client_id=jhe-demo \\
                          -d username=manager_mary@example.com -d 'password=Jhe1234!' %s/o/token/

                """.formatted(bold.apply("JupyterHealth Exchange is running: " + url), seconds, url, url, url, url,
                gatewayManagement, logs, smtpPort, bold.apply("Jhe1234!"), url);
    }
}
