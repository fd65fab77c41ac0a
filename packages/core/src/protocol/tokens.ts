// Building session records from token responses: only the protocol (sign-in, renewal) does that,
// so none of it is on the start path, which only reads and checks stored records.
import type { Session } from '../session/session'

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
    v: 1, // SESSION_VERSION (session/session.ts), the record format this code writes
    accessToken: tokens.access_token,
    tokenType: tokens.token_type,
    expiresAt: now + lifetimeMs,
    issuedAt: now,
    ...(refreshToken === undefined ? {} : { refreshToken }),
    ...(idToken === undefined ? {} : { idToken }),
    ...(scope === undefined ? {} : { scope }),
    claims: claims ?? previous?.claims ?? {},
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
  return { ...session, userinfo }
}

/** The payload of a JWT-shaped access token, decoded but not trusted (only its `exp` / `iat` are read). */
function jwtPayload(token: string): Record<string, unknown> | undefined {
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
