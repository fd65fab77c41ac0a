// Popup login as an opt-in part of the client: an app that never imports popupLogin() ships
// none of this. The client lends it the protocol steps (PopupClientHooks); this module owns the
// window: opening it inside the click, refusing a second one, and watching it (runPopupLogin).
import type { LoginOptions } from '../api'
import { assertOwnCallbackPage, callbackPageOptions } from '../callbackPage'
import { AuthError, asAuthError, optionError } from '../errors'
import type { Protocol } from '../start/protocolApi'
import { createPopupAttempt, isPopupBusy, isWindowLike, openPopupWindow, type PopupAttempt } from './openPopup'
import { runPopupLogin } from './runPopupLogin'

/** Options of {@link popupLogin}. */
export interface PopupLoginOptions {
  /**
   * Absolute URI of the page that calls {@link handlePopupCallback}, on the app's origin and
   * registered exactly at the provider. Must differ from the client's `redirectUri`.
   */
  redirectUri: string
  /** Give up waiting for the popup after this long. Default 120 000 (2 minutes). */
  timeoutMs?: number
  /** When the browser blocks the popup, log in by redirect instead of failing. Default false. */
  fallbackToRedirect?: boolean
}

/**
 * The client's own login steps, lent to the popup login so both kinds of login share one
 * transaction store and one sign-in path. Internal: built by `createAuthClient`.
 *
 * @internal
 */
export interface PopupClientHooks {
  /** The client's redirect URI (the popup's must differ). */
  readonly redirectUri: string
  /** The client's clock (the `now` option). */
  readonly now?: () => number
  /** The client's start(): restores state first, so a sign-in is never overwritten by it. */
  start(): Promise<void>
  /**
   * The protocol steps (loaded on first use): `begin` builds and stores an authorization request,
   * `take` reads and deletes the transaction for a `state` (single use), `complete` validates the
   * response, exchanges the code, stores and adopts the session.
   */
  protocol(): Promise<Pick<Protocol, 'begin' | 'take' | 'complete'>>
  /** Puts an error on the snapshot. */
  report(error: AuthError): void
  /** The client's login(), for the fallback to redirect. */
  login(options: LoginOptions): Promise<void>
}

/** What {@link popupLogin} returns; pass it as the client's `popup` option. */
export interface PopupLogin {
  /** The popup callback page, as given to {@link popupLogin}. */
  readonly redirectUri: string
  /**
   * The client calls this once, lazily, to get its own popup login function.
   *
   * @internal
   */
  connect(hooks: PopupClientHooks): (options: LoginOptions) => Promise<void>
}

/**
 * Enables `auth.login({ popup: true })`: the provider opens in a popup, the page stays where it
 * is, and the promise settles once the user is signed in. A separate import so that apps without
 * popups don't ship the code. The popup lands on `redirectUri`, a page of your app that calls
 * {@link handlePopupCallback}; the opener validates the response (state, RFC 9207 `iss`) and
 * exchanges the code itself, so the popup never holds a token. Works when
 * Cross-Origin-Opener-Policy cuts `window.opener` (the answer travels by BroadcastChannel); there,
 * a closed popup cannot be seen and the login ends at `timeoutMs` or at the next popup login.
 *
 * @throws TypeError `ERR_INVALID_OPTION` naming the bad option.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.7 (CSRF protection: state, PKCE)
 * @see https://html.spec.whatwg.org/multipage/browsers.html#cross-origin-opener-policies
 * @example
 * ```ts
 * import { createAuthClient, popupLogin } from '@tokenkeep/core'
 *
 * const auth = createAuthClient({
 *   issuer: 'https://id.example.com',
 *   clientId: 'my-spa',
 *   redirectUri: `${location.origin}/callback`,
 *   popup: popupLogin({ redirectUri: `${location.origin}/popup-callback.html` }),
 * })
 * button.onclick = () => {
 *   // No await before login(): the popup must open inside the click.
 *   auth.login({ popup: true }).catch((e) => {
 *     if (e.code === 'ERR_POPUP_BLOCKED') auth.login() // or set fallbackToRedirect
 *   })
 * }
 * ```
 */
export function popupLogin(options: PopupLoginOptions): PopupLogin {
  const { uri, timeoutMs } = callbackPageOptions('popup', 'popupLogin({ redirectUri })', options, 120_000)
  const { redirectUri } = options
  const fallbackToRedirect = options.fallbackToRedirect ?? false
  if (typeof fallbackToRedirect !== 'boolean') throw optionError('popup.fallbackToRedirect', 'must be a boolean')

  return Object.freeze({
    redirectUri,
    connect(hooks: PopupClientHooks) {
      assertOwnCallbackPage('popup', uri, hooks.redirectUri)
      let current: PopupAttempt | undefined

      return function login(loginOptions: LoginOptions): Promise<void> {
        // Everything up to window.open is synchronous: an await first would lose the click.
        if (uri.origin !== location.origin) {
          throw optionError('popup.redirectUri', 'must be on the origin of the page that opens the popup')
        }
        const given = loginOptions.popup
        if (given !== true && given !== null && !isWindowLike(given)) {
          throw optionError('login.popup', 'must be true, a Window, or null')
        }
        if (isPopupBusy(current)) {
          // Not put on the snapshot: the open popup carries on and reports its own outcome.
          current?.window.focus()
          throw new AuthError('ERR_POPUP_IN_PROGRESS', 'A login popup is already open')
        }
        const win = given === true ? openPopupWindow() : given
        if (!win) {
          if (fallbackToRedirect) return hooks.login({ ...loginOptions, popup: false })
          const blocked = new AuthError('ERR_POPUP_BLOCKED', 'The browser blocked the login popup; call login() directly in a click handler')
          hooks.report(blocked)
          throw blocked
        }
        // An earlier attempt we lost sight of (COOP) may still be waiting: this click replaces it.
        current?.controller.abort(new AuthError('ERR_POPUP_CLOSED', 'A newer popup login replaced this one'))
        const attempt = (current = createPopupAttempt(win))
        return runPopupLogin(attempt, {
          redirectUri,
          timeoutMs,
          ...(hooks.now ? { now: hooks.now } : {}),
          prepare: async () => (await hooks.protocol()).begin('popup', redirectUri, loginOptions),
          complete: async (state, response) => {
            await hooks.start()
            const protocol = await hooks.protocol()
            const tx = await protocol.take(state, 'popup')
            if (!tx) throw new AuthError('ERR_CALLBACK_STATE_MISMATCH', 'The popup answered for a login that is no longer pending')
            await protocol.complete(tx, response)
          },
          // Taking the transaction deletes it; nothing else is left to undo.
          discard: async (state) => void (await (await hooks.protocol()).take(state, 'popup')),
        })
          .catch((e: unknown) => {
            // As after a redirect callback: the caller gets the rejection and the snapshot shows it.
            const error = asAuthError(e, 'ERR_TOKEN_RESPONSE', 'Popup sign-in failed')
            if (error instanceof AuthError) hooks.report(error)
            throw error
          })
          .finally(() => {
            if (current === attempt) current = undefined
          })
      }
    },
  })
}
