-- The audit log: every write and every denied request, written by io.cloudpilot.platform.audit. ${generated_id} is
-- the one phrase the dialects write differently (Migrations.PHRASES). Times are fixed-width ISO-8601 UTC
-- with milliseconds (2024-01-15T10:30:00.123Z), so they compare and sort as text.
CREATE TABLE audit_log (
    id         ${generated_id},
    at         VARCHAR(24)  NOT NULL,
    principal  VARCHAR(520) NOT NULL,
    role       VARCHAR(16),
    action     VARCHAR(520) NOT NULL,
    method     VARCHAR(16),
    path       VARCHAR(520),
    cluster    VARCHAR(520),
    namespace  VARCHAR(520),
    object     VARCHAR(520),
    from_state VARCHAR(520),
    to_state   VARCHAR(520),
    result     VARCHAR(520) NOT NULL,
    status     INTEGER      NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_principal ON audit_log (principal, at);
