// What the store keeps. Values named `secret`, `token` or `verifier` are encrypted at rest and come back
// decrypted only through these server-side methods; `listTokens` is the one view meant for people.

import type { MaskedToken, SessionState } from '../contract';
import type { SavedServerTarget } from '../servers';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** A client this app registered (or was given) at an authorization server, reused for the same redirect URI. */
export interface StoredClient {
  issuer: string;
  redirectUri: string;
  clientId: string;
  clientSecret?: string;
  authMethod: ClientAuthMethod;
  /** The registration response as the server sent it (may hold a registration_access_token; kept encrypted). */
  registration?: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export type NewStoredClient = Omit<StoredClient, 'createdAt' | 'updatedAt'>;

/** The tokens one owner (a browser) holds for one protected resource (an MCP server). */
export interface StoredTokens {
  owner: string;
  resource: string;
  accessToken: string;
  refreshToken?: string;
  /** As the server sent it, usually `Bearer`. */
  tokenType: string;
  scopes: string[];
  /** Epoch ms; undefined when the server did not say (`expires_in` absent). */
  expiresAt?: number;
  issuer?: string;
  clientId?: string;
  createdAt: number;
  updatedAt: number;
}

export type NewStoredTokens = Omit<StoredTokens, 'createdAt' | 'updatedAt'>;

/** A stored token as a person may see it (masked to its last 4 characters): the API's own shape, so what the
 * store shows and what the browser receives are one type. */
export type TokenView = MaskedToken;

/** An authorization request sent to the browser and not answered yet (keyed by its `state`). */
export interface PendingAuthorization {
  state: string;
  owner: string;
  /** The live session that asked, so the callback can resume it. */
  sessionId?: string;
  /** The MCP server URL the user connected to. */
  serverUrl: string;
  /** The `resource` indicator sent. */
  resource: string;
  issuer: string;
  clientId: string;
  redirectUri: string;
  codeVerifier: string;
  scopes: string[];
  createdAt: number;
  expiresAt: number;
}

export type NewPendingAuthorization = Omit<PendingAuthorization, 'createdAt' | 'expiresAt'> & {
  /** Default: 10 minutes from now. */
  expiresAt?: number;
};

/** `PendingAuthorization` without the verifier: what a callback route needs to find the session. */
export type PendingAuthorizationInfo = Omit<PendingAuthorization, 'codeVerifier'>;

/** A shared session log (or anything else published under an id). */
export interface StoredShare {
  id: string;
  owner?: string;
  kind: string;
  /** Opaque text (usually JSON); stored as is, not encrypted (shares are redacted before they get here). */
  payload: string;
  createdAt: number;
  expiresAt?: number;
}

export type NewStoredShare = Omit<StoredShare, 'createdAt'>;

/** How connecting to a saved server went the last time (the home page lists it). */
export interface SavedServerOutcome {
  state: SessionState;
  /** Epoch ms. */
  at: number;
  /** The error's code when it failed (`connect_failed`, `auth_required`, `unsafe_url`, ...). */
  errorCode?: string;
}

/**
 * A server a person saved (imported from a config file, or kept from the connect form). Header and environment
 * values are credentials more often than not: they are kept only when the person asked (`secretsKept`), encrypted;
 * otherwise only their names are, in `withheld`, for the person to fill in when connecting.
 */
export interface StoredServer {
  /** The store's id for it (random); names can change, links keep working. */
  id: string;
  owner: string;
  /** Unique per owner. */
  name: string;
  /** With header and env values only when `secretsKept`. */
  target: SavedServerTarget;
  secretsKept: boolean;
  /** The header and environment variable names whose values were not kept. */
  withheld: { headers: string[]; env: string[] };
  lastOutcome?: SavedServerOutcome;
  createdAt: number;
  updatedAt: number;
}

export interface NewStoredServer {
  owner: string;
  name: string;
  target: SavedServerTarget;
  /** Keep header and environment values (encrypted). Default: keep only their names. */
  keepSecrets?: boolean;
}

/** One mcpscope process sharing the store with others (several instances behind a load balancer). */
export interface StoredInstance {
  id: string;
  /** Where the other instances reach it (MCPSCOPE_INSTANCE_URL), to hand it a request for one of its sessions. */
  address?: string;
  startedAt: number;
  /** Its last heartbeat (epoch ms). */
  seenAt: number;
  /** Set when it stopped cleanly; a killed one just stops being seen. */
  stoppedAt?: number;
}

export interface NewStoredInstance {
  id: string;
  address?: string;
}

/**
 * What the other instances know of a live session: whose it is, which instance holds its connection, its last
 * state, and what it was created with (the create request, header values and OAuth secrets included, so sealed),
 * so another instance can connect it again when its own is gone. The log and the connection stay in memory.
 */
export interface SessionRecord {
  id: string;
  owner: string;
  instanceId: string;
  /** As shown (credential query values masked). */
  serverUrl: string;
  transport: string;
  state: SessionState;
  /** The create request body, as validated. */
  settings: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export type NewSessionRecord = Omit<SessionRecord, 'createdAt' | 'updatedAt'>;

export interface Store {
  readonly dialect: SqlDialect;

