package org.jupyterhealth.exchange.admin.openapi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.common.fhir.ResourceStore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The OpenAPI document lists what the FHIR resource store serves (docs/compatibility.md#openapi): every type it keeps,
 * read, create, update, patch and delete by id, If-Match, the FHIR source header, and the search parameters
 * ({@code _source}, {@code _source:below}, Condition's own), as a client generated from it would need them.
 */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class SchemaResourceTest {
    /** The types with records of their own, whose UUID ids are the store's: paths of their own. */
    static final List<String> MAPPED = List.of("Observation", "Patient", "Group", "Organization", "Practitioner",
            "Device");

    private static JsonNode document;

    /** The document, read once (when the application is up: not in a static set-up, which runs before it). */
    static JsonNode document() {
        if (document == null) {
            String json = given().when().get("/api/v1/schema/?format=json").then().statusCode(200).extract()
                    .asString();
            try {
                document = new ObjectMapper().readTree(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return document;
    }

    /** A {@code $ref} to the document's components replaced by what it names. */
    static JsonNode resolve(JsonNode node) {
        String ref = node.path("$ref").asText("");
        if (!ref.startsWith("#/")) {
            return node;
        }
        JsonNode target = document();
        for (String part : ref.substring(2).split("/")) {
            target = target.path(part);
        }
        assertThat(target.isMissingNode()).as(ref).isFalse();
        return target;
    }

    static JsonNode operation(String path, String method) {
        JsonNode operation = document().path("paths").path(path).path(method);
        assertThat(operation.isMissingNode()).as(method + " " + path).isFalse();
        return operation;
    }

    static List<String> parameterNames(String path, String method) {
        List<String> names = new ArrayList<>();
        operation(path, method).path("parameters").forEach(parameter -> names.add(resolve(parameter).path("name")
                .asText()));
        return names;
    }

    @Test
    void everyTypeOfTheResourceStoreHasItsPaths() {
        List<String> storeOnly = new ArrayList<>();
        resolve(document().path("components").path("parameters").path("StoreType")).path("schema").path("enum")
                .forEach(type -> storeOnly.add(type.asText()));

        for (String type : ResourceStore.TYPES) {
            if (MAPPED.contains(type)) {
                assertThat(storeOnly).as(type).doesNotContain(type);
                assertThat(document().path("paths").has("/fhir/r5/" + type)).as(type).isTrue();
            } else {
                assertThat(storeOnly).as("the {type} of the store's paths").contains(type);
            }
        }
        assertThat(storeOnly).as("nothing the store does not keep").allMatch(ResourceStore::isStoreType);
    }

    @Test
    void readCreateUpdatePatchAndDeleteAreListedForTheStoresTypesAndTheUuidsOfTheOthers() {
        List<String> byId = new ArrayList<>(List.of("/fhir/r5/{type}/{id}"));
        MAPPED.forEach(type -> byId.add("/fhir/r5/" + type + "/{id}"));

        for (String path : byId) {
            for (String method : List.of("get", "put", "patch", "delete")) {
                operation(path, method);
            }
            assertThat(parameterNames(path, "put")).as(path).contains("If-Match", "X-JHE-FHIR-Source-ID");
            assertThat(parameterNames(path, "patch")).as(path).contains("If-Match");
            assertThat(operation(path, "put").path("responses").has("412")).as(path).isTrue();
            assertThat(operation(path, "patch").path("responses").has("412")).as(path).isTrue();
            // a merge patch as RFC 7396 names it, and FHIR JSON or JSON as the original takes it
            List<String> types = new ArrayList<>();
            resolve(operation(path, "patch").path("requestBody")).path("content").fieldNames()
                    .forEachRemaining(types::add);
            assertThat(types).as(path).contains("application/merge-patch+json", "application/fhir+json");
        }
        for (String path : List.of("/fhir/r5/{type}", "/fhir/r5/Patient", "/fhir/r5/Group", "/fhir/r5/Organization",
                "/fhir/r5/Practitioner", "/fhir/r5/Device")) {
            assertThat(parameterNames(path, "post")).as(path).contains("X-JHE-FHIR-Source-ID");
        }
    }

    @Test
    void theStoresSearchParametersAreListedWithSourceAndConditionsOwn() {
        assertThat(parameterNames("/fhir/r5/{type}", "get")).contains("_id", "_lastUpdated", "patient", "subject",
                "patient._has:Group:member:_id", "code", "category", "status", "identifier", "name", "date",
                "questionnaire", "authored", "clinical-status", "encounter", "onset-date", "abatement-date",
                "recorded-date", "asserted-date", "_source", "_source:below", "_count", "_sort", "_summary");
        for (String type : MAPPED) {
            assertThat(parameterNames("/fhir/r5/" + type, "get")).as(type).contains("_source", "_source:below");
        }
    }

    @Test
    void fhirSourcesAndTheirReferenceIndexingAreListed() {
        for (String method : List.of("get", "post")) {
            operation("/api/v1/fhir_sources", method);
        }
        for (String method : List.of("get", "put", "patch", "delete")) {
            operation("/api/v1/fhir_sources/{id}", method);
        }
        operation("/api/v1/fhir_sources/{id}/index_refs", "post");
    }
}
