-- Organizations form a tree under ROOT (id 0). Deleting an organization deletes its sub-organizations.
CREATE SEQUENCE organization_seq START WITH 20001 INCREMENT BY 1;

CREATE TABLE organization (
    id            BIGINT       PRIMARY KEY DEFAULT nextval('organization_seq'),
    name          VARCHAR(255) NOT NULL,
    type          VARCHAR(40)  NOT NULL,
    part_of       BIGINT       REFERENCES organization (id) ON DELETE CASCADE,
    last_updated  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
ALTER SEQUENCE organization_seq OWNED BY organization.id;
CREATE INDEX organization_part_of_idx ON organization (part_of);

INSERT INTO organization (id, name, type, part_of) VALUES (0, 'ROOT', 'root', NULL);
