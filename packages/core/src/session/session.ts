/**
 * The stored session: one record holding everything that must change together, so a rotated
 * refresh token is never stored apart from the access token it came with.
 */
export interface Session {
  /** Record format version; a record of another version is discarded, not trusted. */
  readonly v: 1
  readonly accessToken: string
  readonly tokenType: string
  /** Epoch ms when the access token expires (from `expires_in`, or the default lifetime). */
  readonly expiresAt: number
  /** Epoch ms when the access token was received. */
  readonly issuedAt?: number
  readonly refreshToken?: string
  readonly idToken?: string
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

/** Lifetime assumed when the provider sends no `expires_in` (RFC 6749 makes it optional). */
export const DEFAULT_LIFETIME_MS = 3600_000

/**
 * Builds the next session from a token response. Values the response leaves out (refresh token,
 * ID token, scope) carry over from the previous session, as RFC 6749 §6 allows providers to.
 */
export function sessionFromTokens(
  tokens: TokenSet,
  claims: Readonly<Record<string, unknown>> | undefined,
  now: number,
  previous?: Session,
): Session {
  const lifetimeMs =
    typeof tokens.expires_in === 'number' && Number.isFinite(tokens.expires_in) && tokens.expires_in > 0
      ? tokens.expires_in * 1000
      : DEFAULT_LIFETIME_MS
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
    (s.issuedAt !== undefined && typeof s.issuedAt !== 'number') ||
    (s.userinfo !== undefined && (typeof s.userinfo !== 'object' || s.userinfo === null)) ||
    (s.resource !== undefined && !(Array.isArray(s.resource) && s.resource.every((r) => typeof r === 'string')))
  ) {
    return undefined
  }
  return value as Session
}

/**
 * The refresh leeway for this token: the configured one, but never more than half the token's
 * lifetime, or a token that lives less than the leeway would be renewed in a tight loop.
 */
export function leewayFor(session: Session, leewayMs: number): number {
  return session.issuedAt === undefined ? leewayMs : Math.min(leewayMs, (session.expiresAt - session.issuedAt) / 2)
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

