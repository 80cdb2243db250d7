-- The cluster registry. Dialect-neutral: the same text runs on SQLite and PostgreSQL.
-- Times are ISO-8601 UTC strings (2024-01-15T10:30:00Z). Secrets are sealed by SecretBox
-- (AES-256-GCM, "v1:<key id>:<base64>"), never stored in clear; ca_data is public and stored as given.
CREATE TABLE clusters (
    name              VARCHAR(63)   NOT NULL PRIMARY KEY,
    api_server        VARCHAR(2048) NOT NULL,
    description       VARCHAR(1024),
    auth_kind         VARCHAR(16)   NOT NULL,
    tls_mode          VARCHAR(32)   NOT NULL,
    ca_data           TEXT,
    token_sealed      TEXT,
    kubeconfig_sealed TEXT,
    revision          VARCHAR(36)   NOT NULL,
    created_at        VARCHAR(32)   NOT NULL,
    updated_at        VARCHAR(32)   NOT NULL,
    reachability      VARCHAR(16)   NOT NULL,
    checked_at        VARCHAR(32),
    last_error        VARCHAR(1024),
    server_version    VARCHAR(128)
);
