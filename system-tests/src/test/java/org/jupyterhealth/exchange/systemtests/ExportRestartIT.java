package org.jupyterhealth.exchange.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.response.Response;

/**
 * A bulk export survives the death of the fhir-service writing it: the process is killed (no shutdown, no lease
 * handed back) while the job is under way, started again, and the job, taken up again once its lease has run out,
 * ends with every observation exactly once and the same files, counts included, as an export of the same data that
 * nobody interrupted; a client polling it sees its early files listed again while it is redone. And {@code ./jhe
 * export}, which follows such partial manifests, against the same stack.
 */
@Order(42)
@ExtendWith(SystemStack.class)
class ExportRestartIT {
    /**
     * The rows this test stores straight into the observation store (and removes afterwards): enough that an export
     * runs for several of the client's looks at its status (150,000 were written in about 2 s, before the command's
     * second look, once the export read at a good part of PostgreSQL's own speed).
     */
    static final UUID UPLOAD = UUID.fromString("00000000-0000-0000-0000-0000000e4517");
    static final String HR = "https://w3id.org/openmhealth|omh:heart-rate:2.0";
    static final int ROWS = 600_000;
    static final ObjectMapper JSON = new ObjectMapper();
    static String mary;

    @BeforeAll
    static void store() throws SQLException {
        mary = EndToEndIT.passwordToken("manager_mary@example.com");
        remove();
        try (Connection db = Uploads.store(); PreparedStatement insert = db.prepareStatement("""
                INSERT INTO ingest.observation (subject_patient_id, codeable_concept_id, coding_system, coding_code,
                    data_source_id, status, omh_data, effective_date_time, upload_id, last_updated)
                SELECT 40001 + i % 2, 50004, 'https://w3id.org/openmhealth', 'omh:heart-rate:2.0', NULL, 'final',
                    jsonb_build_object('header', jsonb_build_object('uuid', gen_random_uuid()::text,
                            'schema_id', jsonb_build_object('namespace', 'omh', 'name', 'heart-rate', 'version', '2.0'),
                            'source_creation_date_time', '2025-01-01T00:00:00Z', 'modality', 'sensed'),
                        'body', jsonb_build_object('heart_rate', jsonb_build_object('value', 55 + i % 40,
                            'unit', 'beats/min'), 'effective_time_frame', jsonb_build_object('date_time',
                                '2025-01-01T00:00:00Z'))),
                    timestamptz '2024-01-01 00:00:00Z' + i * interval '1 minute', ?,
                    clock_timestamp() - interval '1 hour'
                FROM generate_series(1, ?) AS i
                """)) {
            insert.setObject(1, UPLOAD);
            insert.setInt(2, ROWS);
            insert.executeUpdate();
        }
    }

    @AfterAll
    static void remove() throws SQLException {
        try (Connection db = Uploads.store();
                PreparedStatement delete = db.prepareStatement("DELETE FROM ingest.observation WHERE upload_id = ?")) {
            delete.setObject(1, UPLOAD);
            delete.executeUpdate();
        }
    }

