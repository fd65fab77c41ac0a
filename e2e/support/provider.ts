// Talks to the dev provider's /__dev endpoints: what it counted, and ways to break it.
export interface ProviderStats {
  grants: Record<string, number>
  grantErrors: { grantType?: string; error?: string; detail?: string }[]
  refreshTokenReuse: number
  refreshTokensIssued: number
  /** Authorization requests, and those with prompt=none. */
  authorizations: { total: number; silent: number }
  /** OAuth errors sent back to prompt=none requests. */
  silentErrors: string[]
  /** Step-up and resource parameters of each successful authorization request. */
  authorizationParams: {
    prompt?: string
    max_age?: number | string
    acr_values?: string
    login_hint?: string
    ui_locales?: string
    resource: string[]
  }[]
  /** `resource` values of each successful token request. */
  tokenResources: { grantType: string; resource: string[] }[]
  /** Userinfo requests answered 200. */
  userinfo: number
  revocations: number
  endSessions: number
  /** Userinfo answers: 200s, and 401s (an expired or revoked access token). */
  userinfoAnswers: { ok: number; rejected: number }
  /** When each refresh grant was answered (epoch ms). */
  refreshTimes: number[]
  requests: number
  requestLog: string[]
  /** Requests that carried a DPoP proof, as 'METHOD /path'. */
  dpopProofs: string[]
  /** use_dpop_nonce answers (one per nonce round trip a client paid), as 'METHOD /path'. */
  dpopNonceChallenges: string[]
  /** token_type of each successful token response ('dpop', 'bearer'). */
  tokenTypes: string[]
  /** Differ mode rotationRevokesAccessToken: access tokens killed because a refresh replaced them. */
  accessTokensRevokedOnRotation: number
  /** Differ mode silentErrorPage: prompt=none requests answered with an HTML error page. */
  silentErrorPages: number
}

/** Ways the dev provider bends the standard (demo/op/provider.mjs, DIFFER_MODES); all off by default. */
export interface DifferModes {
  /** Discovery only at this path; the standard path answers 301 with it as Location. */
  discoveryPath?: string
  /** The revocation endpoint works but is not in the metadata. */
  hideRevocation?: boolean
  /** A refresh that rotates kills the access tokens issued before it. */
  rotationRevokesAccessToken?: boolean
  /** prompt=none gets an HTML error page instead of a login_required redirect. */
  silentErrorPage?: boolean
}

export async function providerStats(issuer: string): Promise<ProviderStats> {
  return (await fetch(`${issuer}/__dev/stats`)).json() as Promise<ProviderStats>
}

async function post(issuer: string, path: string, body: unknown = {}): Promise<void> {
  const response = await fetch(`${issuer}/__dev/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`/__dev/${path} answered ${response.status}`)
}

/** Replaces the provider's differ modes ({} turns them off; /__dev/reset does too). */
export const setDiffer = (issuer: string, modes: DifferModes) => post(issuer, 'differ', modes)

/** The status the provider's token endpoint answers a refresh with `refreshToken` (200 while it is valid). */
export async function refreshStatus(issuer: string, clientId: string, refreshToken: string): Promise<number> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId }),
  })
  await response.body?.cancel()
  return response.status
}

/** The status the provider's userinfo endpoint answers for `accessToken` (200 while it is valid). */
export async function userinfoStatus(issuer: string, accessToken: string): Promise<number> {
  const response = await fetch(`${issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } })
  await response.body?.cancel()
  return response.status
}

/** Every request to `endpoint` (token, discovery, ... as for failNext) waits `ms` first; 0 removes it. */
export const setLatency = (issuer: string, endpoint: string, ms: number) => post(issuer, 'latency', { endpoint, ms })
/** Zeroes the counters and clears pending /__dev/fail failures and /__dev/latency delays. */
export const resetProvider = (issuer: string) => post(issuer, 'reset')
export const resetStats = resetProvider
export const revokeAll = (issuer: string) => post(issuer, 'revoke-all')
/** Every access token issued so far stops working; refresh tokens keep working. */
export const revokeAccessTokens = (issuer: string) => post(issuer, 'revoke-access-tokens')
/** Whether ID tokens carry profile/email claims or only `sub`, the rest in userinfo (reset: on). */
export const setIdTokenProfileClaims = (issuer: string, profile: boolean) => post(issuer, 'id-token-claims', { profile })
export const setAccessTokenTtl = (issuer: string, accessTokenTtl: number) => post(issuer, 'ttl', { accessTokenTtl })
/** Whether DPoP proofs must carry the provider's nonce (RFC 9449 §8); /__dev/reset restores the start value. */
export const setDPoPNonceRequired = (issuer: string, requireNonce: boolean) => post(issuer, 'dpop', { requireNonce })
/** Whether token responses carry a refresh token (on by default; /__dev/reset turns it back on). */
export const setRefreshTokens = (issuer: string, issue: boolean) => post(issuer, 'refresh-tokens', { issue })
/**
 * The next `times` requests to `endpoint` (token, discovery, authorization, revocation, userinfo,
 * jwks, end_session, or a path) answer `status` with `body` ('' for an empty body) and `headers`
 * (exposed to the app through CORS).
 */
export const failNext = (
  issuer: string,
  failure: {
    endpoint: string
    status?: number
    body?: string
    contentType?: string
    headers?: Record<string, string>
    times?: number
    delayMs?: number
  },
) => post(issuer, 'fail', failure)
