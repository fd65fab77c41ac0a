// The options only the protocol reads, checked when the protocol code loads (a page load that
// restores a session never pays for checking them): login defaults, extra authorization
// parameters, the post-logout redirect URI, PAR and ID token signatures.
import type { ResolvedOptions } from '../options'
import { checkAuthorizationOptions, checkAuthorizationParams, type AuthorizationParams, type AuthorizationRequestParams } from './loginOptions'
import { absoluteUrl, optionError } from './kit'

export interface ProtocolOptions extends ResolvedOptions {
  readonly postLogoutRedirectUri: string | undefined
  readonly authorizationParams: AuthorizationParams
  /** The `login` defaults, checked. */
  readonly loginDefaults: AuthorizationRequestParams
  readonly par: 'auto' | 'always'
  readonly verifySignature: boolean
}

/**
 * Adds the protocol's options to the start path's, checked.
 *
 * @throws TypeError with `code: 'ERR_INVALID_OPTION'` naming the bad option.
 */
export function resolveProtocolOptions(opts: ResolvedOptions): ProtocolOptions {
  const { options } = opts
  const par = options.protocol?.par ?? 'auto'
  if (par !== 'auto' && par !== 'always') throw optionError('protocol.par', "must be 'auto' or 'always'")
  const verifySignature = options.protocol?.verifySignature ?? false
  if (typeof verifySignature !== 'boolean') throw optionError('protocol.verifySignature', 'must be a boolean')
  const postLogout = options.postLogoutRedirectUri
  return Object.freeze({
    ...opts,
    postLogoutRedirectUri: postLogout === undefined ? undefined : absoluteUrl('postLogoutRedirectUri', postLogout).href,
    authorizationParams: checkAuthorizationParams('authorizationParams', options.authorizationParams),
    loginDefaults: checkAuthorizationOptions('login', options.login),
    par,
    verifySignature,
  })
}
