import type { AuthClient } from '@tokenkeep/core'
import { useEffect, useRef, type ReactNode } from 'react'
import { AuthContext } from './authContext'

/** Props of {@link AuthProvider}. */
export interface AuthProviderProps {
  /** The client from `createAuthClient()`, created once outside the component tree. */
  client: AuthClient
  /**
   * Called once when `start()` moved the page to another address: after a redirect login it
   * removes `code`/`state` and returns to the page the login began on, with
   * `history.replaceState`, which routers do not hear. `path` is the new path + query + hash.
   * Default: dispatch a `popstate` event, so routers that read `window.location` (React Router's
   * `BrowserRouter`, most hash routers) render the new address. Pass your router's
   * `navigate(path, { replace: true })` for routers that keep their own location.
   */
  onNavigate?: (path: string) => void
  /** The app, which may call {@link useAuth} anywhere below. */
  children?: ReactNode
}

/** Per client: the address before its first start(), and whether a move was reported. */
const starts = new WeakMap<AuthClient, { address: string; reported: boolean }>()

function announce(): void {
  dispatchEvent(new PopStateEvent('popstate', { state: history.state }))
}

/**
 * Makes `client` available to {@link useAuth} below it, starts it after the first render
 * (finishing a redirect login or restoring the stored session) and stops it on unmount.
 * Use one provider per client.
 *
 * Under StrictMode, React mounts, unmounts and remounts effects at once in development. That
 * is safe: the client's `start()` handles the redirect callback only once, a later call (after
 * `stop()`) only re-arms its timers, and `onNavigate` runs once, for the surviving effect.
 *
 * @example
 * ```tsx
 * const auth = createAuthClient({ issuer, clientId, redirectUri: `${location.origin}/callback` })
 * createRoot(el).render(<AuthProvider client={auth}><App /></AuthProvider>)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.2.4 (why the code leaves the address bar)
 */
export function AuthProvider({ client, onNavigate, children }: AuthProviderProps): ReactNode {
  const navigate = useRef(onNavigate)
  navigate.current = onNavigate
  useEffect(() => {
    let active = true
    let start = starts.get(client)
    if (!start) starts.set(client, (start = { address: location.href, reported: false }))
    const noted = start
    void client.start().then(() => {
      if (!active || noted.reported || location.href === noted.address) return
      noted.reported = true
      const path = location.pathname + location.search + location.hash
      if (navigate.current) navigate.current(path)
      else announce()
    })
    return () => {
      active = false
      client.stop()
    }
  }, [client])
  return <AuthContext.Provider value={client}>{children}</AuthContext.Provider>
}
