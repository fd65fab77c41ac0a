// The part of a popup login that must run synchronously inside the user's click: opening the
// window and knowing whether one is already open. Watching it (navigation, closed, messages)
// lives in runPopupLogin.ts.

/** Name of the login window, so a leftover login popup is reused rather than stacked. */
const WINDOW_NAME = 'tokenkeep-login'
const WIDTH = 480
const HEIGHT = 640

/**
 * Opens an empty login window centred over the current one. Returns `null` when the browser
 * blocked it. The window starts at `about:blank` (same origin as the page) and is navigated to
 * the provider once the authorization request is ready, because popup blockers and mobile Safari
 * only allow `window.open` before the click handler's first `await`.
 *
 * @see https://html.spec.whatwg.org/multipage/interaction.html#tracking-user-activation
 * @example
 * ```ts
 * button.onclick = () => { const win = openPopupWindow(); if (!win) showBlockedHint() }
 * ```
 */
export function openPopupWindow(): Window | null {
  const left = Math.max(0, Math.round(window.screenX + (window.outerWidth - WIDTH) / 2))
  const top = Math.max(0, Math.round(window.screenY + (window.outerHeight - HEIGHT) / 2))
  // No `noopener`: with it window.open returns null and the window could not be navigated.
  return window.open('about:blank', WINDOW_NAME, `popup=yes,width=${WIDTH},height=${HEIGHT},left=${left},top=${top}`)
}

/** One popup login in flight, shared between the client (which refuses a second) and runPopupLogin. */
export interface PopupAttempt {
  readonly window: Window
  /** Aborted when a newer popup login replaces this one; the reason is the AuthError to reject with. */
  readonly controller: AbortController
  /**
   * False once the opener has lost sight of the window: Cross-Origin-Opener-Policy cut the link,
   * so `closed` reads true while the window may still be open. Closure can then no longer be
   * observed and the attempt ends by its answer, its timeout, or a newer attempt replacing it.
   */
  observable: boolean
}

/**
 * Creates the record of a popup login using `win`.
 *
 * @example
 * ```ts
 * const attempt = createPopupAttempt(win)
 * attempt.controller.abort(new AuthError('ERR_POPUP_CLOSED', 'replaced')) // ends its runPopupLogin
 * ```
 */
export function createPopupAttempt(win: Window): PopupAttempt {
  return { window: win, controller: new AbortController(), observable: true }
}

/**
 * True while `attempt` holds a window the user can still see and finish, so a second login must
 * wait. False once COOP has hidden the window: a new login then replaces the attempt.
 *
 * @example
 * ```ts
 * if (isPopupBusy(current)) throw new AuthError('ERR_POPUP_IN_PROGRESS', 'A login popup is already open')
 * ```
 */
export function isPopupBusy(attempt: PopupAttempt | undefined): boolean {
  return attempt !== undefined && attempt.observable && !attempt.window.closed
}

/**
 * True when `value` looks like a window the app opened itself (a `Window` or a cross-origin
 * WindowProxy, whose `closed`, `close` and `postMessage` stay readable across origins).
 *
 * @see https://html.spec.whatwg.org/multipage/nav-history-apis.html#crossoriginproperties-(-o-)
 * @example
 * ```ts
 * isWindowLike(window.open('about:blank')) // true
 * ```
 */
export function isWindowLike(value: unknown): value is Window {
  const w = value as Window | null
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof w?.closed === 'boolean' &&
    typeof w.close === 'function' &&
    typeof w.postMessage === 'function'
  )
}
