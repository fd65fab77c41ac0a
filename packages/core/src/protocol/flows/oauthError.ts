import * as oauth from 'oauth4webapi'
import type { AuthErrorCode } from '../../errors'
import { NetworkFailure } from './http'
import { AuthError } from '../kit'

const TOKEN_FIELDS = ['access_token', 'refresh_token', 'id_token']

/**
 * Turns whatever a protocol step threw into an {@link AuthError}. Provider errors keep their
 * OAuth `error` apart from our code; response bodies attached by oauth4webapi are redacted so
 * no token can leak through `cause`.
 */
export function toAuthError(e: unknown, fallback: AuthErrorCode, what: string): AuthError {
  if (e instanceof AuthError) return e
  if (e instanceof oauth.AuthorizationResponseError) {
    return new AuthError('ERR_AUTHORIZATION', `The provider refused the authorization request: ${e.error}`, {
      cause: e,
      error: e.error,
      ...(e.error_description === undefined ? {} : { errorDescription: e.error_description }),
    })
  }
  if (e instanceof oauth.ResponseBodyError) {
    return new AuthError(fallback, `${what} failed: the provider answered ${e.error}`, {
      cause: e,
      error: e.error,
      status: e.status,
      ...(e.error_description === undefined ? {} : { errorDescription: e.error_description }),
    })
  }
  if (e instanceof oauth.WWWAuthenticateChallengeError) {
    const params = e.cause[0]?.parameters
    return new AuthError(fallback, `${what} failed: the provider sent an authentication challenge`, {
      cause: e,
      status: e.status,
      ...(params?.error === undefined ? {} : { error: params.error }),
    })
  }
  if (e instanceof oauth.OperationProcessingError) {
    redactCause(e)
    const status = e.cause instanceof Response ? e.cause.status : undefined
    return new AuthError(isIdTokenFailure(e) ? 'ERR_ID_TOKEN' : fallback, `${what} failed: ${e.message}`, {
      cause: e,
      ...(status === undefined ? {} : { status }),
    })
  }
  if (isNetworkError(e)) {
    return new AuthError('ERR_NETWORK', `${what} failed: no answer from the provider`, { cause: e })
  }
  if (e instanceof oauth.UnsupportedOperationError) {
    // An unknown `token_type` arrives here with the whole token response as its cause.
    redactCause(e)
    return new AuthError(fallback, `${what} failed: ${e.message}`, { cause: e })
  }
  return new AuthError(fallback, `${what} failed`, { cause: e })
}

/**
 * The token responses tokenkeep processes carry one JWT, the ID token, so a failure about a JWT
 * (its claims, its `alg` header, its shape) is an ID token failure, not a malformed response.
 */
function isIdTokenFailure(e: oauth.OperationProcessingError): boolean {
  if (e.code === oauth.JWT_CLAIM_COMPARISON || e.code === oauth.JWT_TIMESTAMP_CHECK) return true
  const cause = e.cause
  if (typeof cause === 'object' && cause !== null && ('claims' in cause || 'header' in cause)) return true
  return /\bJWT\b/.test(e.message)
}

function isNetworkError(e: unknown): boolean {
  return e instanceof NetworkFailure
}

function redactCause(e: oauth.OperationProcessingError | oauth.UnsupportedOperationError): void {
  // 'Invalid JWT' and its kin carry the raw ID token as their cause.
  if (typeof e.cause === 'string') {
    e.cause = '[redacted]'
    return
  }
  const cause = e.cause as { body?: Record<string, unknown> } | undefined
  if (cause && Object.getPrototypeOf(cause) === Object.prototype && cause.body && typeof cause.body === 'object') {
    const body = { ...cause.body }
    for (const field of TOKEN_FIELDS) if (field in body) body[field] = '[redacted]'
    cause.body = body
  }
}
