package org.jupyterhealth.exchange.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.gateway.config.GatewayConfig;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class ProxyRoutesTest {
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    GatewayConfig config;

    @Test
    void healthNamesTheReleaseWithoutAskingAnyService() {
        given()
                .when().get("/health")
                .then().statusCode(200)
                .contentType("application/json")
                .body("status", equalTo("ok"))
                .body("version", matchesPattern("v\\d+\\.\\d+\\.\\d+.*"))
                .body("service", nullValue());
    }

    @Test
    void routesTheAppLinkFilesToAdminServiceAndNoOtherWellKnownPath() {
        given().when().get("/.well-known/apple-app-site-association").then().statusCode(200)
                .body("service", equalTo("admin")).body("path", equalTo("/.well-known/apple-app-site-association"));
        given().when().get("/.well-known/assetlinks.json").then().statusCode(200)
                .body("service", equalTo("admin")).body("path", equalTo("/.well-known/assetlinks.json"));
        given().when().get("/.well-known/security.txt").then().statusCode(404);
    }

    @Test
    void routesTheSiteAddressAndConsolePathsToTheConsoleAndNoOtherUnknownPath() {
        given().redirects().follow(false).when().get("/").then().statusCode(200)
                .body("service", equalTo("console")).body("path", equalTo("/"));
        given().when().get("/console").then().statusCode(200).body("service", equalTo("console"));
        given().when().get("/console/patients/7?page=2").then().statusCode(200)
                .body("service", equalTo("console")).body("path", equalTo("/console/patients/7"))
                .body("query", equalTo("page=2"));
        given().contentType("application/x-www-form-urlencoded").formParam("a", "b")
                .when().post("/console/organizations/1/members/remove").then().statusCode(200)
                .body("service", equalTo("console"));
        given().when().get("/consoles").then().statusCode(404);
        given().when().get("/index.html").then().statusCode(404);
    }

    @Test
    void routesOAuthPathsToIdentityService() {
        given()
                .when().post("/o/token/")
                .then().statusCode(200).body("service", equalTo("identity")).body("path", equalTo("/o/token/"));
        given()
                .when().get("/o/.well-known/openid-configuration")
                .then().statusCode(200).body("service", equalTo("identity"));
        given()
                .when().get("/o/activate?token=Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb3dEf6hIj9")
                .then().statusCode(200).body("service", equalTo("identity")).body("path", equalTo("/o/activate"))
                .body("query", equalTo("token=Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb3dEf6hIj9"));
        given().contentType("application/x-www-form-urlencoded").formParam("token", "x")
                .when().post("/o/activate")
                .then().statusCode(200).body("service", equalTo("identity")).body("path", equalTo("/o/activate"));
        given().contentType("application/json").body("{}")
                .when().post("/o/password")
                .then().statusCode(200).body("service", equalTo("identity")).body("path", equalTo("/o/password"));
    }

    @Test
    void routesObservationsToFhirServiceWithTheirQuery() {
        given()
                .when().get("/api/v1/observations?organization_id=20003&study_id=30001")
                .then().statusCode(200)
                .body("service", equalTo("fhir"))
                .body("path", equalTo("/api/v1/observations"))
                .body("query", equalTo("organization_id=20003&study_id=30001"));
        given()
                .when().get("/api/v1/observations/60001")
                .then().statusCode(200).body("service", equalTo("fhir"));
    }

    @Test
    void routesAFhirSourcesReferenceIndexingToFhirServiceAndTheRestOfFhirSourcesToAdminService() {
        given().when().post("/api/v1/fhir_sources/90001/index_refs")
                .then().statusCode(200).body("service", equalTo("fhir"))
                .body("path", equalTo("/api/v1/fhir_sources/90001/index_refs"));
        given().when().get("/api/v1/fhir_sources/90001").then().statusCode(200).body("service", equalTo("admin"));
        given().when().get("/api/v1/fhir_sources").then().statusCode(200).body("service", equalTo("admin"));
        given().when().get("/api/v1/fhir_sources/90001/index_refs/more")
                .then().statusCode(200).body("service", equalTo("admin"));
    }

    @Test
    void routesTheRestOfTheAdminApiAndItsSchemaToAdminService() {
        given().when().get("/api/v1/patients").then().statusCode(200).body("service", equalTo("admin"));
        given().when().get("/api/v1/users/profile").then().statusCode(200).body("service", equalTo("admin"));
        given().when().get("/api/schema/").then().statusCode(200).body("service", equalTo("admin"));
    }

    @Test
    void routesBothFhirBaseCasingsToFhirService() {
        given().when().get("/fhir/r5/Observation?patient=40001").then().statusCode(200)
                .body("service", equalTo("fhir")).body("path", equalTo("/fhir/r5/Observation"));
        given().when().get("/FHIR/R5/Patient").then().statusCode(200)
                .body("service", equalTo("fhir")).body("path", equalTo("/FHIR/R5/Patient"));
        given().when().post("/fhir/r5").then().statusCode(200).body("service", equalTo("fhir"));
        given().when().post("/FHIR/R5/").then().statusCode(200).body("service", equalTo("fhir"));
    }

    @Test
    void routesBulkExportKickOffsStatusAndFilesToFhirService() throws Exception {
        for (String target : new String[] { "/fhir/r5/$export", "/fhir/r5/Patient/$export?_type=Observation",
                "/fhir/r5/Group/30001/$export", "/FHIR/R5/Group/30001/%24export",
                "/fhir/r5/_export/0d5c8a53-0f4e-4a57-8f5e-1c1f3f0a2b11/Observation-1.ndjson" }) {
            String answer = RawHttp.exchange(port, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Prefer: respond-async\r\nConnection: close\r\n\r\n", 0, 0);

            assertThat(answer).as(target).startsWith("HTTP/1.1 200").contains("\"service\":\"fhir\"")
                    .contains("\"path\":\"" + target.replaceFirst("\\?.*", "") + "\"");
        }
        given().when().post("/fhir/r5/Group/30001/$export").then().statusCode(200).body("service", equalTo("fhir"));
        given().when().delete("/fhir/r5/_export/0d5c8a53-0f4e-4a57-8f5e-1c1f3f0a2b11").then().statusCode(200)
                .body("service", equalTo("fhir"));
    }

    @Test
    void forwardsTheGuidesUnescapedQueryEscaped() throws Exception {
        String answer = RawHttp.exchange(port, "GET /fhir/r5/Observation?patient=40001"
                + "&code=https://w3id.org/openmhealth|omh:blood-glucose:4.0&x={a^b} HTTP/1.1\r\n"
                + "Host: localhost\r\nConnection: close\r\n\r\n", 0, 0);

        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThat(answer).contains("\"query\":\"patient=40001&code=https://w3id.org/openmhealth%7Comh:blood-glucose:4.0"
                + "&x=%7Ba%5Eb%7D\"");
    }

    @Test
    void passesTheBearerTokenThrough() {
        given().header("Authorization", "Bearer abc.def.ghi")
                .when().get("/api/v1/patients")
                .then().statusCode(200).body("authorization", equalTo("Bearer abc.def.ghi"));
    }

    @Test
    void generatesOneRequestIdAndHandsItToTheService() {
        Response response = given().when().get("/api/v1/patients");

        assertThat(response.headers().getValues("X-Request-Id")).hasSize(1);
        String id = response.header("X-Request-Id");
        assertThat(id).matches(UUID);
        assertThat(response.jsonPath().getString("requestId")).isEqualTo(id);
    }

    @Test
    void propagatesTheCallersRequestId() {
        given().header("X-Request-Id", "client-chosen-42")
                .when().get("/fhir/r5/Patient")
                .then().statusCode(200)
                .header("X-Request-Id", "client-chosen-42")
                .body("requestId", equalTo("client-chosen-42"));
    }

    @Test
    void replacesARequestIdThatIsUnsafeToLog() {
        given().header("X-Request-Id", "evil id\twith spaces")
                .when().get("/api/v1/patients")
                .then().statusCode(200)
                .header("X-Request-Id", matchesPattern(UUID));
    }

    @Test
    void tellsTheServiceThePublicHostAndScheme() {
        given().when().get("/o/.well-known/openid-configuration")
                .then().body("forwardedHost", equalTo("localhost:" + port))
                .body("forwardedProto", equalTo("http"));
    }

    @Test
    void replacesForwardingHeadersAClientForged() {
        given().header("X-Forwarded-Host", "evil/<x>").header("X-Forwarded-Proto", "gopher")
                .when().get("/api/v1/patients")
                .then().statusCode(200)
                .body("forwardedHost", equalTo("localhost:" + port))
                .body("forwardedProto", equalTo("http"));
        given().header("X-Forwarded-Host", "phish.example")
                .when().get("/o/.well-known/openid-configuration")
                .then().body("forwardedHost", equalTo("localhost:" + port));
    }

    @Test
    void setsXForwardedForItselfAndNeverPassesOnAClientsOwn() {
        given().header("X-Forwarded-For", "203.0.113.9")
                .when().post("/o/token/")
                .then().statusCode(200)
                .body("forwardedFor", equalTo("127.0.0.1"));
        given().when().get("/api/v1/patients").then().body("forwardedFor", equalTo("127.0.0.1"));
    }

    @Test
    void limitsTheSignInAndTokenEndpointsFarBelowEveryOtherPathByDefault() {
        GatewayConfig.RateLimit limits = config.rateLimit();

        assertThat(limits.auth().requestsPerSecond()).isPositive().isLessThanOrEqualTo(10);
        assertThat(limits.auth().burst()).isLessThanOrEqualTo(30);
        assertThat(limits.requestsPerSecond()).isGreaterThanOrEqualTo(100 * limits.auth().requestsPerSecond());
    }

    @Test
    void neverRoutesInternalPaths() {
        given().when().get("/internal/access/observations")
                .then().statusCode(404).body("detail", equalTo("Not found."));
        given().urlEncodingEnabled(false).when().get("/api/v1/../../internal/access")
                .then().statusCode(404);
    }

    @Test
    void answersUnknownPathsWith404InTheDetailDialect() {
        given().when().get("/nowhere").then().statusCode(404).body("detail", equalTo("Not found."));
    }

    @Test
    void answers504InTheAdminDialectWhenAServiceIsTooSlow() {
        given().when().get("/api/v1/slow")
                .then().statusCode(504)
                .contentType("application/json")
                .body("detail", equalTo("The administration service did not answer in time."));
    }

    @Test
    void answers504AsAnOperationOutcomeOnFhirPaths() {
        given().when().get("/fhir/r5/slow")
                .then().statusCode(504)
                .contentType("application/fhir+json")
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].severity", equalTo("error"))
                .body("issue[0].code", equalTo("timeout"));
    }

    @Test
    void sendsAReadOnceMoreWhenTheServiceClosedTheConnectionWithoutAnswering() {
        for (int i = 0; i < 4; i++) {
            given().when().get("/api/v1/flaky").then().statusCode(200).body("service", equalTo("admin"));
        }
    }

    @Test
    void answersAReadThatMetAClosingServiceTwiceWith503SoThatItIsTriedAgainLater() {
        given().when().get("/api/v1/gone")
                .then().statusCode(503)
                .header("Retry-After", "5")
                .body("detail", equalTo("The administration service is unavailable. Try again shortly."));
        given().contentType("application/json").body("{}").when().post("/api/v1/gone")
                .then().statusCode(502)
                .body("detail", equalTo("The administration service failed to answer."));
    }

    @Test
    void neverSendsAWriteTwice() {
        int[] statuses = new int[4];
        for (int i = 0; i < statuses.length; i++) {
            statuses[i] = given().contentType("application/json").body("{}").when().post("/api/v1/flaky")
                    .statusCode();
        }

        assertThat(statuses).contains(200, 502);
    }

    @Test
    void refusesADeclaredOversizedBodyWith413BeforeReadingIt() throws Exception {
        String answer = RawHttp.exchange(port, "POST /fhir/r5/ HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/fhir+json\r\nContent-Length: 25000000\r\n\r\n", 0, 0);

        assertThat(answer).startsWith("HTTP/1.1 413");
        assertThat(answer).contains("\"resourceType\":\"OperationOutcome\"").contains("\"code\":\"too-long\"");
    }

    @Test
    void refusesAStreamedBodyThatGrowsPastTheLimitWith413() throws Exception {
        String answer = RawHttp.exchange(port, "POST /api/v1/patients HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", 330, 65536);

        assertThat(answer).startsWith("HTTP/1.1 413");
        assertThat(answer).contains("\"detail\":\"Request body exceeds the limit of 20971520 bytes.\"");
    }

    @Test
    void streamsBodiesUnderTheLimitUnchanged() throws Exception {
        byte[] body = new byte[900_000];
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir/r5/"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"bodySize\":900000");
    }

    @Test
    void handsOnAnAnswerLargerThanItsPiecesUnchanged() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir/r5/large")).build();

        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).hasSize(300_000).isEqualTo(FakeServices.largeBody());
    }

    @Test
    void answersCorsPreflightOnOAuthAndFhirDiscoveryPaths() {
        given().header("Origin", "https://app.example").header("Access-Control-Request-Method", "POST")
                .when().options("/o/token/")
                .then().statusCode(204)
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        given().when().get("/fhir/r5/metadata")
                .then().header("Access-Control-Allow-Origin", "*");
        given().when().get("/api/v1/patients")
                .then().header("Access-Control-Allow-Origin", nullValue());
    }
}
