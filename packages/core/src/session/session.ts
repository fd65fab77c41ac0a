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
   * The validated ID token's claims (`getIdTokenClaims()`), kept across refreshes that carry no
   * ID token. The user the app sees is these with {@link Session.userinfo} merged in (store.ts).
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

