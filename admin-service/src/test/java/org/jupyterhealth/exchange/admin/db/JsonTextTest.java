package org.jupyterhealth.exchange.admin.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.web.JsonParsing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A JSON value kept as its text: read from a body, judged as a tree, written into an answer as it is. */
class JsonTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonText read(String json) throws Exception {
        return JSON.readValue(json, JsonText.class);
    }

    @Test
    void aValueIsWrittenBackAsItWasRead() throws Exception {
        String value = "{\"b\":[1,2.5,\"x\",null,true],\"a\":{\"nested\":12345678901234567890123}}";

        JsonText text = read(value);

        assertThat(text.json()).isEqualTo(value);
        assertThat(JSON.writeValueAsString(Map.of("value", text))).isEqualTo("{\"value\":" + value + "}");
        assertThat(text.tree()).isEqualTo(JSON.readTree(value));
    }

    @Test
    void aValueInsideABodyIsReadWithoutTheRestOfTheBody() throws Exception {
        // the body's reader refuses trailing content: a value is read as a part of the body, not as a document
        ObjectMapper strict = JsonParsing.apply(new ObjectMapper());

        Map<String, JsonText> body = strict.readValue("{\"value\": {\"a\": [1]}, \"after\": \"x\"}",
                new TypeReference<Map<String, JsonText>>() {
                });

        assertThat(body.get("value").json()).isEqualTo("{\"a\":[1]}");
        assertThat(body.get("after").json()).isEqualTo("\"x\"");
    }

    @Test
    void aNumberBeyondADoublesRangeStaysANumberForTheRulesThatJudgeIt() throws Exception {
        JsonNode tree = read("1e400").tree();

        assertThat(tree.isNumber()).isTrue();
        assertThat(tree.doubleValue()).isInfinite();
    }

    @Test
    void aStoredValueIsWrittenAsJson() {
        assertThat(JsonText.of(new JsonObject().put("currentOrganizationId", 20003).put("name", "a\"b")).json())
                .isEqualTo("{\"currentOrganizationId\":20003,\"name\":\"a\\\"b\"}");
        assertThat(JsonText.of(new JsonArray(List.of(1, "two"))).json()).isEqualTo("[1,\"two\"]");
        assertThat(JsonText.of(42L).json()).isEqualTo("42");
        assertThat(JsonText.of(1.5).json()).isEqualTo("1.5");
        assertThat(JsonText.of(true).json()).isEqualTo("true");
        assertThat(JsonText.of("text").json()).isEqualTo("\"text\"");
        assertThat(JsonText.of(null).json()).isEqualTo("null");
    }
}
