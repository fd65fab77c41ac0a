// ID token signature verification, loaded only when `protocol.verifySignature` is on: this module
// is the one place core imports jose's verification code, and the client reaches it through a
// dynamic import, so apps that leave the option off ship none of it.
import { createRemoteJWKSet, customFetch, jwtVerify } from 'jose'
import type * as oauth from 'oauth4webapi'
import type { AuthError, AuthErrorCode } from '../../errors'
import type { HttpOptions } from './http'

// This module imports no value from the rest of core: a value it shared with the main bundle
// (http.ts's NetworkFailure, the AuthError class) would make bundlers split the shared module into
// a chunk of its own, which every app then loads at start (measured: 0.2 kB gz for errors.ts).
// So the key-set failure is local, and AuthErrors are made by the caller's `fail`.
class KeySetUnreachable extends Error {}

/** Makes the AuthError to throw; the client passes `(code, message, cause) => new AuthError(...)`. */
export type MakeAuthError = (code: AuthErrorCode, message: string, cause?: unknown) => AuthError

/** Checks one ID token's signature against the provider's keys; rejects with an {@link AuthError}. */
export type IdTokenSignatureCheck = (as: oauth.AuthorizationServer, idToken: string) => Promise<void>

/** oauth4webapi's default clock tolerance, so both checks agree on `exp`. */
const CLOCK_TOLERANCE_S = 30

/**
 * Makes a checker that verifies ID token signatures with jose against the provider's `jwks_uri`,
 * allowing only the algorithms the provider advertises in `id_token_signing_alg_values_supported`
 * (RS256 when it lists none) and never `none`. The key set is fetched on first use through the
 * client's fetch and timeout, cached, and re-fetched when a token names an unknown key (rotation).
 * Claims (iss, aud, exp) are checked again by jose; nonce, azp and iat were already checked by
 * oauth4webapi.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation (3.1.3.7, step 6)
 * @throws AuthError `ERR_ID_TOKEN` (bad signature, unknown key, algorithm not allowed, no usable
 *   `jwks_uri`), `ERR_NETWORK` (the key set got no answer).
 */
export function createIdTokenSignatureCheck(clientId: string, http: HttpOptions, fail: MakeAuthError): IdTokenSignatureCheck {
  let keys: { uri: string; set: ReturnType<typeof createRemoteJWKSet> } | undefined

  function keySet(as: oauth.AuthorizationServer): ReturnType<typeof createRemoteJWKSet> {
    const uri = as.jwks_uri
    if (typeof uri !== 'string') throw fail('ERR_ID_TOKEN', 'Cannot verify the ID token signature: the provider metadata has no jwks_uri')
    if (keys?.uri === uri) return keys.set
    let url: URL
    try {
      url = new URL(uri)
    } catch (cause) {
      throw fail('ERR_ID_TOKEN', 'Cannot verify the ID token signature: jwks_uri is not a URL', cause)
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && http.allowHttp)) {
      throw fail('ERR_ID_TOKEN', 'Cannot verify the ID token signature: jwks_uri must use https')
    }
    const set = createRemoteJWKSet(url, {
      timeoutDuration: http.timeoutMs,
      [customFetch]: (input, init) =>
        http.fetch(input, init).catch((cause: unknown) => {
          throw new KeySetUnreachable('The key set request got no answer', { cause })
        }),
    })
    keys = { uri, set }
    return set
  }

  return async (as, idToken) => {
    const set = keySet(as)
    try {
      await jwtVerify(idToken, set, {
        algorithms: allowedAlgorithms(as),
        issuer: as.issuer,
        audience: clientId,
        clockTolerance: CLOCK_TOLERANCE_S,
        ...(http.now ? { currentDate: new Date(http.now()) } : {}),
      })
    } catch (e) {
      if (e instanceof KeySetUnreachable || joseCode(e) === 'ERR_JWKS_TIMEOUT') {
        throw fail('ERR_NETWORK', 'ID token verification failed: the key set got no answer', e)
      }
      throw fail('ERR_ID_TOKEN', `The ID token failed signature verification: ${reason(e)}`, e)
    }
  }
}

/** The provider's advertised ID token algorithms, without `none`; RS256 (OIDC's default) when it lists none. */
export function allowedAlgorithms(as: oauth.AuthorizationServer): string[] {
  const listed = Array.isArray(as.id_token_signing_alg_values_supported) ? as.id_token_signing_alg_values_supported : []
  const usable = listed.filter((alg): alg is string => typeof alg === 'string' && alg !== '' && alg.toLowerCase() !== 'none')
  return usable.length > 0 ? usable : ['RS256']
}

/**
 * jose's error code (its errors carry a stable `code`). Read instead of `instanceof errors.X`:
 * jose's `errors` namespace object makes esbuild add a runtime helper chunk that every chunk of the
 * app, the start bundle included, then imports.
 */
function joseCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('ERR_J') ? code : undefined
}

const REASONS: Readonly<Record<string, string>> = {
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'the signature does not match the provider key',
  ERR_JWKS_NO_MATCHING_KEY: 'no key in the provider key set matches the token',
  ERR_JOSE_ALG_NOT_ALLOWED: 'the signing algorithm is not one the provider advertises',
}

function reason(e: unknown): string {
  const code = joseCode(e)
  if (code === undefined) return 'unexpected error'
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' || code === 'ERR_JWT_EXPIRED') return `claim check failed (${String((e as { claim?: unknown }).claim)})`
  return REASONS[code] ?? code
}
