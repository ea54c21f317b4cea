package org.jupyterhealth.exchange.admin.web.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The request-body Jackson configuration on its own: strict types, text rules, absent versus null. */
class RequestJsonTest {
    private static final ObjectMapper JSON = RequestJson.mapper();

    record Sample(String name, @Text(max = 5, multiline = true) String note, Long id, Boolean flag,
            Optional<Long> parent) {
    }

    private static Sample read(String json) throws Exception {
        return JSON.readValue(json, Sample.class);
    }

    @Test
    void anAbsentOptionalIsNullAndAnExplicitNullIsEmpty() throws Exception {
        assertThat(read("{}").parent()).isNull();
        assertThat(read("{\"parent\": null}").parent()).isEmpty();
        assertThat(read("{\"parent\": 7}").parent()).contains(7L);
        assertThat(read("{\"parent\": \"\"}").parent()).isEmpty();
    }

    @Test
    void idsAreWholeNonNegativeNumbersOrStringsOfDigits() throws Exception {
        assertThat(read("{\"id\": 40001}").id()).isEqualTo(40001L);
        assertThat(read("{\"id\": \"40001\"}").id()).isEqualTo(40001L);
        assertThat(read("{\"id\": \" \"}").id()).isNull();
        for (String bad : new String[] { "1.5", "-1", "true", "\"01\"", "\"1e3\"", "18446744073709571617", "[1]",
                "{}" }) {
            assertThatThrownBy(() -> read("{\"id\": " + bad + "}")).as(bad).isInstanceOf(InvalidField.class)
                    .hasMessageStartingWith("A valid integer is required.");
        }
    }

    @Test
    void stringsAndBooleansAreNotConverted() {
        assertThatThrownBy(() -> read("{\"name\": 42}")).isInstanceOf(InvalidField.class)
                .hasMessageStartingWith("Not a valid string.");
        assertThatThrownBy(() -> read("{\"name\": true}")).isInstanceOf(InvalidField.class);
        assertThatThrownBy(() -> read("{\"flag\": \"true\"}")).isInstanceOf(InvalidField.class)
                .hasMessageStartingWith("Must be a valid boolean.");
        assertThatThrownBy(() -> read("{\"flag\": 1}")).isInstanceOf(InvalidField.class);
    }

    @Test
    void textRulesFollowTheFieldsAnnotation() throws Exception {
        assertThatThrownBy(() -> read("{\"name\": \"a\\nb\"}")).isInstanceOf(InvalidField.class)
                .hasMessageStartingWith("Line breaks and tabs are not allowed.");
        assertThatThrownBy(() -> read("{\"name\": \"" + "x".repeat(256) + "\"}")).isInstanceOf(InvalidField.class)
                .hasMessageStartingWith("Ensure this field has no more than 255 characters.");
        assertThat(read("{\"note\": \"a\\nb\"}").note()).isEqualTo("a\nb");
        assertThatThrownBy(() -> read("{\"note\": \"123456\"}")).isInstanceOf(InvalidField.class)
                .hasMessageStartingWith("Ensure this field has no more than 5 characters.");
    }

    @Test
    void oneValueWithNothingAfterIt() {
        assertThatThrownBy(() -> read("{} {}")).hasMessageContaining("Trailing token");
        assertThatThrownBy(() -> read("{\"name\": \"a\", \"name\": \"b\"}")).hasMessageContaining("Duplicate");
    }
}
