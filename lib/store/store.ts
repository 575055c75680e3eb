// The store on top of a SqlDriver: rows in, records out, secrets sealed on the way in and opened on the way out.
import { createHash, randomBytes } from 'node:crypto';
import { StoreError } from './errors';
import type { SecretBox } from './secret-box';
import { checkOutcome, checkServerName, hasSecrets, joinTarget, MAX_SAVED_SERVERS, outcomeFrom, splitTarget } from './saved-servers';
import { SCHEMA, toNumber, toText, type SqlDriver, type SqlRow } from './sql';
import { tokenView } from './token-view';
import type { SessionState } from '../contract';
import type {
  ClientAuthMethod,
  NewPendingAuthorization,
  NewStoredClient,
  NewStoredServer,
  NewStoredShare,
  NewStoredTokens,
  NewSessionRecord,
  NewStoredInstance,
  PendingAuthorization,
  PendingAuthorizationInfo,
  SavedServerOutcome,
  SessionRecord,
  SqlDialect,
  Store,
  StoredClient,
  StoredInstance,
  StoredServer,
  StoredShare,
  StoredTokens,
  TokenView,
} from './types';

export const PENDING_AUTHORIZATION_TTL_MS = 10 * 60 * 1000;

const AUTH_METHODS: ReadonlySet<string> = new Set(['client_secret_basic', 'client_secret_post', 'none']);

/** The `state` itself is never stored: a copy of the database must not let anyone complete a login. */
function stateKey(state: string): string {
  return createHash('sha256').update(state, 'utf8').digest('hex');
}

function scopesToText(scopes: readonly string[]): string {
  return scopes.filter((s) => s.length > 0).join(' ');
}

function scopesFromText(text: unknown): string[] {
  return typeof text === 'string' && text.length > 0 ? text.split(' ') : [];
}

/**
 * Timestamps are BIGINT epoch milliseconds. Postgres refuses a fraction in a BIGINT (SQLite would quietly store
 * a REAL), and `now + expires_in * 1000` can have one, so every time is rounded on the way in.
 */
