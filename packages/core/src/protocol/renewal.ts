// Renewing the session and adopting a new sign-in: the token requests and what is stored with
// them, under the tab lock so one renewal serves every tab. Keeping the session (restore, timers,
// retries after a transient failure) is start/keeper's.
import { LOCK_WAITED, REFRESH_ADOPTED, REFRESH_DONE, REFRESH_START, SIGNED_IN } from '../logger'
import type { Session } from '../session/session'
import type { Keeper } from '../start/keeper'
import type { TabSync } from '../start/tabSync'
import type { ProtocolContext } from './context'
import type { Transaction } from './flows/authorize'
import type { CodeExchangeResult } from './flows/callback'
import { toAuthError } from './flows/oauthError'
import { quietNow, shareQuiet } from './quiet'
import { refreshGrant } from './flows/refresh'
import { sessionFromTokens } from './tokens'
import { createUserinfo } from './userinfo'
import { AuthError, isAuthError, parseSession, renewAfter } from './kit'

export interface Renewal {
  /**
   * One renewal for all tabs: under the tab lock, re-read storage first; if another tab already
   * renewed the session, use its tokens and send nothing. The rotated refresh token is stored
   * with its access token in one record. Without a refresh token the session is renewed by
   * silent authorization when enabled, or else ends here once its access token has expired.
   * A dead grant ends the session in every tab; other failures are thrown for the keeper to retry.
   */
  renew(before: Session, force: boolean): Promise<Session>
  /**
   * Adopts a new sign-in: adds userinfo when asked, stores it (its sequence number continues the
   * stored one), hands the transaction's appState to the snapshot and tells the other tabs. The
   * replaced session's DPoP key goes.
   */
  signedIn(result: CodeExchangeResult, tx: Transaction): Promise<void>
}

export function createRenewal(
  p: ProtocolContext,
  keeper: Keeper,
  tabs: TabSync,
  silent: (() => Promise<CodeExchangeResult>) | undefined,
): Renewal {
  const { opts, storage, client, metadata, dpop, tokenHttp } = p
  const { keys } = storage
  const { log, now, leewayMs } = opts
  const addUserinfo = createUserinfo(p)

  /** Ends the session in every tab, saying why. */
  async function end(error: AuthError): Promise<never> {
    await keeper.end(error, 'all')
    throw error
  }

  return {
    async renew(before, force) {
      const asked = now()
      return tabs.withLock(async () => {
        log?.(LOCK_WAITED, now() - asked)
        const found = await keeper.latest()
        if (!found) {
          keeper.endedElsewhere()
          throw new AuthError('ERR_LOGIN_REQUIRED', 'The session ended in another tab')
        }
        if (found.seq > before.seq) {
          // Another tab renewed while we waited for the lock: use its tokens, send nothing.
          log?.(REFRESH_ADOPTED, found.seq)
          keeper.adopt(found)
          if (force ? now() < found.expiresAt : now() < renewAfter(found, leewayMs)) return found
        } else if (!force && now() < renewAfter(found, leewayMs)) {
          return found
        }
        // The provider asked for quiet (Retry-After), this tab or another, maybe while this one
        // waited for the lock: no request before then.
        const hushed = await quietNow(p, keeper)
        if (hushed) throw hushed
        const { refreshToken } = found
        if (refreshToken === undefined && !silent) {
          // Nothing can renew it: the token is used while it works, then the session ends, once,
          // in every tab, rather than showing 'authenticated' with a dead token.
          if (now() < found.expiresAt) return found
          return end(
            new AuthError(
              'ERR_LOGIN_REQUIRED',
              'The access token expired and the session cannot be renewed (no refresh token was issued and refresh.silent is not set); sign in again',
            ),
          )
        }
        try {
          log?.(REFRESH_START, refreshToken === undefined)
          const { tokens, claims, sentAt } =
            refreshToken === undefined
              ? await silent!()
              : await refreshGrant(await metadata(), client, await tokenHttp(found.dpopKey), refreshToken, p.verifySignature, found.resource)
          if (claims && claims.sub !== found.claims.sub) {
            // Silently, the provider answers for whoever is signed in there now: our user is not.
            throw refreshToken === undefined
              ? new AuthError('ERR_SESSION_EXPIRED', 'The provider is now signed in as a different user; sign in again')
              : new AuthError('ERR_ID_TOKEN', 'The refreshed ID token names a different user')
          }
          let next = sessionFromTokens(tokens, claims, sentAt ?? now(), found)
          // The new tokens are kept whatever userinfo answers: a rotated refresh token must not be lost.
          let userinfoError: AuthError | undefined
          if (addUserinfo && opts.userinfo?.afterRefresh) next = await addUserinfo(next).catch((e: AuthError) => ((userinfoError = e), next))
          await (await storage.open()).set(keys.session, next)
          log?.(REFRESH_DONE, next.expiresAt - now(), next.refreshToken !== refreshToken)
          keeper.adopt(next, null, undefined, userinfoError ?? storage.degraded())
          tabs.post({ type: 'session', session: next })
          return next
        } catch (e) {
          const error = toAuthError(e, 'ERR_REFRESH_FAILED', 'Refresh')
          // A DPoP key that is gone cannot come back: like a dead grant, the session ends once.
          // Said before the lock goes, so the tab that takes it next sends nothing either.
          if (error.retryAfterMs !== undefined) await shareQuiet(p, keeper, tabs, error)
          if (isAuthError(error, 'ERR_SESSION_EXPIRED') || isAuthError(error, 'ERR_DPOP_KEY')) return end(error)
          throw error
        }
      })
    },
    async signedIn({ tokens, claims, sentAt }, tx) {
      const s = await storage.open()
      // A new sign-in replaces whatever was stored; its sequence number continues the stored one.
      const previous = parseSession(await s.get<unknown>(keys.session))
      const bound = tx.dpopKey === undefined ? {} : { dpopKey: tx.dpopKey }
      let next: Session = { ...sessionFromTokens(tokens, claims, sentAt ?? now()), seq: (previous?.seq ?? 0) + 1, ...(tx.resource ? { resource: tx.resource } : {}), ...bound }
      if (addUserinfo) next = await addUserinfo(next)
      await s.set(keys.session, next)
      if (dpop && tx.dpopKey !== undefined) await (await dpop()).claim(tx.dpopKey, previous?.dpopKey)
      log?.(SIGNED_IN, tx.mode, next.userinfo !== undefined)
      keeper.adopt(next, null, { appState: tx.appState })
      // Other tabs learn of the sign-in from the token set itself (see tabs/channel).
      tabs.post({ type: 'session', session: next })
    },
  }
}
