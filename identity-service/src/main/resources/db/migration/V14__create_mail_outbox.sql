-- E-mails waiting to be sent (docs/architecture.md#e-mail): the shape of every service's mail outbox (common
-- MailOutbox), sent by common's MailRelay. Written in the transaction of the change that causes them (a password
-- reset link is queued with its token), deleted once the mail server accepted them. A message the server refused or
-- could not take is tried again at next_attempt_at, later after each attempt; after the last attempt it stays,
-- failed, for an operator. The bodies carry credentials (reset links): they live here until sent, never in a log.
CREATE SEQUENCE mail_outbox_seq START WITH 1 INCREMENT BY 1;
CREATE TABLE mail_outbox (
    id               BIGINT       PRIMARY KEY DEFAULT nextval('mail_outbox_seq'),
    recipient        VARCHAR(254) NOT NULL,
    subject          TEXT         NOT NULL,
    text_body        TEXT         NOT NULL,
    html_body        TEXT         NOT NULL,
    attempts         INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    failed           BOOLEAN      NOT NULL DEFAULT false,
    created          TIMESTAMPTZ  NOT NULL DEFAULT now()
);
ALTER SEQUENCE mail_outbox_seq OWNED BY mail_outbox.id;
-- the relay's question: which messages are due
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE NOT failed;
-- The runtime role reads and writes its rows, and draws ids from the sequence, through the default privileges of V1.
