// Userinfo as an opt-in part of the client: an app that never imports userinfoClaims() ships none
// of the userinfo request code (oauth4webapi's userinfo request and response checks).
import { optionError } from '../errors'

/** Options of {@link userinfoClaims}. */
export interface UserinfoClaimsOptions {
  /** Fetch userinfo again after every renewal too, so changed profile claims show up. Default false. */
  afterRefresh?: boolean
}

/** What {@link userinfoClaims} returns; pass it as the client's `protocol.userinfo` option. */
export interface UserinfoClaims {
  /** Whether userinfo is fetched again after every renewal, as given to {@link userinfoClaims}. */
  readonly afterRefresh: boolean
  /** Internal: marks the object as made by {@link userinfoClaims}. */
  readonly userinfo: true
}

/**
 * Enables userinfo: after each sign-in (redirect, popup) the client fetches the provider's
 * `userinfo_endpoint` with the new access token and merges its claims into `getUser()`, after
 * checking that its `sub` is the ID token's (OIDC Core 5.3.2, oauth4webapi's
 * `processUserInfoResponse`). Userinfo claims add to and update the user claims, never the ones
 * about the authentication (`iss`, `aud`, `exp`, `auth_time`, `acr`, ...). A separate import so
 * that apps without it don't ship the code.
 *
 * A failure after a sign-in fails it (`ERR_USERINFO`, nothing stored, a previous session kept);
 * after a renewal (`afterRefresh`) the new tokens are kept with the claims known before and the
 * error shows on the snapshot.
 *
 * @throws TypeError `ERR_INVALID_OPTION` naming the bad option.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 * @example
 * ```ts
 * import { createAuthClient, userinfoClaims } from '@tokenkeep/core'
 *
 * const auth = createAuthClient({ ...options, protocol: { userinfo: userinfoClaims({ afterRefresh: true }) } })
 * ```
 */
export function userinfoClaims(options: UserinfoClaimsOptions = {}): UserinfoClaims {
  const afterRefresh = options.afterRefresh ?? false
  if (typeof afterRefresh !== 'boolean') throw optionError('protocol.userinfo.afterRefresh', 'must be a boolean')
  return Object.freeze({
    afterRefresh,
    // The request and its checks are protocol code (protocol/userinfoRequest.ts), loaded when
    // the first sign-in needs them.
    userinfo: true,
  })
}
