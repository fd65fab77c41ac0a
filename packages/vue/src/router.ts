import type { AuthClient, LoginOptions } from '@tokenkeep/core'
import { hasInjectionContext } from 'vue'
import { START_LOCATION, useRouter, type NavigationGuard, type RouteLocationRaw, type Router } from 'vue-router'
import { mayLogin } from './mayLogin'
import { addressBeforeStart, startClient } from './startClient'

declare module 'vue-router' {
  interface RouteMeta {
    /** Set on a route (or a parent) that only a signed-in user may enter; see `createAuthGuard`. */
    requiresAuth?: boolean
  }
}

/** Options of {@link createAuthGuard}. */
export interface AuthGuardOptions {
  /** Passed to `login()`. `returnTo` is always the route being entered. */
  loginOptions?: Omit<LoginOptions, 'returnTo'>
  /**
   * Where to go instead of a protected route after a sign-in failed (the snapshot carries the
   * error; logging in again could loop). Default: cancel the navigation.
   */
  fallback?: RouteLocationRaw
}

/**
 * A `router.beforeEach` guard. Every navigation waits for the client's `start()`. A route whose
 * record or parent has `meta.requiresAuth` is entered only by a signed-in user; otherwise the
 * guard calls `login()` with the route as `returnTo` and cancels the navigation.
 *
 * It also keeps the redirect callback out of the address bar: `start()` removes `code`/`state`
 * and restores the page the login began on, but vue-router would write the address it parsed at
 * load back when it commits the first navigation. The guard redirects that navigation to the
 * address `start()` left instead. Needs vue-router 4.2+ (guards run in the app's context).
 *
 * On the server (no `window`: a server render with memory history) the guard decides nothing and
 * lets every navigation through without starting the client: there is no browser session to
 * look at, `useAuth()` reports `status: 'loading'`, and the browser's guard decides when the app
 * runs there. Render a protected page's content only when `isAuthenticated` is true.
 *
 * @throws AuthError from `login()` (for example `ERR_DISCOVERY`), which fails the navigation
 *   (`router.onError`).
 * @example
 * ```ts
 * const router = createRouter({ history: createWebHistory(), routes: [
 *   { path: '/', component: Home },
 *   { path: '/callback', component: Home },
 *   { path: '/orders', component: Orders, meta: { requiresAuth: true } },
 * ] })
 * router.beforeEach(createAuthGuard(auth))
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.2.4 (why the code leaves the address bar)
 */
export function createAuthGuard(client: AuthClient, options: AuthGuardOptions = {}): NavigationGuard {
  return async (to, from) => {
    if (typeof window === 'undefined') return true
    const router = hasInjectionContext() ? useRouter() : undefined
    await startClient(client)
    if (from === START_LOCATION && router) {
      const moved = rewrittenAddress(client, router, to.fullPath)
      if (moved !== undefined) return moved
    }
    if (!to.matched.some((record) => record.meta.requiresAuth)) return true
    const snapshot = client.getSnapshot()
    if (snapshot.status === 'authenticated') return true
    if (!mayLogin(snapshot)) return options.fallback ?? false
    await client.login({ ...options.loginOptions, returnTo: pagePath(router, to.fullPath) })
    return false
  }
}

/** The same-origin path (with query and hash) of a router location, as `login()` wants it. */
function pagePath(router: Router | undefined, fullPath: string): string {
  if (!router) return fullPath
  const url = new URL(router.resolve(fullPath).href, location.href)
  return url.pathname + url.search + url.hash
}

/**
 * The router location of the current address when `start()` rewrote the page's address and
 * `fullPath` is still the old one, else undefined. A router on memory history, whose locations
 * are not the page's, never matches the noted address and is left alone.
 */
function rewrittenAddress(client: AuthClient, router: Router, fullPath: string): string | undefined {
  const before = addressBeforeStart(client)
  if (before === undefined || before === location.href) return undefined
  // Hash-history hrefs are relative ("#/x"): resolve them against the address they came from.
  if (new URL(router.resolve(fullPath).href, before).href !== before) return undefined
  const base = router.options.history.base
  const hashAt = base.indexOf('#')
  if (hashAt >= 0) {
    // Hash history keeps the route after the base's hash prefix ("#" or "#!").
    const prefix = base.slice(hashAt)
    const inner = location.hash.startsWith(prefix) ? location.hash.slice(prefix.length) : location.hash.slice(1)
    return inner.startsWith('/') ? inner : `/${inner}`
  }
  const { pathname, search, hash } = location
  const inBase = base !== '' && pathname.toLowerCase().startsWith(base.toLowerCase())
  return (inBase ? pathname.slice(base.length) || '/' : pathname) + search + hash
}
