// The userinfo request and its checks, loaded by protocol/userinfo.ts with the first sign-in of an
// app that turned `protocol.userinfo` on. Of core it imports only types and takes the rest as a
// kit: a value shared with the start path would make bundlers split that module into a chunk of
// its own, which every page would then load at start.
import * as oauth from 'oauth4webapi'
import type { AuthError, AuthErrorCode, AuthErrorOptions } from '../errors'
import type { Session } from '../session/session'
import type { ProtocolContext } from './context'
import type { HttpOptions } from './flows/http'

/** What protocol/userinfo.ts lends this module. */
export interface UserinfoKit {
  authError(code: AuthErrorCode, message: string, options?: AuthErrorOptions): AuthError
  toAuthError(e: unknown, fallback: AuthErrorCode, what: string): AuthError
  requestOptions(http: HttpOptions): oauth.UserInfoRequestOptions
  withUserinfo(session: Session, userinfo: Readonly<Record<string, unknown>>): Session
  merged(claims: Readonly<Record<string, unknown>>): void
  failed(code: string): void
}

/**
 * Claims that describe the authentication itself, not the user: they come from the validated ID
 * token only, never from a userinfo response.
 */
const ID_TOKEN_ONLY = ['iss', 'aud', 'azp', 'exp', 'iat', 'nbf', 'jti', 'nonce', 'auth_time', 'acr', 'amr', 'sid', 'at_hash', 'c_hash']

/**
 * The claims of a userinfo response that may go on top of the ID token's: all but those about
 * the authentication itself (`iss`, `aud`, `exp`, `auth_time`, `acr`, ...).
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 */
export function userClaims(userinfo: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  return Object.fromEntries(Object.entries(userinfo).filter(([key]) => !ID_TOKEN_ONLY.includes(key)))
}

/**
 * Fetches the userinfo endpoint with the access token and returns its user claims, after the
 * check OIDC Core 5.3.2 requires: the response's `sub` must equal the ID token's
 * (oauth4webapi's `processUserInfoResponse`). Without a `sub` to compare (no ID token), the
 * response is refused: it cannot be tied to the signed-in user.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfoResponse
 * @throws AuthError `ERR_USERINFO` (no endpoint, an error answer, a `sub` that differs), `ERR_NETWORK`
 */
export async function fetchUserinfo(
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  http: HttpOptions,
  accessToken: string,
  expectedSub: unknown,
  kit: UserinfoKit,
): Promise<Readonly<Record<string, unknown>>> {
  if (typeof as.userinfo_endpoint !== 'string') {
    throw kit.authError('ERR_USERINFO', 'protocol.userinfo is set, but the provider metadata has no userinfo_endpoint')
  }
  if (typeof expectedSub !== 'string') {
    throw kit.authError('ERR_USERINFO', 'The userinfo response cannot be checked: the session has no ID token sub')
  }
  try {
    const response = await oauth.userInfoRequest(as, client, accessToken, kit.requestOptions(http))
    return userClaims(await oauth.processUserInfoResponse(as, client, expectedSub, response))
  } catch (e) {
    const error = kit.toAuthError(e, 'ERR_USERINFO', 'Userinfo')
    // A sub mismatch is a failed claim comparison, which toAuthError files under the ID token:
    // here it is about the userinfo response.
    if (error.code !== 'ERR_ID_TOKEN') throw error
    throw kit.authError('ERR_USERINFO', error.message, { cause: error.cause, ...(error.status === undefined ? {} : { status: error.status }) })
  }
}

/** The session with the userinfo response merged into its claims (see protocol/userinfo.ts). */
export async function addUserinfo(ctx: ProtocolContext, session: Session, kit: UserinfoKit): Promise<Session> {
  try {
    // DPoP-bound tokens go with a proof (`Authorization: DPoP`, `ath`); Bearer ones as they are.
    const bound = session.dpopKey !== undefined && session.tokenType.toLowerCase() === 'dpop'
    const http = bound ? await ctx.tokenHttp(session.dpopKey) : ctx.http
    const claims = await fetchUserinfo(await ctx.metadata(), ctx.client, http, session.accessToken, session.claims.sub, kit)
    kit.merged(claims)
    return kit.withUserinfo(session, claims)
  } catch (e) {
    const error = kit.toAuthError(e, 'ERR_USERINFO', 'Userinfo')
    kit.failed(error.code)
    throw error
  }
}
