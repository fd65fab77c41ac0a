import type { AuthClient } from '@tokenkeep/core'
import { useEffect, useRef, type ReactNode } from 'react'
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
 * Under StrictMode, React mounts, unmounts and remounts effects at once in development. The
 * stop is deferred by a task and cancelled by the remount, so the client keeps the start that
 * is already finishing the redirect instead of starting over with the URL it has just cleaned.
 *
 * @example
 * ```tsx
 * const auth = createAuthClient({ issuer, clientId, redirectUri: `${location.origin}/callback` })
 * createRoot(el).render(<AuthProvider client={auth}><App /></AuthProvider>)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1 (the flow `start()` completes)
 */
export function AuthProvider({ client, children }: AuthProviderProps): ReactNode {
  const pendingStop = useRef<{ client: AuthClient; timer: ReturnType<typeof setTimeout> } | null>(null)
  useEffect(() => {
    if (pendingStop.current?.client === client) {
      clearTimeout(pendingStop.current.timer)
      pendingStop.current = null
    }
    void client.start()
    return () => {
      pendingStop.current = { client, timer: setTimeout(() => client.stop(), 0) }
    }
  }, [client])
  return <AuthContext.Provider value={client}>{children}</AuthContext.Provider>
}
