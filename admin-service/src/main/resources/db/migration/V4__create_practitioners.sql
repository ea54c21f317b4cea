-- Practitioners and their role in each organization (manager, member or viewer).
CREATE SEQUENCE practitioner_seq START WITH 80001 INCREMENT BY 1;

CREATE TABLE practitioner (
    id            BIGINT       PRIMARY KEY DEFAULT nextval('practitioner_seq'),
    jhe_user_id   BIGINT       NOT NULL UNIQUE,
    identifier    VARCHAR(255),
    name_family   VARCHAR(255),
    name_given    VARCHAR(255),
    settings      JSONB        NOT NULL DEFAULT '{}',
    last_updated  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
ALTER SEQUENCE practitioner_seq OWNED BY practitioner.id;

CREATE SEQUENCE practitioner_organization_seq START WITH 1 INCREMENT BY 1;
CREATE TABLE practitioner_organization (
    id               BIGINT      PRIMARY KEY DEFAULT nextval('practitioner_organization_seq'),
    practitioner_id  BIGINT      NOT NULL REFERENCES practitioner (id) ON DELETE CASCADE,
    organization_id  BIGINT      NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    role             VARCHAR(20) NOT NULL DEFAULT 'member' CHECK (role IN ('manager', 'member', 'viewer')),
    CONSTRAINT practitioner_organization_unique UNIQUE (practitioner_id, organization_id)
);
ALTER SEQUENCE practitioner_organization_seq OWNED BY practitioner_organization.id;
CREATE INDEX practitioner_organization_org_idx ON practitioner_organization (organization_id, practitioner_id);
