import type { AuthError } from './errors'
import type { Session } from './session/session'

/** What the app renders from. One frozen object, replaced on every change. */
export interface AuthSnapshot {
  readonly status: 'loading' | 'authenticated' | 'unauthenticated' | 'error'
  /** Claims of the signed-in user (from the ID token), or null. */
  readonly user: Readonly<Record<string, unknown>> | null
  /** When the current access token expires, epoch milliseconds, or null. */
  readonly expiresAt: number | null
  /** The last error worth showing, or null. Kept beside a valid session when one survives it. */
  readonly error: AuthError | null
  /**
   * The `appState` given to the `login({ appState })` that signed this tab in (redirect or
   * popup), as it came back through JSON; `undefined` otherwise (a restored session, another
   * tab's sign-in). Kept until the next sign-in or sign-out in this tab.
   */
  readonly appState?: unknown
}

export type Action =
  | { type: 'session'; session: Session; error?: AuthError | null; signIn?: { appState: unknown } }
  | { type: 'signedOut'; error?: AuthError | null }
  | { type: 'error'; error: AuthError }
  | { type: 'clearError' }

export function reduce(state: AuthSnapshot, action: Action): AuthSnapshot {
  switch (action.type) {
    case 'session':
      return {
        status: 'authenticated',
        user: action.session.claims,
        expiresAt: action.session.expiresAt,
        error: action.error ?? null,
        appState: action.signIn ? action.signIn.appState : state.appState,
      }
    case 'signedOut':
      return { status: 'unauthenticated', user: null, expiresAt: null, error: action.error ?? null, appState: undefined }
    case 'error':
      // A valid session survives an error; without one, the state is unknown only while loading.
      return {
        ...state,
        status: state.status === 'loading' ? 'error' : state.status,
        error: action.error,
      }
    case 'clearError':
      return state.error === null ? state : { ...state, error: null }
  }
}

export const initialSnapshot: AuthSnapshot = Object.freeze({
  status: 'loading',
  user: null,
  expiresAt: null,
  error: null,
  appState: undefined,
})

export interface Store {
  getSnapshot(): AuthSnapshot
  subscribe(listener: () => void): () => void
  dispatch(action: Action): void
}

/** A tiny external store: one reducer, frozen snapshots, synchronous listeners once per change. */
export function createStore(): Store {
  let snapshot = initialSnapshot
  const listeners = new Set<() => void>()
  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    dispatch(action) {
      const next = reduce(snapshot, action)
      if (next === snapshot || shallowEqual(next, snapshot)) return
      snapshot = Object.freeze(next)
      for (const listener of [...listeners]) listener()
    },
  }
}

function shallowEqual(a: AuthSnapshot, b: AuthSnapshot): boolean {
  return a.status === b.status && a.user === b.user && a.expiresAt === b.expiresAt && a.error === b.error && a.appState === b.appState
}
