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
  {
    version: 2,
    name: 'access file versions, reviews, verdicts, comments, releases, audit log',
    sql: `
      CREATE TABLE access_policies (
        version INTEGER PRIMARY KEY,
        content TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        applied_by TEXT,
        applied_at BIGINT NOT NULL
      );

      CREATE TABLE reviews (
        id BIGSERIAL PRIMARY KEY,
        path TEXT NOT NULL,
        name TEXT NOT NULL,
        workspace TEXT NOT NULL,
        env TEXT NOT NULL,
        prompt_workspace TEXT,
        prompt_env TEXT,
        status TEXT NOT NULL CHECK (status IN ('open', 'withdrawn', 'published')),
        author_id TEXT NOT NULL,
        author TEXT NOT NULL,
        note TEXT NOT NULL,
        base_hash TEXT,
        base_content TEXT,
        head_hash TEXT NOT NULL,
        revision INTEGER NOT NULL,
        git_branch TEXT,
        git_commit TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        closed_at BIGINT,
        closed_by TEXT
      );
      CREATE INDEX reviews_status ON reviews (status, id);
      CREATE INDEX reviews_author ON reviews (lower(author));

      CREATE TABLE review_revisions (
        review_id BIGINT NOT NULL REFERENCES reviews (id),
        number INTEGER NOT NULL,
        head_hash TEXT NOT NULL,
        content TEXT NOT NULL,
        note TEXT NOT NULL,
        git_branch TEXT,
        git_commit TEXT,
        author TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (review_id, number)
      );

      CREATE TABLE review_verdicts (
        id BIGSERIAL PRIMARY KEY,
        review_id BIGINT NOT NULL REFERENCES reviews (id),
        revision INTEGER NOT NULL,
        head_hash TEXT NOT NULL,
        user_id TEXT NOT NULL,
        username TEXT NOT NULL,
        verdict TEXT NOT NULL CHECK (verdict IN ('approve', 'request_changes')),
        note TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        dismissed_at BIGINT,
        dismissed_reason TEXT
      );
      CREATE INDEX review_verdicts_review ON review_verdicts (review_id, id);

      CREATE TABLE review_comments (
        id BIGSERIAL PRIMARY KEY,
        review_id BIGINT NOT NULL REFERENCES reviews (id),
        revision INTEGER NOT NULL,
        user_id TEXT NOT NULL,
        username TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX review_comments_review ON review_comments (review_id, id);

      CREATE TABLE releases (
        id BIGSERIAL PRIMARY KEY,
        review_id BIGINT NOT NULL REFERENCES reviews (id),
        path TEXT NOT NULL,
        env TEXT NOT NULL,
        name TEXT NOT NULL,
        workspace TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        author TEXT NOT NULL,
        approvers TEXT NOT NULL,
        publisher TEXT NOT NULL,
        published_at TEXT NOT NULL,
        key_id TEXT NOT NULL,
        signature TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX releases_review_key ON releases (review_id);
      CREATE INDEX releases_path_env ON releases (path, env, id);

      CREATE TABLE audit_log (
        id BIGSERIAL PRIMARY KEY,
        at BIGINT NOT NULL,
        actor TEXT,
        actor_role TEXT,
        action TEXT NOT NULL,
        target_type TEXT NOT NULL,
        target_id TEXT,
        before_json TEXT,
        after_json TEXT,
        address TEXT
      );
      CREATE INDEX audit_log_actor ON audit_log (lower(actor), id);
      CREATE INDEX audit_log_action ON audit_log (action, id);
      CREATE INDEX audit_log_at ON audit_log (at);
      -- Append-only, below the API too: an entry can be neither changed nor removed.
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit entries are append-only'; END $$;
      CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
    `,
  },
  {
    version: 3,
    name: 'emails kept on the user row, so the per-request session lookup reads two rows by key',
    sql: `
      -- user_emails stays the source of email uniqueness; users.emails (a JSON array in
      -- position order) is written in the same transaction and is what reads return.
      ALTER TABLE users ADD COLUMN emails JSONB NOT NULL DEFAULT '[]'::jsonb;
      UPDATE users u SET emails = COALESCE(
        (SELECT jsonb_agg(e.email ORDER BY e.position) FROM user_emails e WHERE e.user_id = u.id), '[]'::jsonb
      );
    `,
  },
  {
    version: 4,
    name: 'usernames stored normalised (normalizeUsername), unique as stored',
    sql: `
      -- Until now the API only admitted ASCII names (^[A-Za-z0-9][A-Za-z0-9._@+-]*$), for
      -- which lower() is exactly normalizeUsername, and lower(username) was unique, so no
      -- two rows can collide. From now on the server stores the normalised form and
      -- compares it as is: no collation or database lower() decides who is who.
      UPDATE users SET username = lower(username) WHERE username <> lower(username);
      DROP INDEX users_username_key;
      CREATE UNIQUE INDEX users_username_key ON users (username);
    `,
  },
  {
    version: 5,
    name: 'audit log: refused actions, hash chain, signed checkpoints',
    sql: `
      -- outcome 'refused' records an action that was not allowed, with the reason given.
      ALTER TABLE audit_log ADD COLUMN outcome TEXT NOT NULL DEFAULT 'done';
      ALTER TABLE audit_log ADD COLUMN reason TEXT;
      -- sha256 chain (src/core/audit/auditChain.ts); entries written before this
      -- migration keep null hashes: the chain begins with the first entry after it.
      ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
      ALTER TABLE audit_log ADD COLUMN hash TEXT;
      CREATE TABLE audit_checkpoints (
        id BIGSERIAL PRIMARY KEY,
        entry_id BIGINT NOT NULL,
        hash TEXT NOT NULL,
        at BIGINT NOT NULL,
        key_id TEXT NOT NULL,
        signature TEXT NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'SSH commit-signing keys, one owner per key',
    sql: `
      -- The fingerprint (SHA256:…, as ssh-keygen shows it) is the key's identity: a key
      -- belongs to one user only, or a commit it signed would have two authors.
      CREATE TABLE signing_keys (
        fingerprint TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        public_key TEXT NOT NULL,
        comment TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX signing_keys_fingerprint_key ON signing_keys (fingerprint);
      CREATE INDEX signing_keys_user ON signing_keys (user_id);
    `,
  },
  {
    version: 7,
    name: 'applied access file versions record their commit and the signed policy record',
    sql: `
      -- The commit \`promptops apply\` read the access file from, and the server-signed
      -- record (.promptops/policy.lock) that \`promptops verify --base\` checks a change against.
      -- Versions applied before this migration have neither.
      ALTER TABLE access_policies ADD COLUMN git_commit TEXT;
      ALTER TABLE access_policies ADD COLUMN signed_record TEXT;
    `,
  },
  {
    version: 8,
    name: 'API keys: scoped, expiring, stored hashed, gone with their creator',
    sql: `
      -- The token is pok_<id>_<secret>; only its sha256 is kept. A key acts with its
      -- creator's current rights (intersected with scope), so it goes when they do.
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        scope TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        last_used_at BIGINT
      );
      CREATE INDEX api_keys_user ON api_keys (user_id);
    `,
  },
  {
    version: 9,
    name: 'deleted workspaces leave a tombstone',
    sql: `
      -- A workspace deleted through the API stays deleted: applying an access file that
      -- still declares it neither re-creates it nor lets it grant anything. Only an
      -- admin's POST /api/workspaces with the name removes the tombstone.
      CREATE TABLE deleted_workspaces (
        name_key TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        deleted_by TEXT,
        deleted_at BIGINT NOT NULL
      );
    `,
  },
  {
    version: 10,
    name: 'invites: one-time, expiring, stored hashed',
    sql: `
      -- The token is poi_<id>_<secret>; only its sha256 is kept. Accepted and revoked
      -- invites stay, so a reused token gets a clear answer and the list shows history.
      CREATE TABLE invites (
        id TEXT PRIMARY KEY,
        secret_hash TEXT NOT NULL,
        username TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
        created_by TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        accepted_at BIGINT,
        revoked_at BIGINT
      );
    `,
  },
  {
    version: 11,
    name: 'reviews of the access file are placed at the org level',
    sql: `
      -- They change the whole access file: shown to those who may apply policy, not to a
      -- workspace's readers (ORG_REVIEW_WORKSPACE; no workspace can be named so).
      UPDATE reviews SET workspace = '(org)' WHERE path = '.promptops/access.yaml';
      `,
  },
  {
    version: 12,
    name: 'reviews record where the published commit went (release branch, or waiting for a merge)',
    sql: `
      -- Reported by a publisher (publish --push, sync): the server cannot see git. Null
      -- until reported; 'awaiting-merge' until the commit reaches the release branch.
      ALTER TABLE reviews ADD COLUMN delivery_state TEXT CHECK (delivery_state IN ('release-branch', 'awaiting-merge'));
      ALTER TABLE reviews ADD COLUMN delivery_target TEXT;
      ALTER TABLE reviews ADD COLUMN delivery_branch TEXT;
      ALTER TABLE reviews ADD COLUMN delivery_commit TEXT;
      ALTER TABLE reviews ADD COLUMN delivery_by TEXT;
      ALTER TABLE reviews ADD COLUMN delivery_at BIGINT;
      `,
  },
  {
    version: 13,
    name: "review list indexes: a workspace's reviews by status, an author's newest first, a user's verdicts on a review",
    sql: `
      -- GET /api/reviews pages newest first (id DESC) within these filters (bench:reviews).
      CREATE INDEX reviews_workspace_status ON reviews (lower(workspace), status, id);
      DROP INDEX reviews_author;
      CREATE INDEX reviews_author ON reviews (lower(author), id);
      -- needsMyApproval: the caller's newest standing verdict on each review.
      CREATE INDEX review_verdicts_review_user ON review_verdicts (review_id, user_id, id);
    `,
  },
  {
    version: 14,
    name: 'unpublish records: a release retired from its env, signed',
    sql: `
      -- One row per retired release (never two unpublishes of one release). The signed
      -- record goes into .promptops/unpublished.yaml; a retired release no longer holds
      -- its name or counts as the published version of its path.
      CREATE TABLE unpublishes (
        id BIGSERIAL PRIMARY KEY,
        release_id BIGINT NOT NULL REFERENCES releases (id),
        path TEXT NOT NULL,
        env TEXT NOT NULL,
        record TEXT NOT NULL,
        unpublished_by TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX unpublishes_release ON unpublishes (release_id);
      CREATE INDEX unpublishes_path_env ON unpublishes (path, env, id);
    `,
  },
  {
    version: 15,
    name: 'evaluation runs bound to a review revision; releases name the run that let them through',
    sql: `
      -- The server runs a review's evaluation itself (POST /api/reviews/:id/evaluations) and
      -- keeps every run; publishing under a rule with evaluations needs a passing run of
      -- exactly the head (revision and sha256). cases holds the per-case results as JSON.
      CREATE TABLE evaluation_runs (
        id BIGSERIAL PRIMARY KEY,
        review_id BIGINT NOT NULL REFERENCES reviews (id),
        revision INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        runs INTEGER NOT NULL,
        required_pass_rate DOUBLE PRECISION NOT NULL,
        passed_runs INTEGER NOT NULL,
        judged_runs INTEGER NOT NULL,
        passed INTEGER NOT NULL,
        cases TEXT NOT NULL,
        model TEXT NOT NULL,
        run_by TEXT NOT NULL,
        digest TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX evaluation_runs_review ON evaluation_runs (review_id, id);
      ALTER TABLE releases ADD COLUMN evaluation TEXT;
    `,
  },
  {
    version: 16,
    name: 'a review revision may carry the dataset beside its prompt; verdicts and runs name the reviewed hash',
    sql: `
      -- The <prompt>.tests.yaml uploaded with a revision (null: none), and the sha256 over the
      -- prompt and that dataset (src/core/review/reviewedHash) that verdicts, publishing and
      -- evaluation runs are bound to. head_hash stays the prompt file's own hash (the lock's).
      ALTER TABLE review_revisions ADD COLUMN dataset TEXT;
      ALTER TABLE review_revisions ADD COLUMN reviewed_hash TEXT;
      ALTER TABLE reviews ADD COLUMN reviewed_hash TEXT;
      UPDATE review_revisions SET reviewed_hash = head_hash;
      UPDATE reviews SET reviewed_hash = head_hash;
    `,
  },
  {
    version: 17,
    name: 'a published name is unique per env: the release holding it is marked, and a unique index keeps two from holding it',
    sql: `
      -- holds_name = 1 on the release that is the latest of its path and env and not
      -- unpublished: the one the runtime loader finds by name and env. The route checks the
      -- name before its transaction; this index refuses the second of two publishes racing
      -- past that check from different paths. Where older data already has two holders,
      -- the newest keeps the mark.
      ALTER TABLE releases ADD COLUMN holds_name INTEGER;
      UPDATE releases SET holds_name = 1 WHERE id IN (
        SELECT max(rel.id) FROM releases rel
        WHERE NOT EXISTS (SELECT 1 FROM releases newer WHERE newer.path = rel.path AND newer.env = rel.env AND newer.id > rel.id)
          AND NOT EXISTS (SELECT 1 FROM unpublishes u WHERE u.release_id = rel.id)
        GROUP BY rel.name, rel.env);
      CREATE UNIQUE INDEX releases_name_env_key ON releases (name, env) WHERE holds_name = 1;
    `,
  },
  {
    version: 18,
    name: 'an evaluation run is reserved before the model is called, so the cap per revision holds for runs started together',
    sql: `
      -- One row per server evaluation under way (src/server/reviews/evaluationSlot.ts), taken
      -- in the review's transaction where the cap counts stored runs plus live slots. Storing
      -- the run or its failing deletes the row; a row whose process died stops counting at
      -- expires_at (the run's own budget plus time to store it) and is cleared by the next taker.
      CREATE TABLE evaluation_slots (
        id BIGSERIAL PRIMARY KEY,
        review_id BIGINT NOT NULL REFERENCES reviews (id),
        revision INTEGER NOT NULL,
        run_by TEXT NOT NULL,
        started_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX evaluation_slots_review ON evaluation_slots (review_id, id);
    `,
  },
  {
    version: 19,
    name: 'a generation number that every change to users, sessions and API keys moves, so a process may keep identities between requests',
    sql: `
      -- As SQLite's migration 19: read on each authenticated request, moved inside the
      -- changing transaction by any process on any host, visible when it commits. The
      -- triggers are deferred to the commit, so the generation row is the last lock a
      -- transaction takes (two transactions cannot each hold a lock the other waits for).
      -- A column added to sessions or api_keys must be added to its UPDATE OF list
      -- (storeMigrations.test.ts checks every column).
      CREATE TABLE auth_generation (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        value BIGINT NOT NULL
      );
      INSERT INTO auth_generation (id, value) VALUES (1, 0);
      CREATE FUNCTION move_auth_generation() RETURNS trigger LANGUAGE plpgsql
        SET search_path FROM CURRENT
        AS $$ BEGIN UPDATE auth_generation SET value = value + 1; RETURN NULL; END $$;
      CREATE CONSTRAINT TRIGGER users_change_moves_auth_generation AFTER UPDATE OR DELETE ON users
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_auth_generation();
      CREATE CONSTRAINT TRIGGER sessions_change_moves_auth_generation
        AFTER UPDATE OF token_hash, user_id, created_at, expires_at OR DELETE ON sessions
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_auth_generation();
      CREATE CONSTRAINT TRIGGER api_keys_change_moves_auth_generation
        AFTER UPDATE OF id, name, secret_hash, user_id, scope, created_at, expires_at OR DELETE ON api_keys
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_auth_generation();
    `,
  },
];
