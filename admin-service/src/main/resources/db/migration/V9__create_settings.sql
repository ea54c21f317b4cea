-- Site-wide settings (JheSetting): one typed value per key.
CREATE SEQUENCE jhe_setting_seq START WITH 1 INCREMENT BY 1;
CREATE TABLE jhe_setting (
    id            BIGINT           PRIMARY KEY DEFAULT nextval('jhe_setting_seq'),
    key           VARCHAR(255)     NOT NULL UNIQUE,
    value_type    VARCHAR(10)      NOT NULL CHECK (value_type IN ('string', 'int', 'bool', 'float', 'json')),
    value_string  TEXT,
    value_int     BIGINT,
    value_bool    BOOLEAN,
    value_float   DOUBLE PRECISION,
    value_json    JSONB,
    last_updated  TIMESTAMPTZ      NOT NULL DEFAULT now()
);
ALTER SEQUENCE jhe_setting_seq OWNED BY jhe_setting.id;