  saveClient(client: NewStoredClient): Promise<void>;
  getClient(issuer: string, redirectUri: string): Promise<StoredClient | undefined>;
  forgetClient(issuer: string, redirectUri: string): Promise<boolean>;

  /** Replaces whatever the owner held for the resource: a rotated refresh token drops the old one. */
  saveTokens(tokens: NewStoredTokens): Promise<void>;
  getTokens(owner: string, resource: string): Promise<StoredTokens | undefined>;
  listTokens(owner: string): Promise<TokenView[]>;
  /** All the owner's tokens, or those for one resource. Returns how many were removed. */
  forgetTokens(owner: string, resource?: string): Promise<number>;

  savePendingAuthorization(pending: NewPendingAuthorization): Promise<PendingAuthorization>;
  /** Reads without consuming (no verifier): for routing a callback to its session. */
  peekPendingAuthorization(state: string): Promise<PendingAuthorizationInfo | undefined>;
  /**
   * Removes and returns the pending authorization for `state` (single use). An expired one is removed too
   * and returned as is: the caller checks `expiresAt` so it can say "expired" rather than "unknown".
   */
  takePendingAuthorization(state: string): Promise<PendingAuthorization | undefined>;

  saveShare(share: NewStoredShare): Promise<void>;
  getShare(id: string): Promise<StoredShare | undefined>;
  deleteShare(id: string): Promise<boolean>;

  /**
   * Saves a server under its name: a new one, or replacing the owner's server of that name (same id; its last
   * outcome is dropped, since it was about the old target). Refuses past `MAX_SAVED_SERVERS` per owner.
   */
  saveServer(server: NewStoredServer): Promise<StoredServer>;
  getServer(owner: string, id: string): Promise<StoredServer | undefined>;
  /** The owner's servers, by name. */
  listServers(owner: string): Promise<StoredServer[]>;
  forgetServer(owner: string, id: string): Promise<boolean>;
  /** Remembers how connecting went; false when the owner has no such server. */
  recordServerOutcome(owner: string, id: string, outcome: SavedServerOutcome): Promise<boolean>;

  /** Registers (or re-registers, after a restart) an instance as running and seen now. */
  announceInstance(instance: NewStoredInstance): Promise<StoredInstance>;
  /** A heartbeat; false when the instance is unknown. */
  instanceSeen(id: string): Promise<boolean>;
  /** A clean stop: its sessions are over at once for the other instances. */
  instanceStopped(id: string): Promise<boolean>;
  getInstance(id: string): Promise<StoredInstance | undefined>;

  /** Creates or replaces the record of a session (same id: a new instance took it over). */
  saveSessionRecord(record: NewSessionRecord): Promise<void>;
  /** The owner's session record (another owner's looks absent). */
  getSessionRecord(owner: string, id: string): Promise<SessionRecord | undefined>;
  /** Updates the state as seen by the instance holding it; false when another instance holds it now. */
  setSessionRecordState(id: string, instanceId: string, state: SessionState): Promise<boolean>;
  /**
   * Moves the session from one instance to another, only if `from` still holds it: of two instances taking over
   * the same session at once, one wins.
   */
  claimSessionRecord(owner: string, id: string, from: string, to: string): Promise<boolean>;
  forgetSessionRecord(owner: string, id: string): Promise<boolean>;
  /** Removes session records not updated since `before`, and instances not seen since then. */
  purgeSessionRecords(before: number): Promise<number>;

  /** Removes expired pending authorizations and shares. Returns how many rows went. */
  purgeExpired(): Promise<number>;
  close(): Promise<void>;
}

export type SqlDialect = 'sqlite' | 'postgres';

export interface StoreConfig {
  /** Default: env MCPSCOPE_DATA_DIR, else `.data`. The SQLite file and `secret.key` live here. */
  dataDir?: string;
  /** Default: env DATABASE_URL. When set, Postgres is used instead of SQLite. */
  databaseUrl?: string;
  /** Default: env MCPSCOPE_SECRET_KEY (base64 of 32 bytes); else generated into `<dataDir>/secret.key`. */
  secretKey?: string;
  /** Injectable clock (epoch ms), for tests. */
  now?: () => number;
}
