// Userinfo (`protocol.userinfo: userinfoClaims()`): the provider's userinfo claims merged into the
// session's. Used by the session keeper after a sign-in and, with afterRefresh, a renewal.
import { toAuthError } from '../flows/oauthError'
import { withUserinfo, type Session } from '../session/session'
import type { ClientContext } from './context'

/** Returns the session with the userinfo response merged into its claims; rejects with `ERR_USERINFO` / `ERR_NETWORK`. */
export type AddUserinfo = (session: Session) => Promise<Session>

export function createUserinfo(ctx: ClientContext): AddUserinfo | undefined {
  const { opts, client, http, metadata } = ctx
  const userinfo = opts.userinfo
  if (!userinfo) return undefined
  return async (session) => {
    try {
      const claims = await userinfo.fetch(await metadata(), client, http, session.accessToken, session.claims.sub)
      opts.log?.('userinfo.merged', { claims: Object.keys(claims).length })
      return withUserinfo(session, claims)
    } catch (e) {
      const error = toAuthError(e, 'ERR_USERINFO', 'Userinfo')
      opts.log?.('userinfo.failed', { code: error.code }, 'warn')
      throw error
    }
  }
}
