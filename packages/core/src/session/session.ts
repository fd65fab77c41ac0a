/**
 * The stored session: one record holding everything that must change together, so a rotated
 * refresh token is never stored apart from the access token it came with.
 */
export interface Session {
  /** Record format version; a record of another version is discarded, not trusted. */
  readonly v: 1
  /** The access token to send to APIs. */
  readonly accessToken: string
  /** The token type the provider answered, normally `Bearer`. */
  readonly tokenType: string
  /** Epoch ms when the access token expires (from `expires_in`, or the default lifetime). */
  readonly expiresAt: number
  /** Epoch ms when the access token was received. */
  readonly issuedAt?: number
  /** The refresh token, when the provider issued one (rotated ones replace it on every refresh). */
  readonly refreshToken?: string
  /** The last ID token (kept for `logout({ idTokenHint: true })`). */
  readonly idToken?: string
  /** The scope the provider granted, when it said. */
  readonly scope?: string
  /**
   * Claims of the user: the validated ID token's, with the userinfo response's merged in when
   * `protocol.userinfo` is on. Kept across refreshes that carry no ID token.
   */
  readonly claims: Readonly<Record<string, unknown>>
  /** The last userinfo response's user claims (its `sub` checked), merged into `claims` again after a refresh. */
  readonly userinfo?: Readonly<Record<string, unknown>>
  /** RFC 8707 resource indicators the session was signed in for: every refresh asks for them again. */
  readonly resource?: readonly string[]
  /** Increases with every stored token set; a lower number never overwrites a higher one. */
  readonly seq: number
  /**
   * Id of the sign-in's DPoP key pair (`protocol.dpop`): where the client finds the key that
   * proves possession of these tokens. Kept across refreshes.
   */
  readonly dpopKey?: string
  /**
   * Set in a duplicated tab's copy of a per-tab session: the key belongs to the original tab,
   * so this copy never deletes it.
   */
  readonly dpopKeyBorrowed?: true
}

export const SESSION_VERSION = 1

/** Wire shape the session is built from (what oauth4webapi returns from the token endpoint). */
export interface TokenSet {
  readonly access_token: string
  readonly token_type: string
  readonly expires_in?: number
  readonly refresh_token?: string
  readonly id_token?: string
  readonly scope?: string
}

/**
 * Lifetime assumed when the provider sends no `expires_in` (RFC 6749 makes it optional) and the
 * access token carries no readable `exp`. Short on purpose: a token kept for longer than it lives
 * is sent and rejected, while one renewed early only costs a refresh grant.
 */
export const DEFAULT_LIFETIME_MS = 300_000

/** Longest lifetime read from an access token's own `exp`: more is taken for a mistake. */
const MAX_JWT_LIFETIME_MS = 24 * 3600_000

/**
 * How long the access token lives, counted from `now`: `expires_in` when the provider sent it;
 * otherwise the `exp` (minus `iat` when present, which keeps the provider's clock out of it) of
 * an access token shaped like a JWT (RFC 9068), read but not trusted for anything else; otherwise
 * {@link DEFAULT_LIFETIME_MS}.
 */
export function accessTokenLifetimeMs(tokens: Pick<TokenSet, 'access_token' | 'expires_in'>, now: number): number {
  const { expires_in: expiresIn } = tokens
  if (typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0) return expiresIn * 1000
  const claims = jwtPayload(tokens.access_token)
  const exp = claims?.exp
  if (typeof exp === 'number' && Number.isFinite(exp)) {
    const iat = claims?.iat
    const lifetime = typeof iat === 'number' && Number.isFinite(iat) && iat < exp ? (exp - iat) * 1000 : exp * 1000 - now
    if (lifetime > 0 && lifetime <= MAX_JWT_LIFETIME_MS) return lifetime
  }
  return DEFAULT_LIFETIME_MS
}

export function jwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.')
  if (parts.length !== 3 || !parts[1]) return undefined
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/')
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)))
    const payload: unknown = JSON.parse(json)
    return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/**
 * Builds the next session from a token response. Values the response leaves out (refresh token,
 * ID token, scope) carry over from the previous session, as RFC 6749 §6 allows providers to.
 * Pass as `now` the moment the request was sent: the provider started the token's lifetime
 * somewhere between then and the answer, so counting from the send never overestimates it.
 */
