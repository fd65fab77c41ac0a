import type * as oauth from 'oauth4webapi'
import type { HttpOptions } from './http'
import { discoverAt, standardMetadataUrl } from './providerMetadata'

/**
 * Fetches and validates the provider's metadata (OpenID Connect Discovery 1.0; the `issuer` in
 * the document must equal the configured issuer exactly).
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html
 * @see https://www.rfc-editor.org/rfc/rfc8414
 * @throws AuthError `ERR_DISCOVERY` or `ERR_NETWORK`
 */
export function discover(issuer: URL, http: HttpOptions): Promise<oauth.AuthorizationServer> {
  return discoverAt(issuer, standardMetadataUrl(issuer), http)
}
