// Userinfo (`protocol.userinfo: userinfoClaims()`): the provider's userinfo claims merged into the
// session's, after a sign-in and, with afterRefresh, a renewal. The request code (oauth4webapi's
// userinfo request and response checks) loads only for apps that turned it on.
import type { Session } from '../session/session'
import type { ProtocolContext } from './context'

/** Returns the session with the userinfo response merged into its claims; rejects with `ERR_USERINFO` / `ERR_NETWORK`. */
export type AddUserinfo = (session: Session) => Promise<Session>

export function createUserinfo(ctx: ProtocolContext): AddUserinfo | undefined {
  return ctx.opts.userinfo && (async (session) => (await import('./userinfoRequest')).addUserinfo(ctx, session))
}