export function sessionFromTokens(
  tokens: TokenSet,
  claims: Readonly<Record<string, unknown>> | undefined,
  now: number,
  previous?: Session,
): Session {
  const lifetimeMs = accessTokenLifetimeMs(tokens, now)
  const refreshToken = tokens.refresh_token ?? previous?.refreshToken
  const idToken = tokens.id_token ?? previous?.idToken
  const scope = tokens.scope ?? previous?.scope
  const userinfo = previous?.userinfo
  const resource = previous?.resource
  return {
    v: SESSION_VERSION,
    accessToken: tokens.access_token,
    tokenType: tokens.token_type,
    expiresAt: now + lifetimeMs,
    issuedAt: now,
    ...(refreshToken === undefined ? {} : { refreshToken }),
    ...(idToken === undefined ? {} : { idToken }),
    ...(scope === undefined ? {} : { scope }),
    claims: claims ? { ...claims, ...userinfo } : (previous?.claims ?? {}),
    ...(userinfo === undefined ? {} : { userinfo }),
    ...(resource === undefined ? {} : { resource }),
    seq: (previous?.seq ?? 0) + 1,
    ...(previous?.dpopKey === undefined ? {} : { dpopKey: previous.dpopKey }),
    ...(previous?.dpopKeyBorrowed ? { dpopKeyBorrowed: true as const } : {}),
  }
}

/**
 * The session with a fresh userinfo response merged into its claims. `userinfo` holds user claims
 * only (userinfoClaims() leaves out those about the authentication), so they may go on top.
 */
export function withUserinfo(session: Session, userinfo: Readonly<Record<string, unknown>>): Session {
  return { ...session, userinfo, claims: { ...session.claims, ...userinfo } }
}

/**
 * Checks a value read from storage. Anything that is not a current-version session (corrupt,
 * tampered, written by an older version) yields `undefined` so the caller discards it.
 */
export function parseSession(value: unknown): Session | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const s = value as Record<string, unknown>
  const optionalString = (k: string) => s[k] === undefined || typeof s[k] === 'string'
  if (
    s.v !== SESSION_VERSION ||
    typeof s.accessToken !== 'string' ||
    s.accessToken === '' ||
    typeof s.tokenType !== 'string' ||
    typeof s.expiresAt !== 'number' ||
    !Number.isFinite(s.expiresAt) ||
    typeof s.seq !== 'number' ||
    typeof s.claims !== 'object' ||
    s.claims === null ||
    !optionalString('refreshToken') ||
    !optionalString('idToken') ||
    !optionalString('scope') ||
    !optionalString('dpopKey') ||
    (s.issuedAt !== undefined && typeof s.issuedAt !== 'number') ||
    (s.userinfo !== undefined && (typeof s.userinfo !== 'object' || s.userinfo === null)) ||
    (s.resource !== undefined && !(Array.isArray(s.resource) && s.resource.every((r) => typeof r === 'string')))
  ) {
    return undefined
  }
  return value as Session
}

/** Share of the token's lifetime that the refresh leeway may take at most. */
export const MAX_LEEWAY_SHARE = 0.1

/**
 * The refresh leeway for this token: the configured one (default 60 s), but never more than a
 * tenth of the token's lifetime. A renewal then comes after at least 90 % of the lifetime (less
 * the jitter below), about one refresh grant per lifetime however short the lifetime is, and
 * the renewed token still has that tenth left while the request is under way.
 */
export function leewayFor(session: Session, leewayMs: number): number {
  return session.issuedAt === undefined ? leewayMs : Math.min(leewayMs, (session.expiresAt - session.issuedAt) * MAX_LEEWAY_SHARE)
}

/** Most a refresh is moved earlier to spread tabs and clients: a quarter of the leeway, at most 10 s. */
export function maxJitterFor(session: Session, leewayMs: number): number {
  return Math.min(leewayFor(session, leewayMs) / 4, 10_000)
}

/**
 * The earliest moment a scheduled refresh of this session may run (leeway plus the largest
 * jitter before expiry). A session not yet there was renewed by someone else: nothing to do.
 */
export function renewAfter(session: Session, leewayMs: number): number {
  return session.expiresAt - leewayFor(session, leewayMs) - maxJitterFor(session, leewayMs)
}

/** True while the access token is usable for at least the (capped) leeway more. */
export function isFresh(session: Session, now: number, leewayMs: number): boolean {
  return now < session.expiresAt - leewayFor(session, leewayMs)
}

