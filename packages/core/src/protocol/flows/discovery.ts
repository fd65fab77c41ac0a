import * as oauth from 'oauth4webapi'
import type { AuthError } from '../../errors'
import { requestOptions, type HttpOptions } from './http'
import { toAuthError } from './oauthError'

/**
 * Makes a refused discovery answer's ERR_DISCOVERY say more (the address, the status, a
 * redirect's Location, the option to set); undefined keeps the plain one. See providerMetadata.ts.
 */
export type ExplainDiscovery = (error: unknown, response: Response, at: URL | undefined) => Promise<AuthError | undefined>

/**
 * Fetches and validates the provider's metadata (OpenID Connect Discovery 1.0; the `issuer` in
 * the document must equal the configured issuer exactly), from the standard address or from `at`
 * (the `provider.metadataUrl` option). Redirects are not followed.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html
 * @see https://www.rfc-editor.org/rfc/rfc8414
 * @throws AuthError `ERR_DISCOVERY` or `ERR_NETWORK`
 */
export async function discover(issuer: URL, http: HttpOptions, at?: URL, explain?: ExplainDiscovery): Promise<oauth.AuthorizationServer> {
  const options = requestOptions(http)
  let response: Response
  try {
    response = at
      ? // oauth4webapi derives the address from the issuer; for a given one (checked like the
        // issuer), the same request by hand: GET, JSON, no redirects followed, the same timeout.
        await options[oauth.customFetch](at.href, { method: 'GET', headers: { accept: 'application/json' }, redirect: 'manual', signal: options.signal() })
      : await oauth.discoveryRequest(issuer, { ...options, algorithm: 'oidc' })
  } catch (e) {
    throw toAuthError(e, 'ERR_DISCOVERY', 'Discovery')
  }
  try {
    return await oauth.processDiscoveryResponse(issuer, response)
  } catch (e) {
    throw (await explain?.(e, response, at).catch(() => undefined)) ?? toAuthError(e, 'ERR_DISCOVERY', 'Discovery')
  }
}
