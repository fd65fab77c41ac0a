import type { AuthError } from './errors'
import type { Session } from './session/session'

/** What the app renders from. One frozen object, replaced on every change. */
export interface AuthSnapshot {
  /**
   * `'loading'` until `start()` settles, then `'authenticated'` or `'unauthenticated'`
   * (`'error'` only if even that could not be decided; the error is on
   * {@link AuthSnapshot.error}). `'signingOut'` from the moment `logout()` is called until the
   * page leaves for the provider's end-session endpoint (or, when it does not leave, until the
   * logout is over): nobody is signed in any more, and guards must not start a login, which
   * would race the logout's own redirect.
   */
  readonly status: 'loading' | 'authenticated' | 'unauthenticated' | 'signingOut' | 'error'
  /** Claims of the signed-in user (from the ID token), or null. */
  readonly user: Readonly<Record<string, unknown>> | null
  /** When the current access token expires, epoch milliseconds, or null. */
  readonly expiresAt: number | null
  /**
   * What failed, or null: a sign-in that failed (the callback, a popup, the provider refused), a
   * session that ended (`ERR_SESSION_EXPIRED`, `ERR_LOGIN_REQUIRED`, `ERR_DPOP_KEY`), or `start()`
   * unable to decide (`status: 'error'`). Kept beside a session that survives it (a failed
   * re-login while signed in). The meaning of auth0-react's and react-oidc-context's `error`.
   */
  readonly error: AuthError | null
  /**
   * A problem the client is handling while nothing was lost, or null: a renewal that failed for
   * now (network, 5xx, `Retry-After`, `ERR_SILENT_AUTH`) and is retried while the session is still
   * there, storage that fell back to memory (`ERR_STORAGE`), userinfo after a renewal, a
   * revocation at logout. Worth a quiet notice at most; never a reason to hide the app. A
   * successful renewal clears it (storage that fell back to memory stays for the page).
   */
  readonly warning: AuthError | null
  /**
   * The `appState` given to the `login({ appState })` that signed this tab in (redirect or
   * popup), as it came back through JSON; `undefined` otherwise (a restored session, another
   * tab's sign-in). Kept until the next sign-in or sign-out in this tab.
   */
  readonly appState?: unknown
  /**
   * With idle sign-out (`idle: idleSignOut(...)`): when the sign-out for inactivity will happen
   * (epoch ms), from `warnMs` before it until activity or `stillHere()` moves it; null or absent
   * otherwise. Show a countdown and a "Stay signed in" button while it is set.
   */
  readonly idleDeadlineAt?: number | null
  /**
   * Set when the provider ended the session while this tab showed it (`status:
   * 'unauthenticated'`, `error` `ERR_SESSION_EXPIRED`; a refresh answered `invalid_grant`, here
   * or in another tab): who was signed in, and when it ended (epoch ms). Not set by a logout.
   * Until the next sign-in or logout, the adapters' guards keep a protected page on screen
   * instead of leaving it, so nothing the user typed is lost: show a "You were signed out"
   * prompt over it and sign in again with `login({ popup: true })`. Signing in as the same user
   * (`user.sub` equal to `ended.user.sub`) carries on in place, in every tab; a different user
   * is a new session and the adapters drop the page.
   */
  readonly ended?: {
    /** The claims of the user whose session ended (as `user` was). */
    readonly user: Readonly<Record<string, unknown>>
    /** When this tab learned it ended, epoch milliseconds. */
    readonly at: number
  } | null
}

export type Action =
  /** `warning` replaces the current one when given (null clears it), else the current one stays. */
  | { type: 'session'; session: Session; error?: AuthError | null; warning?: AuthError | null; signIn?: { appState: unknown } }
  | { type: 'signedOut'; error?: AuthError | null; warning?: AuthError | null }
  /** logout() was called: the session is over for the app at once, whatever the logout awaits next. */
  | { type: 'signingOut' }
  /** The logout is over without leaving the page (or the page came back from the back/forward cache). */
  | { type: 'logoutEnded' }
  | { type: 'error'; error: AuthError }
  /** A problem handled in the background: nothing was lost (see AuthSnapshot.warning). */
  | { type: 'warning'; error: AuthError }
  /**
   * Another tab ended the session while this one held it: the session goes now, the snapshot
   * waits for that tab's message to say why (see start/keeper: endedElsewhere).
   */
  | { type: 'endedElsewhere' }
  /** Idle sign-out: its warning began (when it will happen), or ended (null). */
  | { type: 'idle'; at: number | null }

