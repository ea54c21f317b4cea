package org.jupyterhealth.exchange.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code ./jhe export STUDY_ID DIR}: a FHIR Bulk Data export of one study ({@code Group/{id}/$export}) through the
 * stack's public URL, with the caller's access token: the kick-off, the status polled (its {@code X-Progress} shown
 * as a bar) until the manifest is there, then every file downloaded into the folder.
 */
final class BulkExport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PERCENT = Pattern.compile("^(\\d{1,3})%");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z]{1,64}-[0-9]{1,9}\\.ndjson");

    /** What was downloaded: the files and the resources they hold. */
    record Result(List<Path> files, long resources) {
    }

    private final HttpClient http;
    private final String fhirBase;
    private final String token;
    private final Duration poll;

    /**
     * @param fhirBase the FHIR base, e.g. {@code http://localhost:8000/fhir/r5}
     * @param poll     the longest wait between two looks at the status (the server's {@code Retry-After} when less)
     */
    BulkExport(HttpClient http, String fhirBase, String token, Duration poll) {
        this.http = http;
        this.fhirBase = fhirBase;
        this.token = token;
        this.poll = poll;
    }

    Result run(String studyId, Path dir, Consumer<String> progress) throws IOException, InterruptedException {
        if (!studyId.matches("[1-9][0-9]{0,17}")) {
            throw new LauncherException("STUDY_ID must be a study's number, such as 30001");
        }
        HttpResponse<String> kicked = http.send(request(fhirBase + "/Group/" + studyId + "/$export")
                .header("Prefer", "respond-async").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (kicked.statusCode() != 202) {
            throw new LauncherException("the export was refused (" + kicked.statusCode() + "): " + problem(kicked.body()));
        }
        String status = kicked.headers().firstValue("Content-Location")
                .orElseThrow(() -> new LauncherException("the kick-off named no status URL"));
        JsonNode manifest;
        while (true) {
            HttpResponse<String> answer = http.send(request(status).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                manifest = JSON.readTree(answer.body());
                progress.accept(bar(100) + " done");
                break;
            }
            if (answer.statusCode() != 202) {
                throw new LauncherException("the export failed (" + answer.statusCode() + "): " + problem(answer.body()));
            }
            String told = answer.headers().firstValue("X-Progress").orElse("");
            progress.accept(bar(percent(told)) + " " + told);
            long wait = answer.headers().firstValue("Retry-After").map(BulkExport::seconds).orElse(1L);
            Thread.sleep(Math.min(poll.toMillis(), Math.max(100, wait * 1000)));
        }
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        long resources = 0;
        for (JsonNode output : manifest.path("output")) {
            String url = output.path("url").asText();
            String name = url.substring(url.lastIndexOf('/') + 1);
            if (!FILE_NAME.matcher(name).matches()) {
                throw new LauncherException("the manifest names a file this command does not write: " + name);
            }
            HttpResponse<InputStream> file = http.send(request(url).header("Accept-Encoding", "gzip").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (file.statusCode() != 200) {
                throw new LauncherException("cannot download " + name + " (" + file.statusCode() + ")");
            }
            Path target = dir.resolve(name);
            boolean gzip = file.headers().firstValue("Content-Encoding").map("gzip"::equalsIgnoreCase).orElse(false);
            try (InputStream body = gzip ? new GZIPInputStream(file.body()) : file.body()) {
                Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
            }
            files.add(target);
            resources += output.path("count").asLong();
            progress.accept("downloaded " + name + " (" + output.path("count").asLong() + " "
                    + output.path("type").asText() + ")");
        }
        return new Result(files, resources);
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + token).header("Accept", "application/fhir+json");
    }

    /** The percentage an {@code X-Progress} value starts with ({@code 42% (...)}), 0 when it names none. */
    static int percent(String progress) {
        Matcher matcher = PERCENT.matcher(progress == null ? "" : progress);
        return matcher.find() ? Math.min(100, Integer.parseInt(matcher.group(1))) : 0;
    }

    /** A progress bar of 30 cells. */
    static String bar(int percent) {
        int full = Math.max(0, Math.min(30, percent * 30 / 100));
        return "[" + "#".repeat(full) + ".".repeat(30 - full) + "] " + String.format("%3d%%", percent);
    }

    private static long seconds(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** An OperationOutcome's diagnostics, or the start of whatever else the server said. */
    private static String problem(String body) {
        try {
            JsonNode issue = JSON.readTree(body).path("issue").path(0).path("diagnostics");
            if (issue.isTextual()) {
                return issue.asText();
            }
        } catch (IOException e) {
            // not JSON: shown as it is
        }
        return body.length() > 200 ? body.substring(0, 200) : body;
    }
}
