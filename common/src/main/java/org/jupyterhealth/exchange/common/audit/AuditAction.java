package org.jupyterhealth.exchange.common.audit;

/** The kinds of access an {@link AuditEvent} records; the wire name is {@link #wire()}. */
public enum AuditAction {
    READ("read"),
    SEARCH("search"),
    CREATE("create"),
    UPDATE("update"),
    DELETE("delete"),
    EXPORT("export"),
    LOGIN("login"),
    LOGIN_FAILED("login-failed"),
    TOKEN("token"),
    REVOKE("revoke"),
    CONSENT("consent");

    private final String wire;

    AuditAction(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The action of a wire name, or null. */
    public static AuditAction of(String wire) {
        for (AuditAction action : values()) {
            if (action.wire.equals(wire)) {
                return action;
            }
        }
        return null;
    }
}
