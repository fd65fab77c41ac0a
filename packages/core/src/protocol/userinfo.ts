// Userinfo (`protocol.userinfo: userinfoClaims()`): the provider's userinfo claims merged into the
// session's, after a sign-in and, with afterRefresh, a renewal. The request and its checks
// (protocol/userinfoRequest.ts) load only for apps that turned it on.
import { USERINFO_FAILED, USERINFO_MERGED } from '../logger'
import type { Session } from '../session/session'
import type { ProtocolContext } from './context'
import { requestOptions } from './flows/http'
import { toAuthError } from './flows/oauthError'
import { withUserinfo } from './tokens'
import type { UserinfoKit } from './userinfoRequest'
import { AuthError } from './kit'

/** Returns the session with the userinfo response merged into its claims; rejects with `ERR_USERINFO` / `ERR_NETWORK`. */
export type AddUserinfo = (session: Session) => Promise<Session>

/** What the lazily loaded userinfo code borrows from the protocol chunk. */
export const userinfoKit = (log: ProtocolContext['opts']['log']): UserinfoKit => ({
  authError: (code, message, options) => new AuthError(code, message, options),
  toAuthError,
  requestOptions,
  withUserinfo,
  merged: (claims) => log?.(USERINFO_MERGED, claims),
  failed: (code) => log?.(USERINFO_FAILED, code),
})

export function createUserinfo(ctx: ProtocolContext): AddUserinfo | undefined {
  if (!ctx.opts.userinfo) return undefined
  const kit = userinfoKit(ctx.opts.log)
  return async (session) => (await import('./userinfoRequest')).addUserinfo(ctx, session, kit)
}
