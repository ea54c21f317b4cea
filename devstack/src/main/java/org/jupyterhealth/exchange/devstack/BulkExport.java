package org.jupyterhealth.exchange.devstack;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code ./jhe export STUDY_ID DIR}: a FHIR Bulk Data export of one study ({@code Group/{id}/$export}) through the
 * stack's public URL, with the caller's access token. The kick-off allows partial manifests, so every file is
 * downloaded as soon as the status lists it, while the job still runs (its {@code X-Progress} shown as a bar); the
 * final manifest's counts are then checked against the lines of the files.
 *
 * <p>The job's status URL is kept in {@code DIR/.jhe-export}: the same command run again on the same folder (after
 * a Ctrl-C, a lost connection) follows that job instead of starting another, and skips the files it already holds
 * with the manifest's count of lines and size in bytes (the manifest's {@code extension.size} of each file); a file
 * in DIR that differs (cut short, damaged, edited) is downloaded again. Every download is checked the same way
 * before it takes its name in DIR, and downloaded once more when it does not match. A job the server redoes (its
 * service restarted) lists its files anew, the files it listed before no longer listed for a while: those are then
 * downloaded again once listed again, since a redone job's file is only known to be the same by its name, count and
 * size.
 */
final class BulkExport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PERCENT = Pattern.compile("^(\\d{1,3})%");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z]{1,64}-[0-9]{1,9}\\.ndjson");
    /** The file, in DIR, naming the job whose files DIR holds. */
    static final String JOB_FILE = ".jhe-export";

    /** What was downloaded: the files and the resources they hold. */
    record Result(List<Path> files, long resources) {
    }

    /**
     * An {@code output} entry of a manifest: a file's name (checked), resource type, URL, count and size in bytes
     * (null when the server gives none).
     */
    private record Listed(String name, String type, String url, long count, Long size) {
    }

    /** What a file holds: its lines (one resource each) and bytes. */
    private record Held(long lines, long bytes) {
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
        if (studyId == null || !studyId.matches("[1-9][0-9]{0,17}")) {
            throw new LauncherException("STUDY_ID must be a study's number, such as 30001");
        }
        Files.createDirectories(dir);
        Path jobFile = dir.resolve(JOB_FILE);
        String status;
        boolean resumed = Files.exists(jobFile);
        if (resumed) {
            status = Files.readString(jobFile, StandardCharsets.UTF_8).trim();
            if (!status.startsWith(fhirBase + "/_export/") || status.length() > 512
                    || status.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new LauncherException(jobFile + " does not name an export of this stack: remove it (or choose "
                        + "another DIR) to start a new export");
            }
            progress.accept("following the export started earlier into " + dir + " (" + status + ")");
        } else {
            status = kickOff(studyId);
            Files.writeString(jobFile, status + "\n", StandardCharsets.UTF_8);
        }
        // name -> lines of the file as downloaded (or found in DIR) from the listing this command follows
        Map<String, Long> held = new LinkedHashMap<>();
        // names listed by a job the server has since redone: downloaded again, whatever DIR holds
        Set<String> forgotten = new HashSet<>();
        JsonNode manifest;
        while (true) {
            HttpResponse<String> answer = http.send(request(status).GET().build(), HttpResponse.BodyHandlers.ofString());
            int code = answer.statusCode();
            if (code == 200) {
                manifest = JSON.readTree(answer.body());
                progress.accept(bar(100) + " done");
                break;
            }
            if (code != 202) {
                throw statusRefused(answer, resumed, jobFile);
            }
            String told = answer.headers().firstValue("X-Progress").orElse("");
            progress.accept(bar(percent(told)) + " " + told);
            // a partial manifest: the files finished so far, fetched now rather than after the last one
            List<Listed> listed = answer.body().isBlank() ? List.of() : outputs(JSON.readTree(answer.body()));
            forgetUnlisted(held, forgotten, listed, progress);
            for (Listed file : listed) {
                fetchUnlessHeld(file, dir, held, forgotten, progress, true);
            }
            long wait = answer.headers().firstValue("Retry-After").map(BulkExport::seconds).orElse(1L);
            Thread.sleep(Math.min(poll.toMillis(), Math.max(100, wait * 1000)));
        }
        List<Listed> listed = outputs(manifest);
        forgetUnlisted(held, forgotten, listed, progress);
        List<Path> files = new ArrayList<>();
        long resources = 0;
        for (Listed file : listed) {
            fetchUnlessHeld(file, dir, held, forgotten, progress, false);
            // what the manifest says each file holds is what DIR holds, line for line
            long lines = held.get(file.name());
            if (lines != file.count()) {
                throw new LauncherException(file.name() + " holds " + lines + " resources where the manifest says "
                        + file.count());
            }
            files.add(dir.resolve(file.name()));
            resources += file.count();
        }
        return new Result(files, resources);
    }

    /** The kick-off, allowing partial manifests; the status URL. */
    private String kickOff(String studyId) throws IOException, InterruptedException {
        HttpResponse<String> kicked = http.send(request(fhirBase + "/Group/" + studyId + "/$export"
                + "?allowPartialManifests=true").header("Prefer", "respond-async").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        int code = kicked.statusCode();
        if (code != 202) {
            String reason = switch (code) {
                case 401 -> "the access token in JHE_TOKEN is not accepted (expired? get another from POST /o/token)";
                case 403 -> "this user may not export study " + studyId;
                case 404 -> "no study " + studyId + " this user can see";
                case 429 -> "this user has as many exports running as allowed; wait for one to end (retry after "
                        + kicked.headers().firstValue("Retry-After").orElse("a few") + " s)";
                default -> "the server refused the export";
            };
            throw new LauncherException(reason + " (" + code + "): " + problem(kicked.body()));
        }
        String status = kicked.headers().firstValue("Content-Location")
                .orElseThrow(() -> new LauncherException("the kick-off named no status URL"));
        if (!status.startsWith(fhirBase + "/_export/")) {
            throw new LauncherException("the kick-off named a status URL outside " + fhirBase + ": " + status);
        }
        return status;
    }

    private static LauncherException statusRefused(HttpResponse<String> answer, boolean resumed, Path jobFile) {
        int code = answer.statusCode();
        if (code == 404 || code == 410) {
            return new LauncherException("the export job is no longer on the server (expired or cancelled)"
                    + (resumed ? "; remove " + jobFile + " (or choose another DIR) to start a new export" : ""));
        }
        if (code == 401) {
            return new LauncherException("the access token in JHE_TOKEN is not accepted any more (401): get another "
                    + "from POST /o/token and run the same command again to go on with this export");
        }
        return new LauncherException("the export failed (" + code + "): " + problem(answer.body()));
    }

    /**
     * Forgets the files held that the listing no longer names, or names with another count: the server redoes the
     * job (its service restarted), and they are downloaded again once listed again.
     */
    private static void forgetUnlisted(Map<String, Long> held, Set<String> forgotten, List<Listed> listed,
            Consumer<String> progress) {
        Map<String, Long> now = new LinkedHashMap<>();
        listed.forEach(file -> now.put(file.name(), file.count()));
        List<String> gone = held.keySet().stream().filter(name -> !held.get(name).equals(now.get(name))).toList();
        if (!gone.isEmpty()) {
            progress.accept("the server redoes the export: " + String.join(", ", gone)
                    + " will be downloaded again once listed again");
        }
        gone.forEach(held::remove);
        forgotten.addAll(gone);
    }

    /**
     * Downloads a listed file unless DIR holds it already: downloaded by this command from the current listing, or
     * (a command run again on the same folder) found there with the listed count of lines and size. A download
     * that does not match the listing is made once more, then refused.
     */
    private void fetchUnlessHeld(Listed file, Path dir, Map<String, Long> held, Set<String> forgotten,
            Consumer<String> progress, boolean running) throws IOException, InterruptedException {
        if (held.containsKey(file.name())) {
            return;
        }
        Path target = dir.resolve(file.name());
        if (!forgotten.contains(file.name()) && Files.isRegularFile(target)) {
            Held found = measure(target);
            String mismatch = mismatch(file, found);
            if (mismatch == null) {
                held.put(file.name(), file.count());
                progress.accept("already downloaded: " + file.name() + " (" + file.count() + " " + file.type() + ")");
                return;
            }
            progress.accept(mismatch + " in " + dir + ": downloading it again");
        }
        // written beside and renamed once complete and checked, so that a download cut short or damaged never
        // looks like a file held
        Path partial = dir.resolve(file.name() + ".part");
        Held got = null;
        String mismatch = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            got = download(file, partial, running);
            if (got == null) {
                return; // listed, then forgotten by a job being redone: fetched when listed again
            }
            mismatch = mismatch(file, got);
            if (mismatch == null) {
                break;
            }
            Files.deleteIfExists(partial);
            if (attempt == 0) {
                progress.accept(mismatch + " as downloaded: downloading it again");
            }
        }
        if (mismatch != null) {
            throw new LauncherException(mismatch);
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        held.put(file.name(), got.lines());
        forgotten.remove(file.name());
        progress.accept("downloaded " + file.name() + " (" + got.lines() + " " + file.type() + ")"
                + (running ? " while the export runs" : ""));
    }

    /** How a file differs from its listing, or null when it holds the listed count of lines and size. */
    private static String mismatch(Listed file, Held held) {
        if (held.lines() != file.count()) {
            return file.name() + " holds " + held.lines() + " resources where the manifest says " + file.count();
        }
        if (file.size() != null && held.bytes() != file.size()) {
            return file.name() + " holds " + held.bytes() + " bytes where the manifest says " + file.size();
        }
        return null;
    }

    /**
     * Downloads a file into {@code partial}; null when the server no longer has it while the job runs (a job being
     * redone).
     */
    private Held download(Listed file, Path partial, boolean running) throws IOException, InterruptedException {
        HttpResponse<InputStream> answer = http.send(request(file.url()).header("Accept-Encoding", "gzip").GET()
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        if (answer.statusCode() != 200) {
            answer.body().close();
            if (running && answer.statusCode() == 404) {
                return null;
            }
            throw new LauncherException("cannot download " + file.name() + " (" + answer.statusCode() + ")");
        }
        long lines = 0;
        long bytes = 0;
        boolean gzip = answer.headers().firstValue("Content-Encoding").map("gzip"::equalsIgnoreCase).orElse(false);
        try (InputStream body = gzip ? new GZIPInputStream(answer.body(), 1 << 16) : answer.body();
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16)) {
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = body.read(buffer)) > 0) {
                out.write(buffer, 0, read);
                bytes += read;
                lines += newlines(buffer, read);
            }
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw new IOException("downloading " + file.name() + ": " + e.getMessage(), e);
        }
        return new Held(lines, bytes);
    }

    /** A manifest's {@code output} entries, each file's name checked before it names a file in DIR. */
    private static List<Listed> outputs(JsonNode manifest) {
        List<Listed> listed = new ArrayList<>();
        for (JsonNode output : manifest.path("output")) {
            String url = output.path("url").asText();
            String name = url.substring(url.lastIndexOf('/') + 1);
            if (!FILE_NAME.matcher(name).matches()) {
                throw new LauncherException("the manifest names a file this command does not write: "
                        + (name.length() > 80 ? name.substring(0, 80) : name));
            }
            if (!output.path("count").canConvertToLong() || output.path("count").asLong() < 0) {
                throw new LauncherException("the manifest gives " + name + " no count");
            }
            JsonNode size = output.path("extension").path("size");
            if (!size.isMissingNode() && !(size.isIntegralNumber() && size.canConvertToLong() && size.asLong() >= 0)) {
                throw new LauncherException("the manifest gives " + name + " a size that is not a number of bytes");
            }
            listed.add(new Listed(name, output.path("type").asText(), url, output.path("count").asLong(),
                    size.isMissingNode() ? null : size.asLong()));
        }
        return listed;
    }

    /** The lines and bytes of a file in DIR. */
    private static Held measure(Path file) throws IOException {
        long lines = 0;
        long bytes = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                bytes += read;
                lines += newlines(buffer, read);
            }
        }
        return new Held(lines, bytes);
    }

    private static long newlines(byte[] buffer, int length) {
        long lines = 0;
        for (int i = 0; i < length; i++) {
            if (buffer[i] == '\n') {
                lines++;
            }
        }
        return lines;
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

    /**
     * An OperationOutcome's diagnostics, or the start of whatever else the server said; control characters shown
     * as {@code ?} (nothing a server says moves the terminal's cursor).
     */
    static String problem(String body) {
        String said = body == null ? "" : body;
        try {
            JsonNode issue = JSON.readTree(said).path("issue").path(0).path("diagnostics");
            if (issue.isTextual()) {
                said = issue.asText();
            }
        } catch (IOException e) {
            // not JSON: shown as it is
        }
        said = said.length() > 200 ? said.substring(0, 200) : said;
        return said.replaceAll("\\p{Cntrl}", "?");
    }
}
