package org.jupyterhealth.exchange.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;

/** The checker itself: it accepts what the contract says and names what breaks it. */
class ContractCheckTest {

    @Test
    void acceptsAnAnswerAsTheContractDescribesIt() {
        assertThat(ContractCheck.responseProblems("GET", "/internal/accounts/12", 200, """
                {"id": 12, "email": "a@example.com", "firstName": "A", "lastName": null, "userType": "patient",
                 "isSuperuser": false}""")).isEmpty();
        assertThat(ContractCheck.responseProblems("DELETE", "/internal/accounts/{id}", 204, "")).isEmpty();
        assertThat(ContractCheck.responseProblems("GET", "/internal/access/observations?userId=1", 200, """
                {"grants": [{"patientIds": [40001], "codes": [{"system": "s", "code": "c"}]}]}""")).isEmpty();
    }

    @Test
    void namesARenamedFieldAnUnlistedStatusAndAnUnknownPath() {
        assertThat(ContractCheck.responseProblems("GET", "/internal/accounts/12", 200, """
                {"id": 12, "mail": "a@example.com", "firstName": "A", "lastName": null, "userType": "patient",
                 "isSuperuser": false}""")).isNotEmpty().anyMatch(p -> p.contains("email"));
        assertThat(ContractCheck.responseProblems("GET", "/internal/accounts/12", 500, "{\"detail\": \"x\"}"))
                .singleElement().asString().contains("no such status");
        assertThat(ContractCheck.responseProblems("GET", "/internal/nothing", 200, "{}")).hasSize(1);
        assertThat(ContractCheck.responseProblems("POST", "/internal/accounts", 201, """
                {"id": 12, "email": "a@example.com", "firstName": "A", "lastName": null, "userType": "patient",
                 "isSuperuser": false}""")).anyMatch(p -> p.contains("created"));
    }

    @Test
    void checksARequestsParametersAndBody() {
        assertThat(ContractCheck.requestProblems("GET",
                URI.create("/internal/access/patients?userId=10002&studyId=30001"), null)).isEmpty();
        assertThat(ContractCheck.requestProblems("GET", URI.create("/internal/access/patients?studyId=x"), null))
                .anyMatch(p -> p.contains("userId")).anyMatch(p -> p.contains("studyId"));
        assertThat(ContractCheck.requestProblems("GET", URI.create("/internal/patients?ids=1,2,x"), null))
                .hasSize(1);
        assertThat(ContractCheck.requestProblems("GET", URI.create("/internal/codes?page=2"), null)).hasSize(1);
        assertThat(ContractCheck.requestProblems("POST", URI.create("/internal/access/uploads"),
                "{\"userId\": 1, \"entries\": [{\"patientId\": 2, \"system\": \"s\", \"code\": \"c\","
                        + " \"dataSourceId\": null}]}")).isEmpty();
        assertThat(ContractCheck.requestProblems("POST", URI.create("/internal/access/uploads"),
                "{\"user\": 1, \"entries\": []}")).isNotEmpty();
    }

    @Test
    void checksKafkaValues() {
        assertThat(ContractCheck.messageProblems("AdminEvent", """
                {"type": "CONSENT_CHANGED", "patientId": 40001, "studyId": 30001, "organizationId": null,
                 "practitionerUserId": null, "occurredAt": "2025-01-01T00:00:00Z"}""")).isEmpty();
        assertThat(ContractCheck.messageProblems("AdminEvent", "{\"type\": \"PATIENT_GONE\"}")).isNotEmpty();
        assertThatThrownBy(() -> ContractCheck.assertMessage("UploadResult", "{}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("uploadId");
    }
}
