import * as oauth from 'oauth4webapi'
import type { TokenSet } from '../tokens'
import type { Transaction } from './authorize'
import { clockOf, requestOptions, withClock, type HttpOptions } from './http'
import type { IdTokenSignatureCheck } from './idTokenSignature'
import { toAuthError } from './oauthError'
import { AuthError } from '../kit'

export { CALLBACK_PARAMS, callbackState } from '../kit'

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
 * What the transaction asked for is enforced too: a `max_age` makes `auth_time` required and no
 * older than that (oauth4webapi's `maxAge`), typed `acrValues` make the `acr` claim one of them,
 * and the `resource` values travel with the code (RFC 8707 §2.2).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9207
 * @see https://openid.net/specs/openid-connect-core-1_0.html#TokenResponseValidation
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.2
 * @throws AuthError `ERR_AUTHORIZATION`, `ERR_CALLBACK_INVALID`, `ERR_TOKEN_RESPONSE`, `ERR_ID_TOKEN`
 *   (also for an `auth_time` older than `max_age`), `ERR_ACR_MISMATCH`, `ERR_NETWORK`
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
      { ...requestOptions(http), ...resourceParams(tx.resource) },
    )
    const result = await oauth.processAuthorizationCodeResponse(as, client, response, {
      expectedNonce: tx.nonce ?? oauth.expectNoNonce,
      requireIdToken: tx.nonce !== undefined,
      ...(tx.maxAgeS === undefined ? {} : { maxAge: tx.maxAgeS }),
    })
    if (verifySignature && result.id_token !== undefined) await verifySignature(as, result.id_token)
    const claims = checkIssuedAt(oauth.getValidatedIdTokenClaims(result), clockOf(http)())
    if (tx.acrValues) checkAcr(claims, tx.acrValues)
    return { tokens: result, claims, sentAt }
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

/** RFC 8707 `resource` parameters for a token request, one per value. */
export function resourceParams(resource: readonly string[] | undefined): { additionalParameters?: URLSearchParams } {
  if (!resource?.length) return {}
  return { additionalParameters: new URLSearchParams(resource.map((r) => ['resource', r])) }
}

/**
 * The `acr` claim must be one of the values asked for: `acr_values` is only a request (OIDC Core
 * 3.1.2.1), so a provider may authenticate the user less strongly than asked and say so in `acr`.
 * An app that asked for step-up must not accept that as if it had happened.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken (`acr`)
 * @throws AuthError `ERR_ACR_MISMATCH`
 */
export function checkAcr(claims: Readonly<Record<string, unknown>> | undefined, expected: readonly string[]): void {
  const acr = claims?.acr
  if (typeof acr !== 'string' || !expected.includes(acr)) {
    throw new AuthError(
      'ERR_ACR_MISMATCH',
      `The provider authenticated the user with ${typeof acr === 'string' ? `acr "${acr}"` : 'no acr claim'}, not one of the requested ${expected.join(', ')}`,
    )
  }
}
