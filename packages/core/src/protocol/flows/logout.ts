import * as oauth from 'oauth4webapi'
import { requestOptions, type HttpOptions } from './http'
import { toAuthError } from './oauthError'

/**
 * Revokes a token at the provider (RFC 7009). A provider without a revocation endpoint is not
 * an error: there is nothing to revoke there.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009
 */
export async function revokeToken(
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  http: HttpOptions,
  token: string,
  hint: 'refresh_token' | 'access_token',
): Promise<void> {
  if (!as.revocation_endpoint) return
  try {
    const response = await oauth.revocationRequest(as, client, oauth.None(), token, {
      ...requestOptions(http),
      additionalParameters: { token_type_hint: hint },
    })
    await oauth.processRevocationResponse(response)
  } catch (e) {
    throw toAuthError(e, 'ERR_TOKEN_RESPONSE', 'Revocation')
  }
}

/**
 * The RP-initiated logout URL, or `undefined` when the provider advertises no
 * `end_session_endpoint`.
 *
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html
 */
export function endSessionUrl(
  as: oauth.AuthorizationServer,
  params: { clientId: string; idTokenHint?: string; postLogoutRedirectUri?: string; state?: string },
): URL | undefined {
  if (!as.end_session_endpoint) return undefined
  const url = new URL(as.end_session_endpoint)
  url.searchParams.set('client_id', params.clientId)
  if (params.idTokenHint) url.searchParams.set('id_token_hint', params.idTokenHint)
  if (params.postLogoutRedirectUri) url.searchParams.set('post_logout_redirect_uri', params.postLogoutRedirectUri)
  if (params.state) url.searchParams.set('state', params.state)
  return url
}
