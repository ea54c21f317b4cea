-- Audit events of committed changes that the broker did not take in time (Kafka down or slow): kept here and sent
-- again by the spool's relay, so that a change to a patient record or a consent is never left without its event.
-- An event names who, what and whose; it never holds health data or a credential.
CREATE SEQUENCE audit_spool_seq START WITH 1 INCREMENT BY 1;
CREATE TABLE audit_spool (
    id           BIGINT       PRIMARY KEY DEFAULT nextval('audit_spool_seq'),
    event_key    TEXT         NOT NULL,
    payload      TEXT         NOT NULL,
    created      TIMESTAMPTZ  NOT NULL DEFAULT now()
);
ALTER SEQUENCE audit_spool_seq OWNED BY audit_spool.id;
