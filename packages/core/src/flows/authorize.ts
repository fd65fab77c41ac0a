import * as oauth from 'oauth4webapi'
import { AuthError } from '../errors'
import type { HttpOptions } from './http'
import { pushAuthorizationRequest } from './par'

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
  readonly mode: 'redirect' | 'popup' | 'silent'
  readonly expiresAt: number
  /** Id of the DPoP key pair this login is bound to (`protocol.dpop`); the code exchange proves it. */
  readonly dpopKey?: string
}

export interface AuthorizationRequest {
  readonly url: URL
  readonly transaction: Transaction
}

export interface AuthorizeParams {
  readonly clientId: string
  readonly redirectUri: string
  readonly scope: string
  readonly mode: 'redirect' | 'popup' | 'silent'
  readonly returnTo?: string
  readonly now: number
  readonly ttlMs: number
  /** Extra parameters (`prompt`, `login_hint`, `audience`, ...). Cannot override the protected ones. */
  readonly extraParams?: Readonly<Record<string, string>>
  /**
   * Push the parameters to the provider first (RFC 9126); the URL then carries only `client_id`
   * and `request_uri`. Give it when the provider requires PAR
   * (`require_pushed_authorization_requests`) or the app asked for it (`protocol.par: 'always'`).
   */
  readonly push?: { readonly client: oauth.Client; readonly http: HttpOptions }
  /**
   * DPoP (RFC 9449 §10): the key this login is bound to. Without `push`, its thumbprint goes out
   * as `dpop_jkt`; with `push`, the PAR request's proof binds it (`push.http` signs requests).
   */
  readonly dpop?: { readonly keyId: string; readonly jkt: string }
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
  'dpop_jkt',
])

/**
 * Builds an Authorization Code request with PKCE S256, `state` and (for OpenID) `nonce`.
 *
 * With `push`, the parameters go to the provider's PAR endpoint and the returned URL carries only
 * `client_id` and the `request_uri` it answered.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636 (PKCE)
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
 * @see https://www.rfc-editor.org/rfc/rfc9126 (PAR)
 * @throws AuthError `ERR_DISCOVERY`; with `push`: `ERR_AUTHORIZATION` (the provider refused the
 *   pushed request, its OAuth `error` kept), `ERR_NETWORK`, and see `pushAuthorizationRequest`
 *   for a provider without a PAR endpoint.
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
  if (params.dpop && !params.push) url.searchParams.set('dpop_jkt', params.dpop.jkt)

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
      ...(params.dpop ? { dpopKey: params.dpop.keyId } : {}),
    },
  }
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
    (t.mode !== 'redirect' && t.mode !== 'popup' && t.mode !== 'silent') ||
    (t.nonce !== undefined && typeof t.nonce !== 'string') ||
    (t.returnTo !== undefined && typeof t.returnTo !== 'string') ||
    (t.dpopKey !== undefined && typeof t.dpopKey !== 'string')
  ) {
    return undefined
  }
  return value as Transaction
}
