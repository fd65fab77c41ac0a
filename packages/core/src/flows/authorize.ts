import * as oauth from 'oauth4webapi'
import { AuthError, optionError } from '../errors'
import { requestOptions, type HttpOptions } from './http'
import { toAuthError } from './oauthError'

/**
 * A pending authorization request, stored under its own `state` until the callback consumes it
 * (single use) or it expires.
 */
export interface Transaction {
  readonly state: string
  readonly codeVerifier: string
  /** Present when `openid` is in scope; the ID token must echo it. */
  readonly nonce?: string
  readonly redirectUri: string
  /** Same-origin path to land on after the callback. */
  readonly returnTo?: string
  readonly mode: 'redirect' | 'popup'
  readonly expiresAt: number
}

export interface AuthorizationRequest {
  readonly url: URL
  readonly transaction: Transaction
}

export interface AuthorizeParams {
  readonly clientId: string
  readonly redirectUri: string
  readonly scope: string
  readonly mode: 'redirect' | 'popup'
  readonly returnTo?: string
  readonly now: number
  readonly ttlMs: number
  /** Extra parameters (`prompt`, `login_hint`, `audience`, ...). Cannot override the protected ones. */
  readonly extraParams?: Readonly<Record<string, string>>
  /**
   * Push the parameters to the provider first (RFC 9126); the URL then carries only `client_id`
   * and `request_uri`. Decide with {@link usePushedAuthorization}.
   */
  readonly push?: { readonly client: oauth.Client; readonly http: HttpOptions }
}

/**
 * Whether a login goes through PAR: when the provider's metadata requires it, or when the app
 * asked for it with `protocol.par: 'always'`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9126#section-5
 * @throws TypeError `ERR_INVALID_OPTION` (`protocol.par: 'always'` but the provider advertises no
 *   `pushed_authorization_request_endpoint`); AuthError `ERR_DISCOVERY` (the provider requires PAR
 *   and advertises no endpoint for it).
 */
export function usePushedAuthorization(as: oauth.AuthorizationServer, par: 'auto' | 'always'): boolean {
  const required = as.require_pushed_authorization_requests === true
  if (!required && par === 'auto') return false
  if (typeof as.pushed_authorization_request_endpoint !== 'string') {
    if (required) {
      throw new AuthError('ERR_DISCOVERY', 'The provider requires pushed authorization requests but its metadata has no pushed_authorization_request_endpoint')
    }
    throw optionError('protocol.par', "is 'always', but the provider does not support pushed authorization requests (no pushed_authorization_request_endpoint in its metadata)")
  }
  return true
}

/** Parameters the SDK owns; an app cannot override them through extra parameters. */
const PROTECTED = new Set([
  'client_id',
  'redirect_uri',
  'response_type',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'scope',
])

/**
 * Builds an Authorization Code request with PKCE S256, `state` and (for OpenID) `nonce`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636 (PKCE)
 * With `push`, the parameters go to the provider's PAR endpoint and the returned URL carries only
 * `client_id` and the `request_uri` it answered.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
 * @see https://www.rfc-editor.org/rfc/rfc9126 (PAR)
 * @throws AuthError `ERR_DISCOVERY`; with `push`: `ERR_AUTHORIZATION` (the provider refused the
 *   pushed request, its OAuth `error` kept), `ERR_NETWORK`.
 */
export async function createAuthorizationRequest(
  as: oauth.AuthorizationServer,
  params: AuthorizeParams,
): Promise<AuthorizationRequest> {
  if (!as.authorization_endpoint) {
    throw new AuthError('ERR_DISCOVERY', 'The provider metadata has no authorization_endpoint')
  }
  const codeVerifier = oauth.generateRandomCodeVerifier()
  const state = oauth.generateRandomState()
  const openid = params.scope.split(' ').includes('openid')
  const nonce = openid ? oauth.generateRandomNonce() : undefined

  const url = new URL(as.authorization_endpoint)
  for (const [key, value] of Object.entries(params.extraParams ?? {})) {
    if (!PROTECTED.has(key)) url.searchParams.set(key, value)
  }
  url.searchParams.set('client_id', params.clientId)
  url.searchParams.set('redirect_uri', params.redirectUri)
  url.searchParams.set('response_type', 'code')
  url.searchParams.set('scope', params.scope)
  url.searchParams.set('state', state)
  if (nonce) url.searchParams.set('nonce', nonce)
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier))
  url.searchParams.set('code_challenge_method', 'S256')

  return {
    url: params.push ? await pushAuthorizationRequest(as, params.push, url) : url,
    transaction: {
      state,
      codeVerifier,
      ...(nonce === undefined ? {} : { nonce }),
      redirectUri: params.redirectUri,
      ...(params.returnTo === undefined ? {} : { returnTo: params.returnTo }),
      mode: params.mode,
      expiresAt: params.now + params.ttlMs,
    },
  }
}

async function pushAuthorizationRequest(
  as: oauth.AuthorizationServer,
  { client, http }: { readonly client: oauth.Client; readonly http: HttpOptions },
  url: URL,
): Promise<URL> {
  let requestUri: string
  try {
    const response = await oauth.pushedAuthorizationRequest(as, client, oauth.None(), url.searchParams, requestOptions(http))
    requestUri = (await oauth.processPushedAuthorizationResponse(as, client, response)).request_uri
  } catch (e) {
    throw toAuthError(e, 'ERR_AUTHORIZATION', 'Pushed authorization request')
  }
  // The endpoint's own query (if it has one) stays; the pushed parameters do not travel again.
  const pushed = new URL(as.authorization_endpoint!)
  pushed.searchParams.set('client_id', client.client_id)
  pushed.searchParams.set('request_uri', requestUri)
  return pushed
}

/** Shape check for a transaction read back from storage. */
export function parseTransaction(value: unknown): Transaction | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const t = value as Record<string, unknown>
  if (
    typeof t.state !== 'string' ||
    typeof t.codeVerifier !== 'string' ||
    typeof t.redirectUri !== 'string' ||
    typeof t.expiresAt !== 'number' ||
    (t.mode !== 'redirect' && t.mode !== 'popup') ||
    (t.nonce !== undefined && typeof t.nonce !== 'string') ||
    (t.returnTo !== undefined && typeof t.returnTo !== 'string')
  ) {
    return undefined
  }
  return value as Transaction
}
