package org.jupyterhealth.exchange.identity.internal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.ContractCheck;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;
import org.jupyterhealth.exchange.identity.support.Tokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * identity-service's {@code /internal/**} answers against docs/internal-api.yaml, each endpoint's success and its
 * refusals. Every answer any test of this module obtains is checked the same way (common's ContractViolations);
 * this class makes sure each operation and status is reached at least once.
 */
@QuarkusTest
class IdentityInternalContractTest {

    @Inject
    IdentityFixtures fixtures;

    private static RequestSpecification asService() {
        return given().auth().oauth2(Tokens.serviceToken()).contentType("application/json");
    }

    private static void matches(String method, String path, Response answer) {
        ContractCheck.assertResponse(method, path, answer.statusCode(), answer.asString());
    }

    @Test
    void everyInternalAnswerOfTheseTestsIsChecked() {
        assertThat(ContractCheck.checksInternalAnswers()).isTrue();
    }

    @Test
    void accountsAnswerAsTheContractSays() {
        var created = asService().body(Map.of("email", "contract.account@example.com", "userType", "patient"))
                .when().post("/internal/accounts");
        assertThat(created.statusCode()).isEqualTo(201);
        matches("POST", "/internal/accounts", created);
        long id = created.jsonPath().getLong("id");

        var found = asService().body(Map.of("email", "Contract.Account@example.com")).when().post("/internal/accounts");
        assertThat(found.statusCode()).isEqualTo(200);
        matches("POST", "/internal/accounts", found);
        matches("GET", "/internal/accounts/{id}", asService().when().get("/internal/accounts/" + id));
        matches("PATCH", "/internal/accounts/{id}", asService().body(Map.of("firstName", "Cora"))
                .when().patch("/internal/accounts/" + id));
        matches("POST", "/internal/accounts", asService().body(Map.of("email", "no")).when().post("/internal/accounts"));
        matches("POST", "/internal/accounts/{id}/activation",
                asService().when().post("/internal/accounts/" + id + "/activation"));
        matches("POST", "/internal/accounts/{id}/activation",
                asService().when().post("/internal/accounts/999999999/activation"));
        long active = fixtures.practitioner("contract.active@example.com", true);
        matches("POST", "/internal/accounts/{id}/activation",
                asService().when().post("/internal/accounts/" + active + "/activation"));
        matches("GET", "/internal/accounts/{id}", asService().when().get("/internal/accounts/999999999"));
        matches("DELETE", "/internal/accounts/{id}", asService().when().delete("/internal/accounts/" + id));
        matches("DELETE", "/internal/accounts/{id}",
                asService().when().delete("/internal/accounts/" + id + "?onlyIfUnused=true"));
        matches("GET", "/internal/accounts/{id}", given().when().get("/internal/accounts/" + id));
    }

    @Test
    void clientsAnswerAsTheContractSays() {
        var created = asService().body(Map.of("name", "Contract App", "clientType", "confidential",
                "grantTypes", List.of("authorization_code"), "redirectUris", List.of("https://app.example.com/cb")))
                .when().post("/internal/clients");
        assertThat(created.statusCode()).isEqualTo(201);
        matches("POST", "/internal/clients", created);
        long id = created.jsonPath().getLong("id");

        matches("GET", "/internal/clients", asService().when().get("/internal/clients?ids=" + id + ",999999999"));
        matches("GET", "/internal/clients", asService().when().get("/internal/clients?ids=x"));
        matches("GET", "/internal/clients/{id}", asService().when().get("/internal/clients/" + id));
        matches("PATCH", "/internal/clients/{id}", asService().body(Map.of("name", "Contract App 2"))
                .when().patch("/internal/clients/" + id));
        matches("POST", "/internal/authorization-codes", asService().body(Map.of("userId", 999999999, "clientId", id))
                .when().post("/internal/authorization-codes"));
        matches("DELETE", "/internal/clients/{id}", asService().when().delete("/internal/clients/" + id));
        matches("DELETE", "/internal/clients/{id}", asService().when().delete("/internal/clients/" + id));
    }
}
