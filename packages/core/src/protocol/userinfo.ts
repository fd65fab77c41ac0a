// Userinfo (`protocol.userinfo: userinfoClaims()`): the provider's userinfo claims merged into the
// session's. Used by the session keeper after a sign-in and, with afterRefresh, a renewal.
import { toAuthError } from './flows/oauthError'
import { USERINFO_FAILED, USERINFO_MERGED } from '../logger'
import type { Session } from '../session/session'
import { withUserinfo } from './tokens'
import type { ProtocolContext } from './context'

/** Returns the session with the userinfo response merged into its claims; rejects with `ERR_USERINFO` / `ERR_NETWORK`. */
export type AddUserinfo = (session: Session) => Promise<Session>

export function createUserinfo(ctx: ProtocolContext): AddUserinfo | undefined {
  const { opts, client, http, metadata } = ctx
  const userinfo = opts.userinfo
  if (!userinfo) return undefined
  return async (session) => {
    try {
      // DPoP-bound tokens go with a proof (`Authorization: DPoP`, `ath`); Bearer ones as they are.
      const bound = session.dpopKey !== undefined && session.tokenType.toLowerCase() === 'dpop'
      const claims = await userinfo.fetch(await metadata(), client, bound ? await ctx.tokenHttp(session.dpopKey) : http, session.accessToken, session.claims.sub)
      opts.log?.(USERINFO_MERGED, claims)
      return withUserinfo(session, claims)
    } catch (e) {
      const error = toAuthError(e, 'ERR_USERINFO', 'Userinfo')
      opts.log?.(USERINFO_FAILED, error.code)
      throw error
    }
  }
}
