package org.jupyterhealth.exchange.ingest.omh;

import com.networknt.schema.ExecutionContext;
import com.networknt.schema.format.DateTimeFormat;
import com.networknt.schema.format.Format;

/**
 * The JSON Schema {@code date-time} format as the Open mHealth and IEEE 1752 date-time schemas define it: an RFC 3339
 * date-time, whose offset may be left out ("if a timezone is not included, the timezone is assumed to be UTC").
 * Anything else, such as month 13, hour 99 or a five-digit year, is refused.
 */
final class OpenMHealthDateTime implements Format {
    static final String NAME = "date-time";

    private final DateTimeFormat rfc3339 = new DateTimeFormat();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getMessageKey() {
        return rfc3339.getMessageKey();
    }

    @Override
    public boolean matches(ExecutionContext context, String value) {
        return rfc3339.matches(context, value) || withoutOffset(value) && rfc3339.matches(context, value + "Z");
    }

    /** Whether the time part (after the {@code T}) names no offset: no {@code Z}, {@code +} or {@code -}. */
    static boolean withoutOffset(String value) {
        int time = value.indexOf('T') >= 0 ? value.indexOf('T') : value.indexOf('t');
        if (time < 0) {
            return false;
        }
        for (int i = time + 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 'Z' || c == 'z' || c == '+' || c == '-') {
                return false;
            }
        }
        return true;
    }
}
