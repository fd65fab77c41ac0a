import * as oauth from 'oauth4webapi'
import { AuthError } from '../errors'
import { requestOptions, type HttpOptions } from './flows/http'
import { toAuthError } from './flows/oauthError'
import { USERINFO_FAILED, USERINFO_MERGED } from '../logger'
import type { Session } from '../session/session'
import type { ProtocolContext } from './context'
import { withUserinfo } from './tokens'

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
 * Fetches the userinfo endpoint with the access token and returns its claims, after the check
 * OIDC Core 5.3.2 requires: the response's `sub` must equal the ID token's (oauth4webapi's
 * `processUserInfoResponse`). Without a `sub` to compare (no ID token), the response is refused:
 * it cannot be tied to the signed-in user.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfoResponse
 * @throws AuthError `ERR_USERINFO` (no endpoint, an error answer, a `sub` that differs),
 *   `ERR_NETWORK`
 * @example
 * ```ts
 * const claims = await fetchUserinfo(as, client, http, session.accessToken, session.claims.sub)
 * ```
 */
export async function fetchUserinfo(
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  http: HttpOptions,
  accessToken: string,
  expectedSub: unknown,
): Promise<Readonly<Record<string, unknown>>> {
  if (typeof as.userinfo_endpoint !== 'string') {
    throw new AuthError('ERR_USERINFO', 'protocol.userinfo is set, but the provider metadata has no userinfo_endpoint')
  }
  if (typeof expectedSub !== 'string') {
    throw new AuthError('ERR_USERINFO', 'The userinfo response cannot be checked: the session has no ID token sub')
  }
  try {
    const response = await oauth.userInfoRequest(as, client, accessToken, requestOptions(http))
    return await oauth.processUserInfoResponse(as, client, expectedSub, response)
  } catch (e) {
    const error = toAuthError(e, 'ERR_USERINFO', 'Userinfo')
    // A sub mismatch is a failed claim comparison, which toAuthError files under the ID token:
    // here it is about the userinfo response.
    if (error.code !== 'ERR_ID_TOKEN') throw error
    throw new AuthError('ERR_USERINFO', error.message, {
      cause: error.cause,
      ...(error.status === undefined ? {} : { status: error.status }),
    })
  }
}


/** The session with the userinfo response merged into its claims (see protocol/userinfo.ts). */
export async function addUserinfo(ctx: ProtocolContext, session: Session): Promise<Session> {
  const { opts, client, http, metadata } = ctx
  try {
    // DPoP-bound tokens go with a proof (`Authorization: DPoP`, `ath`); Bearer ones as they are.
    const bound = session.dpopKey !== undefined && session.tokenType.toLowerCase() === 'dpop'
    const claims = userClaims(await fetchUserinfo(await metadata(), client, bound ? await ctx.tokenHttp(session.dpopKey) : http, session.accessToken, session.claims.sub))
    opts.log?.(USERINFO_MERGED, claims)
    return withUserinfo(session, claims)
  } catch (e) {
    const error = toAuthError(e, 'ERR_USERINFO', 'Userinfo')
    opts.log?.(USERINFO_FAILED, error.code)
    throw error
  }
}
