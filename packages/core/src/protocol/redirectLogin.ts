// The redirect sign-in: leave for the provider, and on the way back finish the callback (once),
// then send the user to the page where the login began.
import type { LoginOptions } from '../api'
import type { Transaction } from './flows/authorize'
import { CALLBACK_PARAMS, callbackState } from './flows/callback'
import { toAuthError } from './flows/oauthError'
import { CALLBACK_FAILED, CALLBACK_RECEIVED } from '../logger'
import type { Authorization } from './authorization'
import type { ProtocolContext } from './context'
import type { Keeper } from '../start/keeper'
import type { Renewal } from './renewal'
import type { Transactions } from './transactions'
import { AuthError } from './kit'
import { sameOriginPath } from './sameOriginPath'

export interface RedirectLogin {
  /** Stores the transaction and navigates to the provider. */
  login(options: LoginOptions): Promise<void>
  /** Exchanges the code and adopts the new session: the one sign-in path of redirect and popup logins. */
  complete(tx: Transaction, response: URL): Promise<void>
  /**
   * On the redirect URI with a `state`: finishes the sign-in; anywhere else: restores the stored
   * session, showing `error` (a logout response that matched nothing) in the same transition.
   */
  resume(url: URL, error?: AuthError): Promise<void>
}

export function createRedirectLogin(
  ctx: ProtocolContext,
  authorization: Authorization,
  transactions: Transactions,
  keeper: Keeper,
  signedIn: Renewal['signedIn'],
): RedirectLogin {
  const { opts } = ctx
  const target = new URL(opts.redirectUri)

  /**
   * Everything that can fail (the exchange, its acr/auth_time checks, userinfo) runs before the
   * session is written: a failed login while signed in keeps the session it would have replaced.
   */
  async function complete(tx: Transaction, response: URL): Promise<void> {
    opts.log?.(CALLBACK_RECEIVED, tx.mode)
    try {
      await signedIn(await authorization.exchange(tx, response), tx)
    } catch (e) {
      opts.log?.(CALLBACK_FAILED, tx.mode, e)
      throw e
    }
  }

  async function finish(url: URL, state: string): Promise<void> {
    // The code must not linger in the address bar or history, whatever happens next.
    const clean = new URL(url.href)
    for (const p of CALLBACK_PARAMS) clean.searchParams.delete(p)
    history.replaceState(history.state, '', clean.pathname + clean.search + clean.hash)
    const tx = await transactions.take(state, 'redirect')
    if (!tx) {
      opts.log?.(CALLBACK_FAILED, 'redirect', { code: 'ERR_CALLBACK_STATE_MISMATCH' })
      return keeper.restore(
        new AuthError(
          'ERR_CALLBACK_STATE_MISMATCH',
          state === '' ? 'The authorization response has no state' : 'The authorization response matches no pending login (unknown, used or expired state)',
        ),
      )
    }
    // Back to the page the login began on, signed in or not: a failed sign-in must not leave the
    // app on its callback route, from where the next login would come back to the callback again.
    const returnTo = tx.returnTo === undefined ? undefined : sameOriginPath(tx.returnTo)
    try {
      await complete(tx, url)
    } catch (e) {
      if (returnTo !== undefined) history.replaceState(history.state, '', returnTo)
      return keeper.restore(toAuthError(e, 'ERR_TOKEN_RESPONSE', 'Sign-in'))
    }
    if (returnTo !== undefined) history.replaceState(history.state, '', returnTo)
  }

  return {
    complete,
    async login(options) {
      const returnTo = sameOriginPath(options.returnTo ?? location.pathname + location.search + location.hash)
      if (returnTo === undefined) {
        throw Object.assign(new TypeError('tokenkeep: login option "returnTo" must be a same-origin path'), {
          code: 'ERR_INVALID_OPTION',
        })
      }
      const { url, state } = await authorization.begin('redirect', opts.redirectUri, options, returnTo)
      if (!ctx.storage.persists(ctx.storage.keys.tx(state))) {
        // Storage failed: the pending login lives in memory and would be gone when the provider
        // sends the user back (a certain ERR_CALLBACK_STATE_MISMATCH). Refuse before leaving.
        await transactions.take(state, 'redirect')
        const error = new AuthError(
          'ERR_STORAGE',
          'Cannot log in by redirect: this page cannot keep the pending login while it visits the provider (storage failed); log in with a popup instead',
          { cause: ctx.storage.degraded() ?? undefined },
        )
        ctx.report(error)
        throw error
      }
      location.assign(url.href)
    },
    resume(url, error) {
      const onTarget = url.origin === target.origin && url.pathname === target.pathname
      const state = onTarget ? callbackState(url) : undefined
      return state === undefined ? keeper.restore(error) : finish(url, state)
    },
  }
}
