import * as oauth from 'oauth4webapi'
import { requestOptions, type HttpOptions } from './http'
import { toAuthError } from './oauthError'

/**
 * Fetches and validates the provider's metadata (OpenID Connect Discovery 1.0; the `issuer` in
 * the document must equal the configured issuer exactly).
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html
 * @see https://www.rfc-editor.org/rfc/rfc8414
 * @throws AuthError `ERR_DISCOVERY` or `ERR_NETWORK`
 */
export async function discover(issuer: URL, http: HttpOptions): Promise<oauth.AuthorizationServer> {
  try {
    const response = await oauth.discoveryRequest(issuer, { ...requestOptions(http), algorithm: 'oidc' })
    return await oauth.processDiscoveryResponse(issuer, response)
  } catch (e) {
    throw toAuthError(e, 'ERR_DISCOVERY', 'Discovery')
  }
}
