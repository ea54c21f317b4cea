-- The reset mails sent to each account in the last hour, so that at most jhe.identity.reset.max-mails-per-hour go to
-- one mailbox whoever asks (the answer to the request stays the same). An account's rows older than the hour are
-- deleted when it asks again; the account's deletion cascades.
CREATE TABLE reset_mail (
    user_id  BIGINT       NOT NULL REFERENCES jhe_user (id) ON DELETE CASCADE,
    sent_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX reset_mail_user_idx ON reset_mail (user_id, sent_at);
