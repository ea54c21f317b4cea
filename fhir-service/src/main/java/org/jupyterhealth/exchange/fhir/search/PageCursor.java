package org.jupyterhealth.exchange.fhir.search;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

/**
 * Where a page of search results starts: a keyset position (the sort value and id of the row next to the page), not
 * an offset, so that a page costs the same at any depth and rows inserted meanwhile neither repeat nor push rows
 * out. {@code snapshot} pins the result set to what existed when the first page was read (rows updated later are
 * left out), so the {@code total} computed for the first page stays true for every page.
 *
 * @param forward  true for the page after the anchor row ({@code next}), false for the page before it
 *                 ({@code previous})
 * @param key      the anchor row's sort value, encoded by the search that made the cursor; empty for none (null)
 * @param id       the anchor row's id
 * @param snapshot epoch microseconds of the snapshot
 * @param total    the total of the first page, or -1
 */
public record PageCursor(boolean forward, String key, long id, long snapshot, long total) {
    private static final String VERSION = "1";

    /** The same anchor, read in the other direction. */
    public PageCursor withDirection(boolean forward) {
        return new PageCursor(forward, key, id, snapshot, total);
    }

    /** The opaque value of {@code _cursor}. */
    public String encode() {
        String raw = VERSION + "~" + (forward ? "n" : "p") + "~" + id + "~" + snapshot + "~" + total + "~" + key;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static PageCursor decode(String value) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
            String[] parts = raw.split("~", 6);
            if (parts.length != 6 || !VERSION.equals(parts[0]) || !(parts[1].equals("n") || parts[1].equals("p"))) {
                throw invalid();
            }
            return new PageCursor(parts[1].equals("n"), parts[5], Long.parseLong(parts[2]), Long.parseLong(parts[3]),
                    Long.parseLong(parts[4]));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static InvalidRequestException invalid() {
        return new InvalidRequestException("Invalid value for _cursor: use the next and previous links as given.");
    }
}