type Claims = Readonly<Record<string, unknown>>

/** The user the app sees: the ID token's claims with the userinfo response's merged in. */
const merged = (s: Session): Claims => (s.userinfo ? { ...s.claims, ...s.userinfo } : s.claims)

export function reduce(state: AuthSnapshot, action: Action, userOf: (session: Session) => Claims = merged): AuthSnapshot {
  const warning = 'warning' in action && action.warning !== undefined ? action.warning : state.warning
  switch (action.type) {
    case 'session':
      // A refresh that lands while a logout runs must not bring the session back on screen.
      if (state.status === 'signingOut') return state
      return {
        status: 'authenticated',
        user: userOf(action.session),
        expiresAt: action.session.expiresAt,
        error: action.error ?? null,
        warning,
        appState: action.signIn ? action.signIn.appState : state.appState,
        idleDeadlineAt: state.idleDeadlineAt,
      }
    case 'signedOut':
      // The logout's own sign-out (or another tab's) keeps the logout state until it is over.
      if (state.status === 'signingOut') return { ...state, error: action.error ?? null, warning }
      return {
        status: 'unauthenticated',
        user: null,
        expiresAt: null,
        error: action.error ?? null,
        warning,
        appState: undefined,
        // The provider ended it (not a logout): remember whose it was, for a sign-in in place.
        ended: action.error?.code === 'ERR_SESSION_EXPIRED' ? (state.user ? { user: state.user, at: Date.now() } : state.ended) : null,
      }
    case 'signingOut':
      return { status: 'signingOut', user: null, expiresAt: null, error: null, warning: null, appState: undefined }
    case 'logoutEnded':
      return state.status === 'signingOut' ? { ...state, status: 'unauthenticated' } : state
    case 'error':
      // A valid session survives an error; without one, the state is unknown only while loading.
      return {
        ...state,
        status: state.status === 'loading' ? 'error' : state.status,
        error: action.error,
      }
    case 'warning':
      return { ...state, warning: action.error }
    case 'endedElsewhere':
      return state
    case 'idle':
      return { ...state, idleDeadlineAt: action.at }
  }
}

export const initialSnapshot: AuthSnapshot = Object.freeze({
  status: 'loading',
  user: null,
  expiresAt: null,
  error: null,
  warning: null,
  appState: undefined,
})

export interface Store {
  getSnapshot(): AuthSnapshot
  subscribe(listener: () => void): () => void
  dispatch(action: Action): void
  /**
   * The session this tab holds, or undefined: the one owner of it, changed only by `dispatch`
   * (a `session` action sets it, a sign-out or a logout clears it), so the session and what
   * the app sees never disagree.
   */
  session(): Session | undefined
}

/**
 * A tiny external store: one reducer, frozen snapshots, synchronous listeners once per change.
 * `profile` makes the snapshot's `user` from the session's claims and userinfo (session/profile:
 * the protocol claims left out), once per claims object.
 */
export function createStore(profile: (claims: Claims) => Claims = (claims) => claims): Store {
  let snapshot = initialSnapshot
  let session: Session | undefined
  let seen: Session | undefined
  let made: Claims | undefined
  // Once per claims and userinfo, so an unchanged session keeps the same `user` and snapshot.
  const user = (s: Session) => (seen?.claims === s.claims && seen.userinfo === s.userinfo && made ? made : (made = profile(merged((seen = s)))))
  const listeners = new Set<() => void>()
  return {
    getSnapshot: () => snapshot,
    session: () => session,
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    dispatch(action) {
      const next = reduce(snapshot, action, user)
      // The session follows what the app sees: a renewal that lands during a logout is dropped.
      if (action.type === 'session') session = next.status === 'authenticated' ? action.session : undefined
      else if (action.type === 'signedOut' || action.type === 'signingOut' || action.type === 'endedElsewhere') session = undefined
      if (next === snapshot || shallowEqual(next, snapshot)) return
      snapshot = Object.freeze(next)
      for (const listener of [...listeners]) listener()
    },
  }
}

function shallowEqual(a: AuthSnapshot, b: AuthSnapshot): boolean {
  return (
    a.status === b.status &&
    a.user === b.user &&
    a.expiresAt === b.expiresAt &&
    a.error === b.error &&
    a.warning === b.warning &&
    a.appState === b.appState &&
    (a.idleDeadlineAt ?? null) === (b.idleDeadlineAt ?? null) &&
    (a.ended ?? null) === (b.ended ?? null)
  )
}
