import type { AuthClient, AuthSnapshot } from '@tokenkeep/core'
import { useContext, useMemo, useSyncExternalStore } from 'react'
import { AuthContext } from './authContext'

/**
 * What {@link useAuth} returns: the client's snapshot plus its actions. `error` is what failed (a
 * sign-in, or the session ended), as auth0-react's and react-oidc-context's `error`; `warning`
 * is a problem handled in the background (a renewal retried, storage in memory) beside a session
 * that is still there: show it quietly if at all, never instead of the app.
 */
export interface UseAuthResult extends AuthSnapshot {
  /** `status === 'loading'` (auth0-react's and react-oidc-context's `isLoading`). */
  readonly isLoading: boolean
  /** `status === 'authenticated'`. */
  readonly isAuthenticated: boolean
  /** Starts a login; see `AuthClient.login`. */
  readonly login: AuthClient['login']
  /** Signs out; see `AuthClient.logout`. */
  readonly logout: AuthClient['logout']
  /** A fresh access token; see `AuthClient.getAccessToken`. */
  readonly getAccessToken: AuthClient['getAccessToken']
  /** The client itself, for anything else. */
  readonly client: AuthClient
}

/** The server has no session and no way to know one: it renders the loading state, then the client takes over. */
const serverSnapshot: AuthSnapshot = Object.freeze({ status: 'loading', user: null, expiresAt: null, error: null, warning: null })
const getServerSnapshot = (): AuthSnapshot => serverSnapshot

/**
 * Reads the auth state of the nearest {@link AuthProvider} and re-renders when it changes
 * (through `useSyncExternalStore`, so it never tears under concurrent rendering). On the server
 * and during hydration the status is `'loading'`.
 *
 * @throws TypeError `ERR_NO_AUTH_PROVIDER` when no `<AuthProvider>` is above the component.
 * @example
 * ```tsx
 * function Profile() {
 *   const { status, user, login, logout } = useAuth()
 *   if (status === 'loading') return <p>Loading…</p>
 *   return user ? <button onClick={() => logout()}>Log out {String(user.name)}</button>
 *               : <button onClick={() => login()}>Log in</button>
 * }
 * ```
 */
export function useAuth(): UseAuthResult {
  const client = useContext(AuthContext)
  if (client === null) {
    throw Object.assign(new TypeError('tokenkeep: useAuth() must be called inside <AuthProvider>'), {
      code: 'ERR_NO_AUTH_PROVIDER',
    })
  }
  const snapshot = useSyncExternalStore(client.subscribe, client.getSnapshot, getServerSnapshot)
  // Bound once per client, so the functions are stable dependencies for effects and memos.
  const actions = useMemo(
    (): Pick<AuthClient, 'login' | 'logout' | 'getAccessToken'> => ({
      login: (options) => client.login(options),
      logout: (options) => client.logout(options),
      getAccessToken: (options) => client.getAccessToken(options),
    }),
    [client],
  )
  return useMemo(
    () => ({ ...snapshot, isAuthenticated: snapshot.status === 'authenticated', isLoading: snapshot.status === 'loading', ...actions, client }),
    [snapshot, actions, client],
  )
}
