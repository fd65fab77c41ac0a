import * as oauth from 'oauth4webapi'
import { requestOptions, type HttpOptions } from './http'
import { toAuthError } from './oauthError'
import { AuthError, optionError } from '../kit'

/**
 * Pushes the authorization request's parameters to the provider (RFC 9126) and returns the
 * authorization URL that replaces them: the endpoint with only `client_id` and `request_uri`.
 * Used by `createAuthorizationRequest` for logins that push: when the
 * provider requires it or the app asked for it (`protocol.par: 'always'`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9126#section-4
 * @throws AuthError `ERR_AUTHORIZATION` (the provider refused or answered no `request_uri`; its
 *   OAuth `error` kept), `ERR_NETWORK`, `ERR_DISCOVERY` (the provider requires PAR but advertises
 *   no endpoint for it); TypeError `ERR_INVALID_OPTION` (`protocol.par: 'always'` against a
 *   provider without a `pushed_authorization_request_endpoint`).
 */
export async function pushAuthorizationRequest(
  as: oauth.AuthorizationServer,
  { client, http }: { readonly client: oauth.Client; readonly http: HttpOptions },
  url: URL,
): Promise<URL> {
  if (typeof as.pushed_authorization_request_endpoint !== 'string') {
    if (as.require_pushed_authorization_requests === true) {
      throw new AuthError('ERR_DISCOVERY', 'The provider requires pushed authorization requests but its metadata has no pushed_authorization_request_endpoint')
    }
    throw optionError('protocol.par', "is 'always', but the provider does not support pushed authorization requests (no pushed_authorization_request_endpoint in its metadata)")
  }
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
