package org.jupyterhealth.exchange.admin.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Every operation of the admin API's OpenAPI document that takes a JSON body, fed bad input in every field its
 * schema names (nested objects and lists included): a NUL or another control character, a string longer than any
 * field takes, a value of the wrong JSON type, trailing garbage after the body, deep nesting. Each is a 4xx in the
 * admin dialect ({@code {"detail": ...}}), never a 5xx, and a bad string is a 400 whose {@code errors} name the
 * field. The superuser sends them (no permission stops it first), to ids that do not exist (nothing is written).
 */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class BadInputTest {
    /** Writes every non-ASCII character as an escape, so that a lone surrogate reaches the service as such. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String MISSING_ID = "999999999";

    private record Operation(String method, String path, JsonNode schema) {
        String url() {
            return path.replaceAll("\\{[^}]+}", MISSING_ID);
        }

        @Override
        public String toString() {
            return method.toUpperCase() + " " + path;
        }
    }

    /** A field the schema names: its path as errors name it ({@code identifiers[0].value}) and its JSON type. */
    private record Field(List<String> keys, String path, String type) {
    }

    private JsonNode openApi() throws Exception {
        String document = given().when().get("/api/schema?format=json").then().statusCode(200).extract().asString();
        return JSON.readTree(document);
    }

    private List<Operation> operationsWithBodies(JsonNode doc) {
        List<Operation> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
            while (methods.hasNext()) {
                Map.Entry<String, JsonNode> method = methods.next();
                JsonNode schema = method.getValue().at("/requestBody/content/application~1json/schema");
                if (path.getKey().startsWith("/api/v1/") && !schema.isMissingNode()) {
                    out.add(new Operation(method.getKey(), path.getKey(), resolve(doc, schema)));
                }
            }
        }
        return out;
    }

    private static JsonNode resolve(JsonNode doc, JsonNode schema) {
        JsonNode ref = schema.get("$ref");
        return ref == null ? schema : doc.at(ref.asText().substring(1));
    }

    /** Every leaf field of the schema, descending into objects and into the first item of lists. */
    private static void fields(JsonNode doc, JsonNode schema, List<String> keys, String path, List<Field> out) {
        JsonNode properties = resolve(doc, schema).get("properties");
        if (properties == null) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = properties.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> property = it.next();
            JsonNode type = resolve(doc, property.getValue());
            List<String> childKeys = new ArrayList<>(keys);
            childKeys.add(property.getKey());
            String childPath = path.isEmpty() ? property.getKey() : path + "." + property.getKey();
            String kind = type.path("type").asText("object");
            if ("array".equals(kind)) {
                JsonNode items = resolve(doc, type.path("items"));
                if ("object".equals(items.path("type").asText("object")) && items.has("properties")) {
                    childKeys.add("[0]");
                    fields(doc, items, childKeys, childPath + "[0]", out);
                } else {
                    out.add(new Field(childKeys, childPath, "array"));
                }
            } else if ("object".equals(kind) && type.has("properties")) {
                fields(doc, type, childKeys, childPath, out);
            } else {
                out.add(new Field(childKeys, childPath, kind));
            }
        }
    }

    /** A body with only this field set (so that the rest of a valid request never leads to a write). */
    private static ObjectNode bodyWith(Field field, JsonNode value) {
        ObjectNode root = NODES.objectNode();
        JsonNode current = root;
        List<String> keys = field.keys();
        for (int i = 0; i < keys.size() - 1; i++) {
            String key = keys.get(i);
            String next = keys.get(i + 1);
            if ("[0]".equals(key)) {
                continue;
            }
            JsonNode child = "[0]".equals(next) ? NODES.arrayNode().add(NODES.objectNode()) : NODES.objectNode();
            ((ObjectNode) current).set(key, child);
            current = child.isArray() ? child.get(0) : child;
        }
        ((ObjectNode) current).set(keys.get(keys.size() - 1), value);
        return root;
    }

    private static Response send(Operation operation, String body) {
        return given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(body)
                .when().request(operation.method().toUpperCase(), operation.url());
    }

    private static void assertRefusedInDialect(Operation operation, String what, Response response) {
        assertThat(response.statusCode()).as("%s with %s", operation, what).isBetween(400, 499);
        assertThat(response.contentType()).as("%s with %s", operation, what).startsWith("application/json");
        String body = response.asString();
        assertThat(body).as("%s with %s", operation, what).contains("\"detail\"")
                .doesNotContain("Exception").doesNotContain("org.jupyterhealth").doesNotContain("SQL");
    }

    private static void assertFieldRefused(Operation operation, Field field, String what, Response response) {
        assertRefusedInDialect(operation, what + " in " + field.path(), response);
        assertThat(response.statusCode()).as("%s with %s in %s", operation, what, field.path()).isEqualTo(400);
        Map<String, Object> errors = response.jsonPath().getMap("errors");
        assertThat(errors).as("%s with %s in %s: %s", operation, what, field.path(), response.asString())
                .containsKey(field.path());
    }

    @TestFactory
    Stream<DynamicTest> everyStringFieldOfEveryWriteRefusesControlCharactersAndOverlongText() throws Exception {
        JsonNode doc = openApi();
        List<DynamicTest> tests = new ArrayList<>();
        for (Operation operation : operationsWithBodies(doc)) {
            List<Field> fields = new ArrayList<>();
            fields(doc, operation.schema(), List.of(), "", fields);
            for (Field field : fields) {
                if (!"string".equals(field.type())) {
                    continue;
                }
                Map<String, String> bad = new LinkedHashMap<>();
                bad.put("a NUL", "a\u0000b");
                bad.put("an escape character", "a\u001bb");
                bad.put("a lone surrogate", "a\ud800b");
                bad.put("10,001 characters", "x".repeat(10_001));
                bad.forEach((what, value) -> tests.add(DynamicTest.dynamicTest(operation + " " + field.path()
                        + " with " + what, () -> assertFieldRefused(operation, field, what,
                                send(operation, JSON.writeValueAsString(bodyWith(field, NODES.textNode(value))))))));
            }
        }
        assertThat(tests).as("string fields of write operations").hasSizeGreaterThan(40);
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everyFieldOfEveryWriteRefusesValuesOfTheWrongTypeWithoutA5xx() throws Exception {
        JsonNode doc = openApi();
        List<DynamicTest> tests = new ArrayList<>();
        for (Operation operation : operationsWithBodies(doc)) {
            List<Field> fields = new ArrayList<>();
            fields(doc, operation.schema(), List.of(), "", fields);
            for (Field field : fields) {
                // values of the field's own type are left out: with them a create could succeed
                Map<String, JsonNode> wrong = new LinkedHashMap<>();
                if (!"integer".equals(field.type()) && !"number".equals(field.type())) {
                    wrong.put("a number", NODES.numberNode(42));
                }
                wrong.put("a fraction", NODES.numberNode(1.5));
                wrong.put("a huge number", NODES.numberNode(new BigInteger("99999999999999999999999")));
                wrong.put("a negative number", NODES.numberNode(-1));
                if (!"boolean".equals(field.type())) {
                    wrong.put("a boolean", NODES.booleanNode(true));
                }
                if (!"string".equals(field.type())) {
                    wrong.put("a non-numeric string", NODES.textNode("abc' OR 1=1 --"));
                }
                wrong.put("an object", NODES.objectNode().put("a", 1));
                ArrayNode list = NODES.arrayNode().add("x").add(NODES.nullNode());
                wrong.put("a list", list);
                wrong.forEach((what, value) -> tests.add(DynamicTest.dynamicTest(operation + " " + field.path()
                        + " as " + what, () -> {
                            Response response = send(operation, JSON.writeValueAsString(bodyWith(field, value)));
                            assertThat(response.statusCode()).as("%s with %s as %s: %s", operation, field.path(),
                                    what, response.asString()).isLessThan(500);
                            if (response.statusCode() >= 400) {
                                assertRefusedInDialect(operation, what + " in " + field.path(), response);
                            }
                        })));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everyWriteRefusesABodyThatIsNotExactlyOneJsonObject() throws Exception {
        JsonNode doc = openApi();
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("trailing garbage", "{\"name\":\"x\"} junk");
        bodies.put("two objects", "{} {}");
        bodies.put("an unfinished object", "{\"name\":");
        bodies.put("a list", "[]");
        bodies.put("a string", "\"x\"");
        bodies.put("deep nesting", "{\"a\":".repeat(200) + "1" + "}".repeat(200));
        bodies.put("a raw control character", "{\"name\":\"a\u0001b\"}");
        bodies.put("invalid UTF-8", new String(new byte[] { '{', '"', 'a', '"', ':', '"', (byte) 0xc3, (byte) 0x28,
                '"', '}' }, StandardCharsets.ISO_8859_1));
        List<DynamicTest> tests = new ArrayList<>();
        for (Operation operation : operationsWithBodies(doc)) {
            bodies.forEach((what, body) -> tests.add(DynamicTest.dynamicTest(operation + " with " + what, () -> {
                Response response = "invalid UTF-8".equals(what)
                        ? given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                                .body(body.getBytes(StandardCharsets.ISO_8859_1))
                                .when().request(operation.method().toUpperCase(), operation.url())
                        : send(operation, body);
                assertRefusedInDialect(operation, what, response);
                assertThat(response.statusCode()).as("%s with %s", operation, what).isEqualTo(400);
            })));
        }
        return tests.stream();
    }

    @Test
    void snakeCaseFieldsAreNamedAsResponsesNameThem() {
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("organization_id", 20003, "telecom_email", "a\u0000@example.org"))
                .when().post("/api/v1/patients")
                .then().statusCode(400)
                .body("errors.telecomEmail[0]", equalTo("Control characters are not allowed."))
                .body("detail", equalTo("telecomEmail: Control characters are not allowed."));
    }
}
