import type { LoginOptions } from '@tokenkeep/core'
import { Fragment, useEffect, useRef, useState, type ReactNode } from 'react'
import { mayLogin } from './mayLogin'
import { useAuth } from './useAuth'

/** Props of {@link RequireAuth}. */
export interface RequireAuthProps {
  /** Rendered only while someone is signed in. */
  children?: ReactNode
  /**
   * Rendered otherwise: while loading, while signing out, while the login redirect is under way,
   * after the session ended on this page (offer a "Log in" button there), and when a sign-in
   * failed (read `useAuth().status` and `error` to tell these apart). Default nothing.
   */
  fallback?: ReactNode
  /** Passed to `login()`. `returnTo` defaults to the current page. */
  loginOptions?: LoginOptions
  /**
   * When the provider ends the session while the children are on screen (`ended` on the
   * snapshot): `'keep'` (default) keeps them mounted, with `sessionEnded` after them, and starts
   * no login, so nothing the user typed is lost; the user signs in again with
   * `login({ popup: true })` and carries on. `'login'`: replace them with `fallback` and send the
   * user to the provider at once.
   */
  onSessionEnd?: 'keep' | 'login'
  /** Rendered after the kept children while the session is ended: the "You were signed out" prompt. */
  sessionEnded?: ReactNode
}

/**
 * Renders `children` only for a signed-in user, and `fallback` otherwise. When a visitor
 * arrives signed out (on mount, or on a page shown again from the back/forward cache) it calls
 * `login()` once, which brings the user back to this page afterwards.
 *
 * When the provider ends the session while the children are on screen (`ERR_SESSION_EXPIRED`,
 * `ended` on the snapshot), they stay mounted with `sessionEnded` after them and no login starts
 * (in every tab), unless `onSessionEnd` is `'login'`; see {@link RequireAuthProps.onSessionEnd}.
 * A different user signing in remounts them. When the session ends otherwise, they are replaced
 * by `fallback` in the same render. A logout (`status: 'signingOut'`, here or in another tab) starts no login:
 * it would race the logout's redirect, or sign the user straight back in. Neither does a failed
 * sign-in (the snapshot then carries its `error`): a provider that keeps answering
 * `access_denied` would otherwise bounce the browser forever. With `onSessionEnd: 'login'` it
 * logs in again when the provider ended the session (`ERR_SESSION_EXPIRED`).
 * If `login()` itself rejects (provider unreachable), the error is thrown to the nearest error
 * boundary.
 *
 * @example
 * ```tsx
 * function SignInNeeded() {
 *   const { status, error, login } = useAuth()
 *   if (status === 'loading') return <p>Loading…</p>
 *   if (status === 'signingOut') return <p>Signing out…</p>
 *   return <button onClick={() => login()}>{error ? 'Try again' : 'Log in'}</button>
 * }
 * <RequireAuth fallback={<SignInNeeded />}>
 *   <Orders />
 * </RequireAuth>
 * ```
 */
export function RequireAuth({ children, fallback = null, loginOptions, onSessionEnd = 'keep', sessionEnded = null }: RequireAuthProps): ReactNode {
  const auth = useAuth()
  const { status, error, login, user, ended } = auth
  /** This visit saw a session: its end is not an arrival, and starts no login (but see below). */
  const hadSession = useRef(false)
  // The provider ended the session this page showed: keep it, and start no login by ourselves.
  const keep = onSessionEnd === 'keep' && status === 'unauthenticated' && ended != null && hadSession.current
  const [failure, setFailure] = useState<{ error: unknown } | null>(null)
  // Bumped when the page comes back from the back/forward cache: that is a new visit.
  const [visit, setVisit] = useState(0)
  // Survive StrictMode's effect replay, so one visit starts one login.
  const asked = useRef(false)
  const options = useRef(loginOptions)
  options.current = loginOptions
  const mustLogin = mayLogin(auth)
  useEffect(() => {
    const onPageShow = (event: PageTransitionEvent) => {
      if (!event.persisted) return
      hadSession.current = false
      asked.current = false
      setVisit((n) => n + 1)
    }
    addEventListener('pageshow', onPageShow)
    return () => removeEventListener('pageshow', onPageShow)
  }, [])
  useEffect(() => {
    if (status === 'authenticated') hadSession.current = true
    const over = hadSession.current && error?.code !== 'ERR_SESSION_EXPIRED'
    if (!mustLogin || over || keep) {
      asked.current = false
      return
    }
    if (asked.current) return
    asked.current = true
    login(options.current).catch((e: unknown) => setFailure({ error: e }))
  }, [status, error, mustLogin, login, visit, keep])
  if (failure) throw failure.error
  if (status !== 'authenticated' && !keep) return fallback
  // Keyed by the user: signing in again as the same one carries on in place; another user is a
  // new session, and the previous user's page (its state included) goes.
  return (
    <Fragment key={String((user ?? ended?.user)?.sub)}>
      {children}
      {keep ? sessionEnded : null}
    </Fragment>
  )
}
