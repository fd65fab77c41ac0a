import type { LoginOptions } from '@tokenkeep/core'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { mayLogin } from './mayLogin'
import { useAuth } from './useAuth'

/** Props of {@link RequireAuth}. */
export interface RequireAuthProps {
  /** Rendered only while someone is signed in. */
  children?: ReactNode
  /**
   * Rendered otherwise: while loading, while the login redirect is under way, and when a
   * sign-in failed (read `useAuth().error` there to explain and offer a retry). Default nothing.
   */
  fallback?: ReactNode
  /** Passed to `login()`. `returnTo` defaults to the current page. */
  loginOptions?: LoginOptions
}

/**
 * Renders `children` only for a signed-in user. When the client knows nobody is signed in, it
 * calls `login()` once, which brings the user back to this page afterwards.
 *
 * It does not log in again after a failed sign-in (the snapshot then carries its `error`): a
 * provider that keeps answering `access_denied` would otherwise bounce the browser forever. It
 * does log in again when the provider ended the session (`ERR_SESSION_EXPIRED`).
 * If `login()` itself rejects (provider unreachable), the error is thrown to the nearest error
 * boundary.
 *
 * @example
 * ```tsx
 * <RequireAuth fallback={<p>Signing you in…</p>}>
 *   <Orders />
 * </RequireAuth>
 * ```
 */
export function RequireAuth({ children, fallback = null, loginOptions }: RequireAuthProps): ReactNode {
  const auth = useAuth()
  const { status, login } = auth
  const [failure, setFailure] = useState<{ error: unknown } | null>(null)
  const mustLogin = mayLogin(auth)
  // Survives StrictMode's effect replay, so one visit starts one login.
  const asked = useRef(false)
  const options = useRef(loginOptions)
  options.current = loginOptions

  useEffect(() => {
    if (!mustLogin) {
      asked.current = false
      return
    }
    if (asked.current) return
    asked.current = true
    login(options.current).catch((e: unknown) => setFailure({ error: e }))
  }, [mustLogin, login])

  if (failure) throw failure.error
  return status === 'authenticated' ? children : fallback
}
