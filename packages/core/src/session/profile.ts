// What `getUser()` and the snapshot's `user` show: the user's profile. The claims that describe
// the token and the authentication rather than the person (who issued it, for whom, until when,
// the nonce, hashes, binding) stay out, as in oidc-client-ts (`filterProtocolClaims`) and
// auth0-spa-js; `getIdTokenClaims()` gives them all. On the start path: a list and one loop.
import type { Session } from './session'

/** ID token claims about the token and the authentication, not the user (OIDC Core 2, 3.1.3.6, 3.3.2.11; RFC 7519 4.1; RFC 7800). */
export const PROTOCOL_CLAIMS: readonly string[] = [
  'iss', 'aud', 'exp', 'iat', 'nbf', 'jti', 'nonce', 'azp', 'at_hash', 'c_hash', 's_hash',
  'auth_time', 'acr', 'amr', 'sid', 'cnf', 'sub_jwk', 'sip_hash',
]

/** The profile: `claims` without {@link PROTOCOL_CLAIMS} (`sub` stays: it names the user). */
export function profileOf(claims: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const profile: Record<string, unknown> = {}
  for (const name of Object.keys(claims)) if (!PROTOCOL_CLAIMS.includes(name)) profile[name] = claims[name]
  return profile
}

/**
 * The claims of the session's ID token as the provider issued them (validated when it arrived),
 * without userinfo; null without a session or an ID token (no `openid` scope).
 */
export function idTokenClaims(session: Session | undefined): Readonly<Record<string, unknown>> | null {
  return session?.idToken === undefined ? null : session.claims
}
