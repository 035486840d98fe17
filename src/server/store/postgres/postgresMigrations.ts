import type { Migration } from '../migration';

/** PostgreSQL schema history; same tables as SQLite. Times are epoch ms (BIGINT). */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'users, sessions, workspaces, login throttle, settings',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
        default_password BOOLEAN NOT NULL DEFAULT FALSE,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX users_username_key ON users (lower(username));
      CREATE INDEX users_role ON users (role);

      CREATE TABLE user_emails (
        email TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        position INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX user_emails_email_key ON user_emails (lower(email));
      CREATE INDEX user_emails_user ON user_emails (user_id);

      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at BIGINT NOT NULL,
        last_used_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX sessions_user ON sessions (user_id);

      CREATE TABLE workspaces (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        builtin BOOLEAN NOT NULL DEFAULT FALSE,
        created_by TEXT,
        created_at BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX workspaces_name_key ON workspaces (lower(name));
      INSERT INTO workspaces (id, name, builtin, created_by, created_at)
        VALUES ('default', 'default', TRUE, NULL, (extract(epoch FROM now()) * 1000)::bigint);

      CREATE TABLE login_throttle (
        key TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        last_failure_at BIGINT NOT NULL,
        blocked_until BIGINT NOT NULL DEFAULT 0
      );

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
];
