import * as oauth from 'oauth4webapi'
import { AuthError } from '../errors'
import type { TokenSet } from '../session/session'
import type { Transaction } from './authorize'
import { clockOf, requestOptions, withClock, type HttpOptions } from './http'
import type { IdTokenSignatureCheck } from './idTokenSignature'
import { toAuthError } from './oauthError'

export { CALLBACK_PARAMS, callbackState } from './responseUrl'

export interface CodeExchangeResult {
  readonly tokens: TokenSet
  readonly claims: Readonly<Record<string, unknown>> | undefined
  /**
   * When the token request was sent (epoch ms, the client's clock). The token's lifetime is
   * counted from here: the provider started it somewhere between the send and the answer.
   */
  readonly sentAt?: number
}

/**
 * Validates an authorization response against its transaction (state, RFC 9207 `iss`, provider
 * errors) and exchanges the code with the PKCE verifier, validating the ID token (iss, aud, azp,
 * exp, iat, nonce) through oauth4webapi. With `verifySignature` (see `protocol.verifySignature`),
 * the ID token's signature is checked too before anything is returned.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9207
 * @see https://openid.net/specs/openid-connect-core-1_0.html#TokenResponseValidation
 * @throws AuthError `ERR_AUTHORIZATION`, `ERR_CALLBACK_INVALID`, `ERR_TOKEN_RESPONSE`, `ERR_ID_TOKEN`, `ERR_NETWORK`
 */
export async function exchangeCode(
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  http: HttpOptions,
  tx: Transaction,
  url: URL,
  verifySignature?: IdTokenSignatureCheck,
): Promise<CodeExchangeResult> {
  let params: URLSearchParams
  client = withClock(client, http)
  try {
    params = oauth.validateAuthResponse(as, client, url, tx.state)
  } catch (e) {
    throw toAuthError(e, 'ERR_CALLBACK_INVALID', 'Authorization response')
  }
  const sentAt = clockOf(http)()
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      tx.redirectUri,
      tx.codeVerifier,
      requestOptions(http),
    )
    const result = await oauth.processAuthorizationCodeResponse(as, client, response, {
      expectedNonce: tx.nonce ?? oauth.expectNoNonce,
      requireIdToken: tx.nonce !== undefined,
    })
    if (verifySignature && result.id_token !== undefined) await verifySignature(as, result.id_token)
    return { tokens: result, claims: checkIssuedAt(oauth.getValidatedIdTokenClaims(result), clockOf(http)()), sentAt }
  } catch (e) {
    throw toAuthError(e, 'ERR_TOKEN_RESPONSE', 'Code exchange')
  }
}

/**
 * How far in the future an ID token's `iat` may lie, in seconds. oauth4webapi rejects expired
 * tokens (30 s tolerance) but not ones issued in the future; a few minutes allow for a client
 * clock that runs late, as browsers' clocks often do.
 */
export const MAX_IAT_SKEW_S = 300

/**
 * Rejects an ID token issued too far in the future (OIDC Core 3.1.3.7 item 10: `iat` "can be used
 * to reject tokens that were issued too far away from the current time"). `now` is the client's
 * clock (the injected `now` option), the one oauth4webapi's `exp` check reads too (`withClock`).
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 * @throws AuthError `ERR_ID_TOKEN`
 */
export function checkIssuedAt<T extends Readonly<Record<string, unknown>> | undefined>(claims: T, now: number): T {
  const iat = claims?.iat
  if (typeof iat === 'number' && iat > now / 1000 + MAX_IAT_SKEW_S) {
    throw new AuthError('ERR_ID_TOKEN', 'The ID token was issued in the future (iat); check the clock')
  }
  return claims
}
