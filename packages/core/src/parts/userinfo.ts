// Userinfo (`protocol.userinfo`): the provider's userinfo claims merged into the session's, after
// the sub check of OIDC Core 5.3.2. Used by the session keeper after a sign-in and a renewal.
import { toAuthError } from '../flows/oauthError'
import { fetchUserinfo } from '../flows/userinfo'
import { withUserinfo, type Session } from '../session/session'
import type { ClientContext } from './context'

/** Returns the session with the userinfo response merged into its claims; rejects with `ERR_USERINFO` / `ERR_NETWORK`. */
export type AddUserinfo = (session: Session) => Promise<Session>

export function createUserinfo(ctx: ClientContext): AddUserinfo {
  const { opts, client, http, metadata } = ctx
  return async (session) => {
    try {
      const claims = await fetchUserinfo(await metadata(), client, http, session.accessToken, session.claims.sub)
      opts.log?.('userinfo.merged', { claims: Object.keys(claims).length })
      return withUserinfo(session, claims)
    } catch (e) {
      const error = toAuthError(e, 'ERR_USERINFO', 'Userinfo')
      opts.log?.('userinfo.failed', { code: error.code }, 'warn')
      throw error
    }
  }
}
