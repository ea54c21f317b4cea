-- Domain events waiting to be published on topic admin-events. Written in the transaction of the change they
-- describe, deleted once Kafka acknowledged them: a change is never published without being committed, and never
-- committed without being published.
CREATE SEQUENCE admin_event_outbox_seq START WITH 1 INCREMENT BY 1;
CREATE TABLE admin_event_outbox (
    id           BIGINT       PRIMARY KEY DEFAULT nextval('admin_event_outbox_seq'),
    event_key    VARCHAR(40)  NOT NULL,
    payload      TEXT         NOT NULL,
    created      TIMESTAMPTZ  NOT NULL DEFAULT now()
);
ALTER SEQUENCE admin_event_outbox_seq OWNED BY admin_event_outbox.id;