    @Test
    void anExportWhoseServiceIsKilledMidJobFinishesAfterTheRestartWithEveryObservationOnce() throws Exception {
        String interrupted = kickOff();
        // under way: its first file is finished and listed (a partial manifest), the rest not yet
        JsonNode[] early = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Response status = given().auth().oauth2(mary).when().get(interrupted);
            assertThat(status.statusCode()).as("still running when killed").isEqualTo(202);
            if (status.asString().isEmpty()) {
                return false;
            }
            early[0] = JSON.readTree(status.asString());
            return true;
        });
        // what a client that allowed partial manifests fetched before the kill
        Set<String> fetchedEarly = new HashSet<>();
        long linesEarly = read(early[0].get("output").get(0).get("url").asText(), fetchedEarly);
        assertThat(SystemStack.jhe("kill", "fhir-service")).isZero();
        assertThat(SystemStack.jhe("start", "fhir-service")).isZero();

        List<String> listedAgain = listedWhileRedone(interrupted);
        JsonNode redone = manifest(interrupted, Duration.ofSeconds(90));
        JsonNode reference = manifest(kickOff(), Duration.ofSeconds(60));

        assertThat(attempts(interrupted)).as("taken up again after the kill").isEqualTo(2);
        assertThat(files(redone)).as("files and counts").isEqualTo(files(reference)).hasSizeGreaterThan(1);
        // the client polling the job sees the files listed early listed again, with the same names and counts as
        // before the kill and in the end
        assertThat(files(redone)).startsWith(files(early[0]).toArray(String[]::new))
                .startsWith(listedAgain.toArray(String[]::new));
        assertThat(files(redone).get(0)).endsWith(" " + linesEarly);
        long expected = 0;
        for (JsonNode output : redone.get("output")) {
            expected += output.get("count").asLong();
        }
        // at least the rows stored here (the study's patients may have a few more from other tests)
        assertThat(expected).isBetween((long) ROWS, heartRatesOfTheStudy());
        Set<String> ids = new HashSet<>();
        long lines = 0;
        for (JsonNode output : redone.get("output")) {
            lines += read(output.get("url").asText(), ids);
        }
        assertThat(lines).as("lines in the files").isEqualTo(expected);
        assertThat(ids).as("distinct observations").hasSize((int) expected).containsAll(fetchedEarly);
    }

    /**
     * {@code ./jhe export} against the stack: the files are downloaded while the export runs, they are valid NDJSON
     * with every observation once, the same command on the same folder goes on with the same job and downloads
     * nothing again, and what the server refuses is told.
     */
    @Test
    void theExportCommandDownloadsTheFilesWhileTheJobRunsAndGoesOnWithTheSameJob(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("export-30001");
        Path log = dir.resolve("jhe.log");

        int exit = SystemStack.jhe(Map.of("JHE_TOKEN", mary), log, "export", "30001", out.toString());

        String said = Files.readString(log);
        assertThat(exit).as(said).isZero();
        assertThat(said).as("a file fetched before the manifest").contains("while the export runs")
                .containsPattern("\\[#*\\.+\\] +[0-9]+% ");
        Set<String> ids = new HashSet<>();
        long observations = 0;
        List<Path> files;
        try (Stream<Path> listed = Files.list(out)) {
            files = listed.filter(f -> f.getFileName().toString().endsWith(".ndjson")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(1);
        for (Path file : files) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    JsonNode resource = JSON.readTree(line);
                    if ("Observation".equals(resource.path("resourceType").asText())) {
                        ids.add(resource.get("id").asText());
                        observations++;
                    }
                }
            }
        }
        assertThat(observations).isGreaterThanOrEqualTo(ROWS);
        assertThat(ids).as("distinct observations").hasSize((int) observations);

        int again = SystemStack.jhe(Map.of("JHE_TOKEN", mary), log, "export", "30001", out.toString());

        String saidAgain = Files.readString(log);
        assertThat(again).as(saidAgain).isZero();
        assertThat(saidAgain).contains("following the export started earlier")
                .doesNotContainPattern("\\] downloaded ");
        assertThat(saidAgain.lines().filter(line -> line.contains("already downloaded: ")).count())
                .isEqualTo(files.size());

        assertThat(SystemStack.jhe(Map.of("JHE_TOKEN", "not-a-token"), log, "export", "30001",
                dir.resolve("refused").toString())).isNotZero();
        assertThat(Files.readString(log)).contains("JHE_TOKEN is not accepted").contains("(401)");
        assertThat(SystemStack.jhe(Map.of("JHE_TOKEN", mary), log, "export", "30001;", out.toString()))
                .isNotZero();
        assertThat(Files.readString(log)).contains("STUDY_ID must be a study's number");
    }

    /**
     * The files a client polling the job sees listed once it is taken up again after the kill (and before it
     * ends): the same early files, listed anew.
     */
    static List<String> listedWhileRedone(String status) {
        List<String> listed = new ArrayList<>();
        boolean[] endedUnseen = new boolean[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
            if (attempts(status) < 2) {
                return false;
            }
            Response answer = given().auth().oauth2(mary).when().get(status);
            if (answer.statusCode() == 200) {
                endedUnseen[0] = true;
                return true;
            }
            if (answer.statusCode() != 202 || answer.asString().isEmpty()) {
                return false;
            }
            listed.addAll(files(JSON.readTree(answer.asString())));
            return !listed.isEmpty();
        });
        assertThat(endedUnseen[0]).as("the redone job was seen running with files listed").isFalse();
        return listed;
    }

    /** The heart rates the study's patients have (at most what the export may hold). */
    static long heartRatesOfTheStudy() throws SQLException {
        try (Connection db = Uploads.store(); PreparedStatement count = db.prepareStatement(
                "SELECT count(*) FROM ingest.observation WHERE subject_patient_id IN (40001, 40002) "
                        + "AND coding_system = 'https://w3id.org/openmhealth' AND coding_code = 'omh:heart-rate:2.0'");
                ResultSet rows = count.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    static String kickOff() {
        Response kicked = given().auth().oauth2(mary).header("Prefer", "respond-async")
                .queryParam("_type", "Observation").queryParam("_typeFilter", "Observation?code=" + HR)
                .queryParam("allowPartialManifests", "true")
                .when().get("/fhir/r5/Group/30001/$export");
        assertThat(kicked.statusCode()).as(kicked.asString()).isEqualTo(202);
        String location = kicked.header("Content-Location");
        return location.substring(location.indexOf("/fhir/"));
    }

    static JsonNode manifest(String status, Duration within) throws Exception {
        String[] body = new String[1];
        await().atMost(within).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            Response answer = given().auth().oauth2(mary).when().get(status);
            assertThat(answer.statusCode()).isIn(200, 202);
            body[0] = answer.asString();
            return answer.statusCode() == 200;
        });
        return JSON.readTree(body[0]);
    }

    /** Each file's name and count, in the manifest's order. */
    static List<String> files(JsonNode manifest) {
        List<String> files = new ArrayList<>();
        for (JsonNode output : manifest.get("output")) {
            String url = output.get("url").asText();
            files.add(url.substring(url.lastIndexOf('/') + 1) + " " + output.get("count").asLong());
        }
        return files;
    }

    static int attempts(String status) throws SQLException {
        try (Connection db = Uploads.store();
                PreparedStatement query = db.prepareStatement("SELECT attempts FROM fhir.export_job WHERE id = ?")) {
            query.setObject(1, UUID.fromString(status.substring(status.lastIndexOf('/') + 1)));
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getInt(1);
            }
        }
    }

    /** Reads a file (gzip), adding its observations' ids; returns its lines. */
    static long read(String url, Set<String> ids) throws Exception {
        Response file = given().auth().oauth2(mary).header("Accept-Encoding", "gzip")
                .config(io.restassured.RestAssured.config().decoderConfig(
                        io.restassured.config.DecoderConfig.decoderConfig().noContentDecoders()))
                .when().get(url.substring(url.indexOf("/fhir/")));
        assertThat(file.statusCode()).isEqualTo(200);
        boolean gzip = "gzip".equals(file.header("Content-Encoding"));
        long lines = 0;
        try (InputStream raw = file.asInputStream();
                BufferedReader reader = new BufferedReader(new InputStreamReader(
                        gzip ? new GZIPInputStream(raw) : raw, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                ids.add(JSON.readTree(line).get("id").asText());
                lines++;
            }
        }
        return lines;
    }
}
