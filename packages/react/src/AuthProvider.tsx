import type { AuthClient } from '@tokenkeep/core'
import { useEffect, type ReactNode } from 'react'
import { AuthContext } from './authContext'

/** Props of {@link AuthProvider}. */
export interface AuthProviderProps {
  /** The client from `createAuthClient()`, created once outside the component tree. */
  client: AuthClient
  children?: ReactNode
}

/**
 * Makes `client` available to {@link useAuth} below it, starts it after the first render
 * (finishing a redirect login or restoring the stored session) and stops it on unmount.
 * Use one provider per client.
 *
 * Under StrictMode, React mounts, unmounts and remounts effects at once in development. That
 * is safe: the client's `start()` handles the redirect callback only once, and a later call
 * (after `stop()`) only re-arms its timers.
 *
 * @example
 * ```tsx
 * const auth = createAuthClient({ issuer, clientId, redirectUri: `${location.origin}/callback` })
 * createRoot(el).render(<AuthProvider client={auth}><App /></AuthProvider>)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1 (the flow `start()` completes)
 */
export function AuthProvider({ client, children }: AuthProviderProps): ReactNode {
  useEffect(() => {
    void client.start()
    return () => client.stop()
  }, [client])
  return <AuthContext.Provider value={client}>{children}</AuthContext.Provider>
}
