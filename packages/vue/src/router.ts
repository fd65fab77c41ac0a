/**
 * The vue-router guard of `@tokenkeep/vue`: routes with `meta.requiresAuth` sign in first.
 * A separate entry so apps without vue-router never import it.
 *
 * @packageDocumentation
 * @module @tokenkeep/vue/router
 */
import type { AuthClient, LoginOptions } from '@tokenkeep/core'
import { hasInjectionContext } from 'vue'
import {
  START_LOCATION,
  useRouter,
  type NavigationGuard,
  type RouteLocation,
  type RouteLocationNormalized,
  type RouteLocationRaw,
  type Router,
} from 'vue-router'
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
   * A public route to show instead of a protected one when no login may start: after a sign-in
   * failed (the snapshot carries the error; logging in again could loop), during a logout, and
   * when the session ends while a protected route is on screen (logout here or in another tab,
   * expiry). Default: `'/'`, the router's root. A fallback that itself requires auth is never
   * entered (the navigation is cancelled instead).
   */
  fallback?: RouteLocationRaw
  /**
   * When the provider ends the session while a protected route is on screen (`ended` on the
   * snapshot): `'keep'` (default) leaves the route where it is and starts no login, so nothing
   * the user typed is lost (show a prompt from `useAuth().ended`; `login({ popup: true })` signs
   * in again in place; a different user gets the route mounted afresh). `'login'`: go to
   * `fallback` and sign in again by redirect at once.
   */
  onSessionEnd?: 'keep' | 'login'
}

/**
 * A `router.beforeEach` guard. Every navigation waits for the client's `start()`. A route whose
 * record or parent has `meta.requiresAuth` is entered only by a signed-in user; otherwise the
 * guard calls `login()` with the route as `returnTo` and leaves the navigation pending while the
 * page leaves for the provider (settled, vue-router would restore the previous entry and, in
 * hash history, abort the redirect). It never starts
 * a login while a logout runs (`status: 'signingOut'`) or after a failed sign-in: it goes to
 * `fallback` then.
 *
 * It also watches the session: when it ends while a protected route is on screen (a logout here
 * or in another tab, a page restored from the back/forward cache without a session), the
 * router replaces that route with `fallback` at once. When the provider ended the session
 * (`ERR_SESSION_EXPIRED`, `ended` on the snapshot) the route stays and no login starts (see
 * `onSessionEnd`; with `'login'` it goes to `fallback` and signs in again, returning there).
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
 * Not a `beforeEnter` guard (auth0-vue's `createAuthGuard` is): it reads `meta.requiresAuth`
 * on every navigation, so register it once with `router.beforeEach`.
 *
 * @throws AuthError from `login()` (for example `ERR_DISCOVERY`), which fails the navigation
 *   (`router.onError`).
 * @throws TypeError `ERR_INVALID_OPTION` when `client` is not an auth client (auth0-vue's
 *   `createAuthGuard(app)` call shape), and from the navigation when the guard is used as a
 *   route's `beforeEnter`, where it would let every route through.
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
  // auth0-vue's createAuthGuard(app) or createAuthGuard() left behind a swapped import.
  if (typeof (client as Partial<AuthClient> | undefined)?.getSnapshot !== 'function') {
    throw guardMisuse('needs the client from createAuthClient()')
  }
  const fallback = options.fallback ?? '/'
  const guard: NavigationGuard = async (to, from) => {
    if (typeof window === 'undefined') return true
    // In a route's beforeEnter it would see no `meta.requiresAuth` and let every route through.
    if (to.matched.some((record) => [record.beforeEnter].flat().includes(guard))) {
      throw guardMisuse('is a router.beforeEach guard (with meta.requiresAuth), not a beforeEnter guard')
    }
    const router = hasInjectionContext() ? useRouter() : undefined
    if (router) watchSession(client, router, fallback, options)
    await startClient(client)
    if (from === START_LOCATION && router && !redirected.has(router)) {
      const moved = rewrittenAddress(client, router, to.fullPath)
      if (moved !== undefined) {
        // Once: the fallback of a failed sign-in is the next stop of this same first navigation,
        // and would be sent back here again. Nor to itself (hash history at '/'): that loops too.
        redirected.add(router)
        if (moved !== to.fullPath) return moved
      }
    }
    if (!requiresAuth(to)) return true
    const snapshot = client.getSnapshot()
    if (snapshot.status === 'authenticated') return true
    if (!mayLogin(snapshot)) return router && requiresAuth(router.resolve(fallback)) ? false : fallback
    await client.login({ ...options.loginOptions, returnTo: pagePath(router, to.fullPath) })
    // Signed in without leaving (a popup in loginOptions): enter the route.
    if (client.getSnapshot().status === 'authenticated') return true
    // The page is leaving for the provider. Settling the navigation (false) would make vue-router
    // restore the previous entry (hash history: history.go(-1) after an edited hash or a link),
    // which aborts the redirect. Left pending, the page simply leaves; a later navigation
    // replaces this one as usual.
    return new Promise<never>(() => {})
  }
  return guard
}

function guardMisuse(message: string): TypeError {
  return Object.assign(new TypeError(`tokenkeep: createAuthGuard(client) ${message}`), { code: 'ERR_INVALID_OPTION' })
}

/** Routers whose first navigation was already moved to the address start() left. */
const redirected = new WeakSet<Router>()

const requiresAuth = (route: RouteLocationNormalized | RouteLocation) => route.matched.some((record) => record.meta.requiresAuth)

/** Routers whose current route already follows the session (one watcher per router and client). */
const watched = new WeakMap<Router, WeakSet<AuthClient>>()

/**
 * Protected content goes away the moment the session ends, whatever ended it: the guard runs
 * only on navigation, so the current route is checked again on every snapshot change.
 */
function watchSession(client: AuthClient, router: Router, fallback: RouteLocationRaw, { loginOptions, onSessionEnd }: AuthGuardOptions): void {
  let clients = watched.get(router)
  if (!clients) watched.set(router, (clients = new WeakSet()))
  if (clients.has(client)) return
  clients.add(client)
  /** Whose session ended while its page was kept on screen. */
  let keptFor: { sub: unknown } | undefined
  client.subscribe(() => {
    const snapshot = client.getSnapshot()
    const route = router.currentRoute.value
    if (snapshot.status === 'authenticated' && keptFor) {
      const other = snapshot.user?.sub !== keptFor.sub
      keptFor = undefined
      // Another user signed in over the kept page: a new session. Leaving the route and coming
      // back mounts it afresh, so nothing of the previous user's page stays.
      if (other && requiresAuth(route) && !requiresAuth(router.resolve(fallback))) {
        const back = route.fullPath
        void router.replace(fallback).then(() => router.replace(back)).catch(() => {})
      }
      return
    }
    if (snapshot.status === 'authenticated' || snapshot.status === 'loading' || !requiresAuth(route)) return
    // The provider ended the session this page showed: keep the page, start no login.
    if (onSessionEnd !== 'login' && snapshot.status === 'unauthenticated' && snapshot.ended) {
      keptFor = { sub: snapshot.ended.user.sub }
      return
    }
    if (requiresAuth(router.resolve(fallback))) return
    const returnTo = pagePath(router, route.fullPath)
    void router.replace(fallback).then(() => {
      // The provider ended it: sign in again, back to where the user was (as a visit would).
      if (mayLogin(snapshot) && snapshot.error?.code === 'ERR_SESSION_EXPIRED') return client.login({ ...loginOptions, returnTo })
      return undefined
    }).catch(() => {
      // A failed login is on the snapshot already (core reports it); the fallback stays.
    })
  })
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
