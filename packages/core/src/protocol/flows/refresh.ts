import * as oauth from 'oauth4webapi'
import { checkIssuedAt, resourceParams, type CodeExchangeResult } from './callback'
import { clockOf, requestOptions, withClock, type HttpOptions } from './http'
import type { IdTokenSignatureCheck } from './idTokenSignature'
import { toAuthError } from './oauthError'
import { retryAfterMs } from './retryAfter'
import { AuthError } from '../kit'

/**
 * Runs the refresh-token grant. A response may leave out `refresh_token`, `id_token` and `scope`
 * (RFC 6749 §6); the caller carries the previous values over.
 *
 * Errors that mean the refresh token is dead are `ERR_SESSION_EXPIRED`: `invalid_grant`, and a
 * 400/401 whose body is not an OAuth error (some providers send an empty body). Everything else
 * (network, 5xx, malformed answers) is transient: `ERR_REFRESH_FAILED` or `ERR_NETWORK`. A
 * refreshed ID token whose signature fails `verifySignature` is `ERR_ID_TOKEN` (nothing is stored).
 * `resource` values (RFC 8707 §2.2, those the session was signed in for) are sent with the grant,
 * so the new access token is for the same APIs.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.2
 */
export async function refreshGrant(
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  http: HttpOptions,
  refreshToken: string,
  verifySignature?: IdTokenSignatureCheck,
  resource?: readonly string[],
): Promise<CodeExchangeResult> {
  client = withClock(client, http)
  const sentAt = clockOf(http)()
  try {
    const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken, {
      ...requestOptions(http),
      ...resourceParams(resource),
    })
    const result = await oauth.processRefreshTokenResponse(as, client, response)
    if (verifySignature && result.id_token !== undefined) await verifySignature(as, result.id_token)
    return { tokens: result, claims: checkIssuedAt(oauth.getValidatedIdTokenClaims(result), clockOf(http)()), sentAt }
  } catch (e) {
    const error = withRetryAfter(toAuthError(e, 'ERR_REFRESH_FAILED', 'Refresh'), e, clockOf(http)())
    if (isDeadGrant(error)) {
      return Promise.reject(
        new AuthError('ERR_SESSION_EXPIRED', 'The provider no longer accepts this session; sign in again', {
          cause: error,
          ...(error.error === undefined ? {} : { error: error.error }),
          ...(error.status === undefined ? {} : { status: error.status }),
        }),
      )
    }
    throw error
  }
}

/**
 * The HTTP response behind a failed protocol step, when there was one: oauth4webapi keeps it on
 * `response` (an OAuth error body) or as `cause` (a body that is not one).
 */
function responseOf(e: unknown): Response | undefined {
  if (e instanceof oauth.ResponseBodyError) return e.response
  if (e instanceof oauth.OperationProcessingError && e.cause instanceof Response) return e.cause
  return undefined
}

/**
 * Copies the provider's `Retry-After` (429 Too Many Requests, 503 Service Unavailable) onto the
 * error as `retryAfterMs`. Browsers show the header to the app only when the provider lists it
 * in `Access-Control-Expose-Headers`.
 */
function withRetryAfter(error: AuthError, e: unknown, now: number): AuthError {
  const response = responseOf(e)
  if (!response || (response.status !== 429 && response.status !== 503)) return error
  const ms = retryAfterMs(response.headers.get('retry-after'), now)
  if (ms === undefined) return error
  return new AuthError(error.code, error.message, {
    cause: error.cause,
    retryAfterMs: ms,
    ...(error.error === undefined ? {} : { error: error.error }),
    ...(error.errorDescription === undefined ? {} : { errorDescription: error.errorDescription }),
    ...(error.status === undefined ? {} : { status: error.status }),
  })
}

function isDeadGrant(error: AuthError): boolean {
  if (error.error !== undefined) return error.error === 'invalid_grant' || error.error === 'login_required'
  return error.status === 400 || error.status === 401
}