function epochMs(value: number, name: string): number;
function epochMs(value: number | undefined, name: string): number | null;
function epochMs(value: number | undefined, name: string): number | null {
  if (value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new StoreError('invalid_input', `${name} must be a finite number of epoch milliseconds.`);
  return Math.round(value);
}

/** Code-unit order, the same on every database (a Postgres collation such as en_US would sort `a` before `B`). */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function requireText(value: string | undefined, name: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new StoreError('invalid_input', `${name} is required.`);
  return value;
}

export async function createSqlStore(driver: SqlDriver, box: SecretBox, now: () => number = Date.now): Promise<Store> {
  await driver.exec(SCHEMA);
  await checkSecretKey(driver, box);
  return new SqlStore(driver, box, now);
}

const KEY_CHECK = 'key_check';
const KEY_CHECK_TEXT = 'mcpscope secret key check';

/**
 * The first instance to open a database seals a known text with its key; every later one must open it. So an
 * instance started with another MCPSCOPE_SECRET_KEY (or another data dir's secret.key) on a shared Postgres
 * fails at start with what to fix, instead of failing on each token it reads later.
 */
async function checkSecretKey(driver: SqlDriver, box: SecretBox): Promise<void> {
  await driver.query('INSERT INTO mcpscope_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING', [
    KEY_CHECK,
    box.seal(KEY_CHECK_TEXT, `meta:${KEY_CHECK}`),
  ]);
  const { rows } = await driver.query('SELECT value FROM mcpscope_meta WHERE name = ?', [KEY_CHECK]);
  const sealed = toText(rows[0]?.value);
  let opened: string | undefined;
  try {
    opened = sealed === undefined ? undefined : box.open(sealed, `meta:${KEY_CHECK}`);
  } catch {
    opened = undefined;
  }
  if (opened !== KEY_CHECK_TEXT) {
    throw new StoreError(
      'secret_key_mismatch',
      `This ${driver.dialect === 'postgres' ? 'database (DATABASE_URL)' : 'data directory'} was written with another encryption key, so its tokens and client secrets cannot be read. Start mcpscope with the MCPSCOPE_SECRET_KEY the other instances use (or the secret.key file of the data directory that wrote it).`,
    );
  }
}

class SqlStore implements Store {
  constructor(
    private readonly driver: SqlDriver,
    private readonly box: SecretBox,
    private readonly clock: () => number,
  ) {}

  private now(): number {
    return epochMs(this.clock(), 'now');
  }

  get dialect(): SqlDialect {
    return this.driver.dialect;
  }

  // -------------------------------------------------------------------------------------------------
  // Clients

  async saveClient(client: NewStoredClient): Promise<void> {
    const issuer = requireText(client.issuer, 'issuer');
    const redirectUri = requireText(client.redirectUri, 'redirectUri');
    requireText(client.clientId, 'clientId');
    const at = this.now();
    const context = clientContext(issuer, redirectUri);
    await this.driver.query(
      `INSERT INTO mcpscope_oauth_clients
         (issuer, redirect_uri, client_id, client_secret_enc, auth_method, registration_enc, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (issuer, redirect_uri) DO UPDATE SET
         client_id = excluded.client_id,
         client_secret_enc = excluded.client_secret_enc,
         auth_method = excluded.auth_method,
         registration_enc = excluded.registration_enc,
         updated_at = excluded.updated_at`,
      [
        issuer,
        redirectUri,
        client.clientId,
        client.clientSecret ? this.box.seal(client.clientSecret, `client-secret|${context}`) : null,
        client.authMethod,
        client.registration ? this.box.seal(JSON.stringify(client.registration), `client-registration|${context}`) : null,
        at,
        at,
      ],
    );
  }

  async getClient(issuer: string, redirectUri: string): Promise<StoredClient | undefined> {
    const { rows } = await this.driver.query('SELECT * FROM mcpscope_oauth_clients WHERE issuer = ? AND redirect_uri = ?', [
      issuer,
      redirectUri,
    ]);
    const row = rows[0];
    if (!row) return undefined;
    const context = clientContext(issuer, redirectUri);
    const secret = toText(row.client_secret_enc);
    const registration = toText(row.registration_enc);
    const method = String(row.auth_method);
    return {
      issuer,
      redirectUri,
      clientId: String(row.client_id),
      ...(secret ? { clientSecret: this.box.open(secret, `client-secret|${context}`) } : {}),
      authMethod: (AUTH_METHODS.has(method) ? method : 'none') as ClientAuthMethod,
      ...(registration
        ? { registration: JSON.parse(this.box.open(registration, `client-registration|${context}`)) as Record<string, unknown> }
        : {}),
      createdAt: toNumber(row.created_at) ?? 0,
      updatedAt: toNumber(row.updated_at) ?? 0,
    };
  }

  async forgetClient(issuer: string, redirectUri: string): Promise<boolean> {
    const { changes } = await this.driver.query('DELETE FROM mcpscope_oauth_clients WHERE issuer = ? AND redirect_uri = ?', [
      issuer,
      redirectUri,
    ]);
    return changes > 0;
  }

  // -------------------------------------------------------------------------------------------------
  // Tokens

  async saveTokens(tokens: NewStoredTokens): Promise<void> {
    const owner = requireText(tokens.owner, 'owner');
    const resource = requireText(tokens.resource, 'resource');
    requireText(tokens.accessToken, 'accessToken');
    const at = this.now();
    const context = tokenContext(owner, resource);
    await this.driver.query(
      `INSERT INTO mcpscope_oauth_tokens
         (owner, resource, issuer, client_id, access_token_enc, refresh_token_enc, token_type, scopes, expires_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (owner, resource) DO UPDATE SET
         issuer = excluded.issuer,
         client_id = excluded.client_id,
         access_token_enc = excluded.access_token_enc,
         refresh_token_enc = excluded.refresh_token_enc,
         token_type = excluded.token_type,
         scopes = excluded.scopes,
         expires_at = excluded.expires_at,
         updated_at = excluded.updated_at`,
      [
        owner,
        resource,
        tokens.issuer ?? null,
        tokens.clientId ?? null,
        this.box.seal(tokens.accessToken, `access-token|${context}`),
        tokens.refreshToken ? this.box.seal(tokens.refreshToken, `refresh-token|${context}`) : null,
        tokens.tokenType || 'Bearer',
        scopesToText(tokens.scopes),
        epochMs(tokens.expiresAt, 'expiresAt'),
        at,
        at,
      ],
    );
  }

  async getTokens(owner: string, resource: string): Promise<StoredTokens | undefined> {
    const { rows } = await this.driver.query('SELECT * FROM mcpscope_oauth_tokens WHERE owner = ? AND resource = ?', [owner, resource]);
    return rows[0] ? this.tokensFromRow(rows[0]) : undefined;
  }

  async listTokens(owner: string): Promise<TokenView[]> {
    const { rows } = await this.driver.query('SELECT * FROM mcpscope_oauth_tokens WHERE owner = ?', [owner]);
    const at = this.now();
    // Sorted here rather than by ORDER BY: the database's collation would make the order depend on the database.
    return rows.map((row) => tokenView(this.tokensFromRow(row), at)).sort((a, b) => byText(a.resource, b.resource));
  }

  async forgetTokens(owner: string, resource?: string): Promise<number> {
    const { changes } =
      resource === undefined
        ? await this.driver.query('DELETE FROM mcpscope_oauth_tokens WHERE owner = ?', [owner])
        : await this.driver.query('DELETE FROM mcpscope_oauth_tokens WHERE owner = ? AND resource = ?', [owner, resource]);
    return changes;
  }

  private tokensFromRow(row: SqlRow): StoredTokens {
    const owner = String(row.owner);
    const resource = String(row.resource);
    const context = tokenContext(owner, resource);
    const refresh = toText(row.refresh_token_enc);
    const tokens: StoredTokens = {
      owner,
      resource,
      accessToken: this.box.open(String(row.access_token_enc), `access-token|${context}`),
      tokenType: String(row.token_type),
      scopes: scopesFromText(row.scopes),
      createdAt: toNumber(row.created_at) ?? 0,
      updatedAt: toNumber(row.updated_at) ?? 0,
    };
    if (refresh) tokens.refreshToken = this.box.open(refresh, `refresh-token|${context}`);
    const expiresAt = toNumber(row.expires_at);
    if (expiresAt !== undefined) tokens.expiresAt = expiresAt;
    const issuer = toText(row.issuer);
    if (issuer) tokens.issuer = issuer;
    const clientId = toText(row.client_id);
    if (clientId) tokens.clientId = clientId;
    return tokens;
  }

  // -------------------------------------------------------------------------------------------------
  // Pending authorizations

  async savePendingAuthorization(pending: NewPendingAuthorization): Promise<PendingAuthorization> {
    const state = requireText(pending.state, 'state');
    requireText(pending.owner, 'owner');
    requireText(pending.codeVerifier, 'codeVerifier');
    const createdAt = this.now();
    const expiresAt = epochMs(pending.expiresAt ?? createdAt + PENDING_AUTHORIZATION_TTL_MS, 'expiresAt');
    const key = stateKey(state);
    // Abandoned logins would otherwise pile up.
    await this.purgeExpired();
    await this.driver.query(
      `INSERT INTO mcpscope_oauth_pending
         (state_hash, owner, session_id, server_url, resource, issuer, client_id, redirect_uri, verifier_enc, scopes, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        key,
        pending.owner,
        pending.sessionId ?? null,
        pending.serverUrl,
        pending.resource,
        pending.issuer,
        pending.clientId,
        pending.redirectUri,
        this.box.seal(pending.codeVerifier, `verifier|${key}|${pending.owner}`),
        scopesToText(pending.scopes),
        createdAt,
        expiresAt,
      ],
    );
    return { ...pending, scopes: [...pending.scopes], createdAt, expiresAt };
  }

  async peekPendingAuthorization(state: string): Promise<PendingAuthorizationInfo | undefined> {
    const { rows } = await this.driver.query('SELECT * FROM mcpscope_oauth_pending WHERE state_hash = ?', [stateKey(state)]);
    if (!rows[0]) return undefined;
    const { codeVerifier: _secret, ...info } = this.pendingFromRow(state, rows[0]);
    return info;
  }

  async takePendingAuthorization(state: string): Promise<PendingAuthorization | undefined> {
    // One statement, so two callbacks racing with the same state cannot both get it.
    const { rows } = await this.driver.query('DELETE FROM mcpscope_oauth_pending WHERE state_hash = ? RETURNING *', [stateKey(state)]);
    return rows[0] ? this.pendingFromRow(state, rows[0]) : undefined;
  }

  private pendingFromRow(state: string, row: SqlRow): PendingAuthorization {
    const owner = String(row.owner);
    const pending: PendingAuthorization = {
      state,
      owner,
      serverUrl: String(row.server_url),
      resource: String(row.resource),
      issuer: String(row.issuer),
      clientId: String(row.client_id),
      redirectUri: String(row.redirect_uri),
      codeVerifier: this.box.open(String(row.verifier_enc), `verifier|${stateKey(state)}|${owner}`),
      scopes: scopesFromText(row.scopes),
      createdAt: toNumber(row.created_at) ?? 0,
      expiresAt: toNumber(row.expires_at) ?? 0,
    };
    const sessionId = toText(row.session_id);
    if (sessionId) pending.sessionId = sessionId;
    return pending;
  }

  // -------------------------------------------------------------------------------------------------
  // Shares

  async saveShare(share: NewStoredShare): Promise<void> {
    requireText(share.id, 'id');
    await this.driver.query('INSERT INTO mcpscope_shares (id, owner, kind, payload, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)', [
      share.id,
      share.owner ?? null,
      share.kind,
      share.payload,
      this.now(),
      epochMs(share.expiresAt, 'expiresAt'),
    ]);
  }

  async getShare(id: string): Promise<StoredShare | undefined> {
    const { rows } = await this.driver.query('SELECT * FROM mcpscope_shares WHERE id = ?', [id]);
    const row = rows[0];
    if (!row) return undefined;
    const expiresAt = toNumber(row.expires_at);
    if (expiresAt !== undefined && expiresAt <= this.now()) return undefined;
    const share: StoredShare = {
      id: String(row.id),
      kind: String(row.kind),
      payload: String(row.payload),
      createdAt: toNumber(row.created_at) ?? 0,
    };
    const owner = toText(row.owner);
    if (owner) share.owner = owner;
    if (expiresAt !== undefined) share.expiresAt = expiresAt;
    return share;
  }

  async deleteShare(id: string): Promise<boolean> {
    const { changes } = await this.driver.query('DELETE FROM mcpscope_shares WHERE id = ?', [id]);
    return changes > 0;
  }

  // -------------------------------------------------------------------------------------------------
  // Saved servers

  async saveServer(server: NewStoredServer): Promise<StoredServer> {
    const owner = requireText(server.owner, 'owner');
    const name = checkServerName(server.name);
    const { clear, secrets } = splitTarget(server.target);
    const sealed = server.keepSecrets === true && hasSecrets(secrets) ? JSON.stringify(secrets) : undefined;
    const { rows: counted } = await this.driver.query('SELECT COUNT(*) AS n FROM mcpscope_saved_servers WHERE owner = ? AND name <> ?', [
      owner,
      name,
    ]);
    if ((toNumber(counted[0]?.n) ?? 0) >= MAX_SAVED_SERVERS)
      throw new StoreError('invalid_input', `At most ${MAX_SAVED_SERVERS} servers can be saved; forget some first.`);
    const at = this.now();
    const clearText = JSON.stringify(clear);
    // Replacing keeps the id (links to it keep working) and drops the last outcome, which was about the old target.
    const { rows } = await this.driver.query(
      `INSERT INTO mcpscope_saved_servers
         (id, owner, name, kind, target, secrets_enc, last_state, last_at, last_error_code, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, ?)
       ON CONFLICT (owner, name) DO UPDATE SET
         kind = excluded.kind,
         target = excluded.target,
         secrets_enc = excluded.secrets_enc,
         last_state = NULL,
         last_at = NULL,
         last_error_code = NULL,
         updated_at = excluded.updated_at
       RETURNING id, created_at`,
      [
        randomBytes(16).toString('base64url'),
        owner,
        name,
        clear.kind,
        clearText,
        sealed === undefined ? null : this.box.seal(sealed, serverContext(owner, name)),
        at,
        at,
      ],
    );
    const row = rows[0];
    if (!row) throw new StoreError('store_unavailable', 'The database did not return the saved server.');
    const { target, withheld } = joinTarget(clearText, sealed);
    return {
      id: String(row.id),
      owner,
      name,
      target,
      secretsKept: sealed !== undefined,
      withheld,
      createdAt: toNumber(row.created_at) ?? at,
      updatedAt: at,
    };
  }

  async getServer(owner: string, id: string): Promise<StoredServer | undefined> {
    const { rows } = await this.driver.query('SELECT * FROM mcpscope_saved_servers WHERE owner = ? AND id = ?', [owner, id]);
    return rows[0] ? this.serverFromRow(rows[0]) : undefined;
  }

  async listServers(owner: string): Promise<StoredServer[]> {
    const { rows } = await this.driver.query('SELECT * FROM mcpscope_saved_servers WHERE owner = ?', [owner]);
    return rows.map((row) => this.serverFromRow(row)).sort((a, b) => byText(a.name, b.name));
  }

  async forgetServer(owner: string, id: string): Promise<boolean> {
    const { changes } = await this.driver.query('DELETE FROM mcpscope_saved_servers WHERE owner = ? AND id = ?', [owner, id]);
    return changes > 0;
  }

  async recordServerOutcome(owner: string, id: string, outcome: SavedServerOutcome): Promise<boolean> {
    checkOutcome(outcome);
    const { changes } = await this.driver.query(
      'UPDATE mcpscope_saved_servers SET last_state = ?, last_at = ?, last_error_code = ? WHERE owner = ? AND id = ?',
      [outcome.state, epochMs(outcome.at, 'at'), outcome.errorCode ?? null, owner, id],
    );
    return changes > 0;
  }

  private serverFromRow(row: SqlRow): StoredServer {
    const owner = String(row.owner);
    const name = String(row.name);
    const sealed = toText(row.secrets_enc);
    const { target, withheld } = joinTarget(String(row.target), sealed ? this.box.open(sealed, serverContext(owner, name)) : undefined);
    const server: StoredServer = {
      id: String(row.id),
      owner,
      name,
      target,
      secretsKept: sealed !== undefined,
      withheld,
      createdAt: toNumber(row.created_at) ?? 0,
      updatedAt: toNumber(row.updated_at) ?? 0,
    };
    const outcome = outcomeFrom(toText(row.last_state), toNumber(row.last_at), toText(row.last_error_code));
    if (outcome) server.lastOutcome = outcome;
    return server;
  }

  // -------------------------------------------------------------------------------------------------
  // Instances and the sessions they hold (several instances sharing one database)

  async announceInstance(instance: NewStoredInstance): Promise<StoredInstance> {
    const id = requireText(instance.id, 'id');
    const at = this.now();
    await this.driver.query(
      `INSERT INTO mcpscope_instances (id, address, started_at, seen_at, stopped_at)
       VALUES (?, ?, ?, ?, NULL)
       ON CONFLICT (id) DO UPDATE SET
         address = excluded.address,
         started_at = excluded.started_at,
         seen_at = excluded.seen_at,
         stopped_at = NULL`,
      [id, instance.address ?? null, at, at],
    );
    return { id, ...(instance.address ? { address: instance.address } : {}), startedAt: at, seenAt: at };
  }

  async instanceSeen(id: string): Promise<boolean> {
    const { changes } = await this.driver.query('UPDATE mcpscope_instances SET seen_at = ? WHERE id = ?', [this.now(), id]);
    return changes > 0;
  }

  async instanceStopped(id: string): Promise<boolean> {
    const { changes } = await this.driver.query('UPDATE mcpscope_instances SET stopped_at = ? WHERE id = ?', [this.now(), id]);
    return changes > 0;
  }

  async getInstance(id: string): Promise<StoredInstance | undefined> {
    const { rows } = await this.driver.query('SELECT * FROM mcpscope_instances WHERE id = ?', [id]);
    const row = rows[0];
    if (!row) return undefined;
    const instance: StoredInstance = { id, startedAt: toNumber(row.started_at) ?? 0, seenAt: toNumber(row.seen_at) ?? 0 };
    const address = toText(row.address);
    if (address) instance.address = address;
    const stoppedAt = toNumber(row.stopped_at);
    if (stoppedAt !== undefined) instance.stoppedAt = stoppedAt;
    return instance;
  }

  async saveSessionRecord(record: NewSessionRecord): Promise<void> {
    const id = requireText(record.id, 'id');
    const owner = requireText(record.owner, 'owner');
    requireText(record.instanceId, 'instanceId');
    const at = this.now();
    await this.driver.query(
      `INSERT INTO mcpscope_sessions (id, owner, instance_id, server_url, transport, state, settings_enc, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET
         instance_id = excluded.instance_id,
         server_url = excluded.server_url,
         transport = excluded.transport,
         state = excluded.state,
         settings_enc = excluded.settings_enc,
         updated_at = excluded.updated_at
       WHERE mcpscope_sessions.owner = excluded.owner`,
      [
        id,
        owner,
        record.instanceId,
        record.serverUrl,
        record.transport,
        record.state,
        this.box.seal(JSON.stringify(record.settings), sessionContext(owner, id)),
        at,
        at,
      ],
    );
  }

  async getSessionRecord(owner: string, id: string): Promise<SessionRecord | undefined> {
    const { rows } = await this.driver.query('SELECT * FROM mcpscope_sessions WHERE owner = ? AND id = ?', [owner, id]);
    const row = rows[0];
    if (!row) return undefined;
    return {
      id,
      owner,
      instanceId: String(row.instance_id),
      serverUrl: String(row.server_url),
      transport: String(row.transport),
      state: String(row.state) as SessionState,
      settings: JSON.parse(this.box.open(String(row.settings_enc), sessionContext(owner, id))) as Record<string, unknown>,
      createdAt: toNumber(row.created_at) ?? 0,
      updatedAt: toNumber(row.updated_at) ?? 0,
    };
  }

  async setSessionRecordState(id: string, instanceId: string, state: SessionState): Promise<boolean> {
    const { changes } = await this.driver.query('UPDATE mcpscope_sessions SET state = ?, updated_at = ? WHERE id = ? AND instance_id = ?', [
      state,
      this.now(),
      id,
      instanceId,
    ]);
    return changes > 0;
  }

  async claimSessionRecord(owner: string, id: string, from: string, to: string): Promise<boolean> {
    // One statement: of two instances claiming the same session, the second finds `from` gone.
    const { changes } = await this.driver.query(
      'UPDATE mcpscope_sessions SET instance_id = ?, updated_at = ? WHERE owner = ? AND id = ? AND instance_id = ?',
      [to, this.now(), owner, id, from],
    );
    return changes > 0;
  }

  async forgetSessionRecord(owner: string, id: string): Promise<boolean> {
    const { changes } = await this.driver.query('DELETE FROM mcpscope_sessions WHERE owner = ? AND id = ?', [owner, id]);
    return changes > 0;
  }

  async purgeSessionRecords(before: number): Promise<number> {
    const cutoff = epochMs(before, 'before');
    const sessions = await this.driver.query('DELETE FROM mcpscope_sessions WHERE updated_at < ?', [cutoff]);
    const instances = await this.driver.query('DELETE FROM mcpscope_instances WHERE seen_at < ?', [cutoff]);
    return sessions.changes + instances.changes;
  }

  // -------------------------------------------------------------------------------------------------

  async purgeExpired(): Promise<number> {
    const at = this.now();
    const pending = await this.driver.query('DELETE FROM mcpscope_oauth_pending WHERE expires_at <= ?', [at]);
    const shares = await this.driver.query('DELETE FROM mcpscope_shares WHERE expires_at IS NOT NULL AND expires_at <= ?', [at]);
    return pending.changes + shares.changes;
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}

function clientContext(issuer: string, redirectUri: string): string {
  return `${issuer}|${redirectUri}`;
}

/** Owner and name: a sealed value copied into another owner's (or another server's) row does not open. */
function serverContext(owner: string, name: string): string {
  return `saved-server|${owner}|${name}`;
}

/** A session's sealed settings open only in its own row. */
function sessionContext(owner: string, id: string): string {
  return `session-settings|${owner}|${id}`;
}

function tokenContext(owner: string, resource: string): string {
  return `${owner}|${resource}`;
}
