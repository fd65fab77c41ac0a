import * as oauth from 'oauth4webapi'
import type { TokenSet } from '../session/session'
import type { Transaction } from './authorize'
import { requestOptions, type HttpOptions } from './http'
import type { IdTokenSignatureCheck } from './idTokenSignature'
import { toAuthError } from './oauthError'

export { CALLBACK_PARAMS, callbackState } from './responseUrl'

export interface CodeExchangeResult {
  readonly tokens: TokenSet
  readonly claims: Readonly<Record<string, unknown>> | undefined
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
  try {
    params = oauth.validateAuthResponse(as, client, url, tx.state)
  } catch (e) {
    throw toAuthError(e, 'ERR_CALLBACK_INVALID', 'Authorization response')
  }
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
    return { tokens: result, claims: oauth.getValidatedIdTokenClaims(result) }
  } catch (e) {
    throw toAuthError(e, 'ERR_TOKEN_RESPONSE', 'Code exchange')
  }
}
