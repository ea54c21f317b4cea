package org.jupyterhealth.exchange.identity.passkey;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** A passkey of an account, as its owner sees it. */
public record Passkey(long id, String label, OffsetDateTime createdAt, OffsetDateTime lastUsedAt) {
    /** The day it was added, in UTC (ISO 8601). */
    public String created() {
        return createdAt.atZoneSameInstant(ZoneOffset.UTC).toLocalDate().toString();
    }

    /** The day it last signed in, in UTC; null when never. */
    public String lastUsed() {
        return lastUsedAt == null ? null : lastUsedAt.atZoneSameInstant(ZoneOffset.UTC).toLocalDate().toString();
    }
}
