package org.jupyterhealth.exchange.fhir.search;

/**
 * One value of a FHIR token parameter: {@code system|code} (that system), {@code |code} (no system) or {@code code}
 * (any system).
 *
 * @param system the system, {@code ""} for "no system", null for "any system"
 */
public record TokenValue(String system, String code) {

    public static TokenValue parse(String raw) {
        int bar = raw.indexOf('|');
        if (bar < 0) {
            return new TokenValue(null, raw);
        }
        return new TokenValue(raw.substring(0, bar), raw.substring(bar + 1));
    }

    /** Whether a coded value matches; an empty code after {@code system|} matches any code of that system. */
    public boolean matches(String system, String code) {
        boolean systemMatches = this.system == null || this.system.equals(system == null ? "" : system);
        boolean codeMatches = this.code.isEmpty() ? this.system != null : this.code.equals(code);
        return systemMatches && codeMatches;
    }
}
