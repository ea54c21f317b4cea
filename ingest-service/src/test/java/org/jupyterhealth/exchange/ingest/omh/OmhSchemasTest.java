package org.jupyterhealth.exchange.ingest.omh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Open mHealth data points are validated offline against the schema named by their code. */
class OmhSchemasTest {
    static final OmhSchemas SCHEMAS = new OmhSchemas();

    static ObjectNode example(String code) throws Exception {
        String file = "omh-examples/" + code.replace(':', '_').replace('.', '-') + ".json";
        try (InputStream in = OmhSchemasTest.class.getClassLoader().getResourceAsStream(file)) {
            return (ObjectNode) OmhSchemas.jsonMapper().readTree(in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "omh:blood-glucose:4.0", "omh:blood-pressure:4.0", "omh:body-temperature:4.0",
            "omh:heart-rate:2.0", "omh:oxygen-saturation:2.0", "omh:respiratory-rate:2.0", "omh:rr-interval:1.0" })
    void acceptsTheExampleDataPointOfEachDemoCode(String code) throws Exception {
        assertThat(SCHEMAS.validate(code, example(code))).isEmpty();
    }

    @Test
    void refusesABloodGlucoseUnitOutsideTheSchemaNamingThePath() throws Exception {
        ObjectNode dataPoint = example("omh:blood-glucose:4.0");
        ((ObjectNode) dataPoint.get("body").get("blood_glucose")).put("unit", "MGDL");

        assertThat(SCHEMAS.validate("omh:blood-glucose:4.0", dataPoint)).hasValueSatisfying(problem -> assertThat(
                problem).startsWith("$.body.blood_glucose.unit: ").contains("mg/dL"));
    }

    @Test
    void refusesAnUnknownMealRelationshipThroughTheUtilitySchema() throws Exception {
        ObjectNode dataPoint = example("omh:blood-glucose:4.0");
        ((ObjectNode) dataPoint.get("body")).put("temporal_relationship_to_meal", "unknown");

        assertThat(SCHEMAS.validate("omh:blood-glucose:4.0", dataPoint))
                .hasValueSatisfying(problem -> assertThat(problem).startsWith("$.body.temporal_relationship_to_meal"));
    }

    @Test
    void validatesTheHeaderAgainstTheIeeeHeaderSchema() throws Exception {
        ObjectNode dataPoint = example("omh:heart-rate:2.0");
        ((ObjectNode) dataPoint.get("header")).put("source_creation_date_time", "yesterday");
        ((ObjectNode) dataPoint.get("header")).remove("uuid");

        assertThat(SCHEMAS.validate("omh:heart-rate:2.0", dataPoint))
                .hasValueSatisfying(problem -> assertThat(problem).startsWith("$.header"));
    }

    @Test
    void chosesTheBodySchemaFromTheCodeNotFromTheHeader() throws Exception {
        JsonNode heartRate = example("omh:heart-rate:2.0");

        assertThat(SCHEMAS.validate("omh:blood-pressure:4.0", heartRate)).isPresent();
    }

    @Test
    void aCodeWithoutSchemaIsAProblemNotAFailure() throws Exception {
        assertThat(SCHEMAS.validate("omh:lung-sound-recording:1.0", example("omh:heart-rate:2.0")))
                .contains("No Open mHealth schema is available for code omh:lung-sound-recording:1.0.");
        assertThat(SCHEMAS.validate("not-a-code", example("omh:heart-rate:2.0"))).isPresent();
    }

    /** Every schema file of the set, as the code that names it ({@code openmhealth/step-count-3.0.json} → omh:step-count:3.0). */
    static Stream<String> everySchemaOfTheSet() throws Exception {
        try (InputStream in = OmhSchemasTest.class.getClassLoader().getResourceAsStream("omh-schemas/index.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank())
                    .map(file -> {
                        String name = file.substring(file.lastIndexOf('/') + 1, file.length() - ".json".length());
                        int dash = name.lastIndexOf('-');
                        return (file.startsWith("openmhealth/") ? "omh:" : "ieee:") + name.substring(0, dash) + ":"
                                + name.substring(dash + 1);
                    })
                    .toList().stream();
        }
    }

    @Test
    void theSetHoldsEveryOpenMHealthAndIeeeSchema() throws Exception {
        // the Open mHealth set (with the resolved targets of its 1.x names) and IEEE 1752.1, as the original vendors
        assertThat(everySchemaOfTheSet().filter(code -> code.startsWith("omh:"))).hasSizeGreaterThanOrEqualTo(240);
        assertThat(everySchemaOfTheSet().filter(code -> code.startsWith("ieee:"))).hasSizeGreaterThanOrEqualTo(50);
    }

    @ParameterizedTest
    @MethodSource("everySchemaOfTheSet")
    void everySchemaOfTheSetCompilesWithTheSchemasItRefersTo(String code) {
        assertThat(SCHEMAS.knowsCode(code)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({ "forced-vital-capacity, forced_vital_capacity, 4.1",
            "forced-expiratory-volume-1-second, forced_expiratory_volume_1_second, 3.3" })
    void acceptsTheSeededSpirometryCodes(String name, String property, double liters) throws Exception {
        String code = "omh:" + name + ":1.0";
        ObjectNode dataPoint = example("omh:heart-rate:2.0");
        ((ObjectNode) dataPoint.get("header").get("schema_id")).put("name", name).put("version", "1.0");
        ObjectNode body = dataPoint.putObject("body");
        body.putObject(property).put("value", liters).put("unit", "L");
        body.putObject("effective_time_frame").put("date_time", "2025-01-01T00:04:00-08:00");

        assertThat(SCHEMAS.validate(code, dataPoint)).isEmpty();

        // ...and checked against it: a volume in millilitres is not the liters the schema requires
        body.putObject(property).put("value", liters * 1000).put("unit", "mL");
        assertThat(SCHEMAS.validate(code, dataPoint)).hasValueSatisfying(problem -> assertThat(problem)
                .startsWith("$.body." + property + ".unit"));
    }

    @Test
    void knowsTheSchemasOfTheOtherOpenMHealthAndIeeeCodes() {
        assertThat(SCHEMAS.knowsCode("omh:step-count:3.0")).isTrue();
        assertThat(SCHEMAS.knowsCode("omh:physical-activity:1.2")).isTrue();
        assertThat(SCHEMAS.knowsCode("omh:sleep-episode:1.1")).isTrue();
        assertThat(SCHEMAS.knowsCode("ieee:sleep-stage-summary:1.0")).isTrue();
    }

    @Test
    void raisesTheClinicalTimeOfTheBody() throws Exception {
        assertThat(EffectiveTime.of(example("omh:heart-rate:2.0").get("body")).dateTime())
                .isEqualTo(OffsetDateTime.parse("2025-01-01T00:04:00-08:00"));
        JsonNode interval = OmhSchemas.jsonMapper().readTree("""
                {"effective_time_frame": {"time_interval": {"start_date_time": "2026-01-31T00:00:00Z",
                 "duration": {"value": 1, "unit": "Mo"}}}}""");
        EffectiveTime period = EffectiveTime.of(interval);
        assertThat(period.periodStart()).isEqualTo(OffsetDateTime.parse("2026-01-31T00:00:00Z"));
        assertThat(period.periodEnd()).isEqualTo(OffsetDateTime.parse("2026-02-28T00:00:00Z"));
        JsonNode backwards = OmhSchemas.jsonMapper().readTree("""
                {"effective_time_frame": {"time_interval": {"end_date_time": "2026-07-18T10:00:00Z",
                 "duration": {"value": 60, "unit": "min"}}}}""");
        assertThat(EffectiveTime.of(backwards).periodStart()).isEqualTo(OffsetDateTime.parse(
                "2026-07-18T09:00:00Z"));
        assertThat(EffectiveTime.of(OmhSchemas.jsonMapper().readTree("{\"effective_time_frame\": 3}")))
                .isEqualTo(EffectiveTime.NONE);
    }
    @ParameterizedTest
    @ValueSource(strings = { "2025-13-40T99:99:99Z", "99999-01-01T00:00:00Z", "2025-02-30T00:00:00Z", "yesterday" })
    void refusesAnImpossibleEffectiveDateTimeNamingItsPath(String dateTime) throws Exception {
        ObjectNode dataPoint = example("omh:heart-rate:2.0");
        ((ObjectNode) dataPoint.get("body").get("effective_time_frame")).put("date_time", dateTime);

        assertThat(SCHEMAS.validate("omh:heart-rate:2.0", dataPoint)).hasValueSatisfying(problem -> assertThat(
                problem).startsWith("$.body.effective_time_frame.date_time: ").contains("date-time"));
    }

    @Test
    void acceptsADateTimeWithoutOffsetAsTheOpenMHealthSchemaAllowsAndReadsItInUtc() throws Exception {
        ObjectNode dataPoint = example("omh:heart-rate:2.0");
        ((ObjectNode) dataPoint.get("body").get("effective_time_frame")).put("date_time", "2025-01-01T08:04:00");

        assertThat(SCHEMAS.validate("omh:heart-rate:2.0", dataPoint)).isEmpty();
        assertThat(EffectiveTime.of(dataPoint.get("body")).dateTime())
                .isEqualTo(OffsetDateTime.parse("2025-01-01T08:04:00Z"));
    }

    @Test
    void refusesAHeaderUuidThatIsNoUuid() throws Exception {
        ObjectNode dataPoint = example("omh:heart-rate:2.0");
        ((ObjectNode) dataPoint.get("header")).put("uuid", "not-a-uuid");

        assertThat(SCHEMAS.validate("omh:heart-rate:2.0", dataPoint))
                .hasValueSatisfying(problem -> assertThat(problem).startsWith("$.header.uuid: ").contains("uuid"));
    }

    @Test
    void refusesAHeaderThatNamesAnotherSchemaThanTheCode() throws Exception {
        ObjectNode dataPoint = example("omh:heart-rate:2.0");
        ((ObjectNode) dataPoint.get("header").get("schema_id")).put("name", "blood-pressure");

        assertThat(SCHEMAS.validate("omh:heart-rate:2.0", dataPoint)).contains("$.header.schema_id: names the "
                + "schema omh:blood-pressure:2.0, but the Observation's code is omh:heart-rate:2.0.");
    }

    @ParameterizedTest
    @ValueSource(strings = { "-62", "1e308", "1e400", "1e-20000", "1000000000000000.5" })
    void refusesAHeartRateThatNoHeartHas(String value) throws Exception {
        String text = example("omh:heart-rate:2.0").toString().replace("\"value\":67.5", "\"value\":" + value);
        JsonNode dataPoint = OmhSchemas.jsonMapper().readTree(text);

        assertThat(SCHEMAS.validate("omh:heart-rate:2.0", dataPoint))
                .hasValueSatisfying(problem -> assertThat(problem).startsWith("$.body.heart_rate.value: "));
    }

    @Test
    void acceptsATemperatureBelowZeroInCelsius() throws Exception {
        ObjectNode dataPoint = example("omh:body-temperature:4.0");
        ((ObjectNode) dataPoint.get("body").get("body_temperature")).put("value", -1.5).put("unit", "C");

        assertThat(SCHEMAS.validate("omh:body-temperature:4.0", dataPoint)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "\\u0000", "a\\ud800b", "\\udc00" })
    void refusesTextThatCannotBeStoredNamingItsPath(String escaped) throws Exception {
        String text = example("omh:heart-rate:2.0").toString().replace("\"manufacturer\"",
                "\"manu" + escaped + "facturer\"");
        JsonNode dataPoint = OmhSchemas.jsonMapper().readTree(text);

        assertThat(SCHEMAS.validate("omh:heart-rate:2.0", dataPoint)).hasValueSatisfying(problem -> assertThat(
                problem).startsWith("$.header.external_datasheets[0].datasheet_type: contains "));
    }

    @Test
    void refusesADurationThatEndsAfterTheYear9999() throws Exception {
        JsonNode interval = OmhSchemas.jsonMapper().readTree("""
                {"effective_time_frame": {"time_interval": {"start_date_time": "2026-01-31T00:00:00Z",
                 "duration": {"value": 100000000, "unit": "yr"}}}}""");
        JsonNode endless = OmhSchemas.jsonMapper().readTree("""
                {"effective_time_frame": {"time_interval": {"start_date_time": "2026-01-31T00:00:00Z",
                 "duration": {"value": 1000000000000000, "unit": "wk"}}}}""");

        assertThat(EffectiveTime.of(interval).outOfRange()).isTrue();
        assertThat(EffectiveTime.of(endless).outOfRange()).isTrue();
        assertThat(EffectiveTime.of(example("omh:heart-rate:2.0").get("body")).outOfRange()).isFalse();
    }
}
