// The public types of the `provider` option, apart from the code that checks and uses it
// (flows/providerMetadata.ts), so options.ts can name them without importing protocol code.
import type * as oauth from 'oauth4webapi'

/**
 * Provider metadata under the names of OpenID Connect Discovery 1.0 and RFC 8414 (`issuer`,
 * `authorization_endpoint`, `token_endpoint`, `revocation_endpoint`, ...), as discovery returns it.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export type ProviderMetadata = oauth.AuthorizationServer

/** The `provider` option of `createAuthClient`: how to learn the provider's metadata when discovery is not enough. */
export interface ProviderOptions {
  /**
   * Where the discovery document is, when it is not at `<issuer>/.well-known/openid-configuration`
   * (a trailing slash, another path). The `issuer` in that document must still equal the `issuer`
   * option. HTTPS, except on loopback hosts.
   */
  metadataUrl?: string | URL
  /**
   * Metadata merged over the discovered document, key by key (these values win): endpoints the
   * provider has but does not advertise, such as `revocation_endpoint`. Endpoint values are
   * checked like `issuer` (absolute, HTTPS except on loopback hosts).
   */
  metadataSeed?: Partial<ProviderMetadata>
  /**
   * The complete metadata: no discovery request at all. Needs `issuer` (equal to the `issuer`
   * option), `authorization_endpoint` and `token_endpoint`; add `revocation_endpoint`,
   * `end_session_endpoint`, `jwks_uri`, ... as the provider has them.
   */
  metadata?: ProviderMetadata
}
