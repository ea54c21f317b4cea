package org.jupyterhealth.exchange.fhir.observation;

import java.time.OffsetDateTime;

/**
 * The orders an Observation search can be read in: by {@code _lastUpdated} (the default, newest first) or by
 * clinical time ({@code date}: the instant, or the start of the period; undated rows last in both directions).
 * The id breaks ties, so the order is total and a keyset can resume it.
 */
public enum ObservationOrder {
    LAST_UPDATED_DESC("o.last_updated", true, false),
    LAST_UPDATED_ASC("o.last_updated", false, false),
    DATE_DESC("o.effective_at", true, true),
    DATE_ASC("o.effective_at", false, true);

    final String column;
    final boolean descending;
    final boolean nullable;

    ObservationOrder(String column, boolean descending, boolean nullable) {
        this.column = column;
        this.descending = descending;
        this.nullable = nullable;
    }

    public static ObservationOrder of(String key, boolean descending) {
        if ("date".equals(key)) {
            return descending ? DATE_DESC : DATE_ASC;
        }
        return descending ? LAST_UPDATED_DESC : LAST_UPDATED_ASC;
    }

    /** The ORDER BY clause; {@code reversed} reads backwards (for a previous page). */
    String orderBy(boolean reversed) {
        boolean desc = descending != reversed;
        String direction = desc ? "DESC" : "ASC";
        String nulls = nullable ? (reversed ? " NULLS FIRST" : " NULLS LAST") : "";
        return column + " " + direction + nulls + ", o.id " + direction;
    }

    /**
     * Rows strictly after the anchor ({@code value} null for an undated anchor) when reading in this order
     * ({@code reversed} for backwards), as SQL over bound placeholders.
     */
    String after(String value, String id, boolean valueIsNull, boolean reversed) {
        boolean desc = descending != reversed;
        String op = desc ? "<" : ">";
        boolean nullsLast = nullable && !reversed;
        boolean nullsFirst = nullable && reversed;
        if (!valueIsNull) {
            String row = "(" + column + ", o.id) " + op + " (" + value + ", " + id + ")";
            return nullsLast ? "(" + row + " OR " + column + " IS NULL)" : row;
        }
        String inNulls = "(" + column + " IS NULL AND o.id " + op + " " + id + ")";
        return nullsFirst ? "(" + inNulls + " OR " + column + " IS NOT NULL)" : inNulls;
    }

    /** The sort value of a row, in the cursor's encoding (epoch microseconds, empty when undated). */
    String keyOf(StoredObservation row) {
        OffsetDateTime value = nullable ? row.effectiveAt() : row.lastUpdated();
        return value == null ? "" : Long.toString(ObservationRepository.micros(value));
    }
}
