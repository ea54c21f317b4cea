package org.jupyterhealth.exchange.common.upload;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The outcome of one uploaded entry: {@code 201} with the id of the stored Observation, or an HTTP error status
 * with a FHIR issue code and a message that names the problem (never health data).
 *
 * <p>An outcome is small by construction, whatever the upload held: the message is cut to
 * {@link #MAX_DIAGNOSTICS} characters, and characters that cannot be stored or shown as they are (control
 * characters, halves of surrogate pairs) are replaced. An upload's outcome travels as one Kafka record and is stored
 * as JSONB; an echoed megabyte-long code or a NUL byte would otherwise make it unsendable or unstorable.
 *
 * @param status        HTTP status of the entry: 201, 204 (deleted), 400, 403, 404, 409, 422 (or 503/500 when the
 *                      whole upload could not be decided)
 * @param observationId the stored (201) or deleted (204) Observation's id, else null
 * @param issueCode     FHIR issue type of the failure ({@code invalid}, {@code forbidden}, {@code duplicate}, ...),
 *                      null on success
 * @param diagnostics   the failure message, null on success
 * @param resourceType  for an entry of the FHIR resource store: the stored (or deleted) resource's type, else null
 * @param resourceId    for an entry of the FHIR resource store: its id (a UUID), else null
 * @param versionId     for an entry of the FHIR resource store: the version written (or deleted), else null
 * @param expression    the FHIRPath of the element a failure is about, when it is about one, else null
 * @param refsIndexed   for a reference indexing ({@code index-refs}) done: what it did, else null (and absent)
 */
public record EntryOutcome(int status, Long observationId, String issueCode, String diagnostics, String resourceType,
        String resourceId, Long versionId, String expression,
        @JsonInclude(JsonInclude.Include.NON_NULL) RefsIndexed refsIndexed) {

    /**
     * What a reference indexing of a FHIR source did: the resources it looked at (each once), the references it
     * rewrote to the store's ids, and those it found nothing of the source's for.
     */
    public record RefsIndexed(int rowsIndexed, int refsRewritten, int refsNotFound) {
    }

    /** Longest message kept; 1000 entries of it stay far below Kafka's 1 MiB record limit. */
    public static final int MAX_DIAGNOSTICS = 300;
    /** Longest piece of a client's input quoted in a message ({@link #quote}). */
    public static final int MAX_QUOTED = 64;

    public EntryOutcome {
        diagnostics = printable(diagnostics, MAX_DIAGNOSTICS);
        issueCode = printable(issueCode, 32);
        expression = printable(expression, 200);
    }

    public EntryOutcome(int status, Long observationId, String issueCode, String diagnostics, String resourceType,
            String resourceId, Long versionId, String expression) {
        this(status, observationId, issueCode, diagnostics, resourceType, resourceId, versionId, expression, null);
    }

    public EntryOutcome(int status, Long observationId, String issueCode, String diagnostics) {
        this(status, observationId, issueCode, diagnostics, null, null, null, null, null);
    }

    /** A reference indexing done (200). */
    public static EntryOutcome indexed(RefsIndexed refsIndexed) {
        return new EntryOutcome(200, null, null, null, null, null, null, null, refsIndexed);
    }

    /** A resource of the FHIR resource store written: 201 (created) or 200 (updated), or 204 (deleted). */
    public static EntryOutcome stored(int status, String resourceType, String resourceId, long versionId) {
        return new EntryOutcome(status, null, null, null, resourceType, resourceId, versionId, null);
    }

    /** A failure about one element of the resource, named by its FHIRPath. */
    public static EntryOutcome failedAt(int status, String issueCode, String diagnostics, String expression) {
        return new EntryOutcome(status, null, issueCode, diagnostics, null, null, null, expression);
    }

    public static EntryOutcome created(long observationId) {
        return new EntryOutcome(201, observationId, null, null);
    }

    public static EntryOutcome deleted(long observationId) {
        return new EntryOutcome(204, observationId, null, null);
    }

    public static EntryOutcome failed(int status, String issueCode, String diagnostics) {
        return new EntryOutcome(status, null, issueCode, diagnostics);
    }

    /** An Observation of the Open mHealth store created. */
    public boolean created() {
        return status == 201 && resourceId == null;
    }

    /** A resource of the FHIR resource store written or deleted. */
    public boolean stored() {
        return resourceId != null && status < 300;
    }

    /**
     * A value the client sent, as a message may quote it: at most {@link #MAX_QUOTED} characters, control
     * characters replaced. Messages name what was wrong; they never repeat input in full.
     */
    public static String quote(String value) {
        return value == null ? "null" : printable(value, MAX_QUOTED);
    }

    /** The text cut to {@code max} characters (with an ellipsis), every unprintable character as U+FFFD. */
    static String printable(String text, int max) {
        if (text == null) {
            return null;
        }
        boolean cut = text.length() > max;
        int end = cut ? max - 1 : text.length();
        StringBuilder kept = null;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            boolean pairStart = Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(
                    text.charAt(i + 1));
            if (pairStart) {
                if (kept != null) {
                    kept.append(c).append(text.charAt(i + 1));
                }
                i++;
                continue;
            }
            boolean bad = c < 0x20 || c == 0x7F || Character.isSurrogate(c);
            if (bad && kept == null) {
                kept = new StringBuilder(end).append(text, 0, i);
            }
            if (kept != null) {
                kept.append(bad ? '\uFFFD' : c);
            }
        }
        String shown = kept != null ? kept.toString() : cut ? text.substring(0, end) : text;
        return cut ? shown + "…" : shown;
    }
}
