import { AuthError, createAuthClient, type AuthClient, type AuthSnapshot } from '@tokenkeep/core'
import { cleanup, render, screen } from '@testing-library/vue'
import { defineComponent, h } from 'vue'
import { RouterView, createMemoryHistory, createRouter, createWebHashHistory, createWebHistory, type RouterHistory } from 'vue-router'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CLIENT_ID, ISSUER, createFakeProvider, type FakeProvider } from '../../core/src/test/fakeProvider'
import { createAuthPlugin, useAuth } from './index'
import { createAuthGuard, type AuthGuardOptions } from './router'

let op: FakeProvider
let assigned: string[]
const clients: AuthClient[] = []

function newClient(redirectPath = '/callback'): AuthClient {
  const c = createAuthClient({ issuer: ISSUER, clientId: CLIENT_ID, redirectUri: `${location.origin}${redirectPath}`, fetch: op.fetch })
  clients.push(c)
  return c
}

/** Starts a login on page `from` and returns the address the provider sends the browser back to. */
async function callbackUrl(from: string, redirectPath = '/callback'): Promise<string> {
  history.replaceState(null, '', from)
  await newClient(redirectPath).login()
  return op.authorize(assigned.pop()!, { sub: 'alice' })
}

const Page = defineComponent(() => {
  const { user, error } = useAuth()
  return () =>
    h('div', [
      user.value && h('p', { 'data-testid': 'name' }, String(user.value.name)),
      error.value && h('p', { 'data-testid': 'error' }, error.value.code),
    ])
})

/** An app as a user writes it: plugin, router with a guard, mounted. */
async function mountApp(auth: AuthClient, history: RouterHistory, options?: AuthGuardOptions) {
  const router = createRouter({
    history,
    routes: [
      { path: '/', component: Page },
      { path: '/callback', component: Page },
      { path: '/problem', component: Page },
      { path: '/orders', component: Page, meta: { requiresAuth: true }, children: [{ path: ':id', component: Page }] },
    ],
  })
  router.beforeEach(createAuthGuard(auth, options))
  render(defineComponent(() => () => h(RouterView)), { global: { plugins: [createAuthPlugin(auth), router] } })
  // A first navigation that sends the page to the provider stays pending: wait for the login then.
  await Promise.race([router.isReady().catch(() => {}), vi.waitFor(() => expect(assigned).not.toHaveLength(0))])
  return router
}

beforeEach(async () => {
  sessionStorage.clear()
  history.replaceState(null, '', '/')
  op = await createFakeProvider()
  assigned = []
  vi.spyOn(location, 'assign').mockImplementation((url: string | URL) => void assigned.push(String(url)))
  // The provider's logout page replaces the page (location.replace): recorded alike.
  vi.spyOn(location, 'replace').mockImplementation((url: string | URL) => void assigned.push(String(url)))
})
afterEach(() => {
  cleanup()
  for (const c of clients.splice(0)) c.stop()
  vi.restoreAllMocks()
})

describe('createAuthGuard', () => {
  it('lands a redirect callback on the page the login began on, with no code left in the address', async () => {
    history.replaceState(null, '', await callbackUrl('/orders/7?tab=2#top'))
    op.calls.length = 0
    const router = await mountApp(newClient(), createWebHistory())
    expect(router.currentRoute.value.fullPath).toBe('/orders/7?tab=2#top')
    expect(location.pathname + location.search + location.hash).toBe('/orders/7?tab=2#top')
    expect((await screen.findByTestId('name')).textContent).toBe('Alice')
    expect(op.calls.filter((c) => c === 'POST /token')).toHaveLength(1)
  })

  it('does the same under a router base', async () => {
    history.replaceState(null, '', await callbackUrl('/app/orders/7', '/app/callback'))
    const router = await mountApp(newClient('/app/callback'), createWebHistory('/app/'))
    expect(router.currentRoute.value.fullPath).toBe('/orders/7')
    expect(location.pathname + location.search).toBe('/app/orders/7')
  })

  it('does the same with hash history', async () => {
    history.replaceState(null, '', await callbackUrl('/#/orders/7', '/'))
    const router = await mountApp(newClient('/'), createWebHashHistory())
    expect(router.currentRoute.value.fullPath).toBe('/orders/7')
    expect(location.search).toBe('')
    expect(location.hash).toBe('#/orders/7')
  })

  it('leaves a memory-history router alone while still cleaning the address', async () => {
    history.replaceState(null, '', await callbackUrl('/orders/7'))
    const router = await mountApp(newClient(), createMemoryHistory())
    expect(router.currentRoute.value.fullPath).toBe('/')
    expect(location.search).toBe('')
    expect((await screen.findByTestId('name')).textContent).toBe('Alice')
  })

  it('sends a signed-out visitor of a protected route to login with that route as returnTo', async () => {
    history.replaceState(null, '', '/app/orders/7?tab=2#x')
    const auth = newClient()
    const login = vi.spyOn(auth, 'login')
    const router = await mountApp(auth, createWebHistory('/app/'), { loginOptions: { authorizationParams: { prompt: 'login' } } })
    expect(login).toHaveBeenCalledWith({ authorizationParams: { prompt: 'login' }, returnTo: '/app/orders/7?tab=2#x' })
    expect(assigned).toHaveLength(1)
    expect(new URL(assigned[0]!).searchParams.get('prompt')).toBe('login')
    expect(router.currentRoute.value.matched).toEqual([])
  })

  it('lets a signed-in user through and leaves unprotected routes open', async () => {
    history.replaceState(null, '', await callbackUrl('/'))
    const auth = newClient()
    const router = await mountApp(auth, createWebHistory())
    expect(router.currentRoute.value.fullPath).toBe('/')
    await router.push('/orders/9')
    expect(router.currentRoute.value.fullPath).toBe('/orders/9')
    expect(assigned).toEqual([])
  })

  it('goes to the fallback instead of looping to the provider after a failed sign-in', async () => {
    history.replaceState(null, '', '/orders/7')
    await newClient().login()
    history.replaceState(null, '', op.authorize(assigned.pop()!, { error: 'access_denied' }))
    const router = await mountApp(newClient(), createWebHistory(), { fallback: '/problem' })
    // Back to where the login began (not the callback route), which is protected: the fallback.
    expect(router.currentRoute.value.fullPath).toBe('/problem')
    expect(location.pathname + location.search).toBe('/problem')
    expect((await screen.findByTestId('error')).textContent).toBe('ERR_AUTHORIZATION')
    await router.push('/orders/7')
    expect(router.currentRoute.value.fullPath).toBe('/problem')
    expect(assigned).toEqual([])
  })

  it('fails the navigation with the login error when the provider is unreachable', async () => {
    op.override('/.well-known/openid-configuration', () => new Response('down', { status: 503 }))
    const router = await mountApp(newClient(), createWebHistory())
    const failed = vi.fn()
    router.onError(failed)
    await expect(router.push('/orders/1')).rejects.toMatchObject({ code: 'ERR_DISCOVERY' })
    expect(router.currentRoute.value.fullPath).toBe('/')
  })
})

describe('createAuthGuard and the end of a session (issue 14)', () => {
  it('hash history: a login from the home page comes back home (an infinite redirect before)', async () => {
    history.replaceState(null, '', await callbackUrl('/#/', '/'))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const router = await mountApp(newClient('/'), createWebHashHistory())
    expect(router.currentRoute.value.fullPath).toBe('/')
    expect(location.search).toBe('')
    expect((await screen.findByTestId('name')).textContent).toBe('Alice')
    expect(warn).not.toHaveBeenCalled()
  })

  it('hash history: a failed sign-in begun on a protected route lands on the fallback, once', async () => {
    history.replaceState(null, '', '/#/orders/7?tab=2')
    await newClient('/').login()
    history.replaceState(null, '', op.authorize(assigned.pop()!, { error: 'access_denied' }))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const router = await mountApp(newClient('/'), createWebHashHistory(), { fallback: '/problem' })
    expect(router.currentRoute.value.fullPath).toBe('/problem')
    expect((await screen.findByTestId('error')).textContent).toBe('ERR_AUTHORIZATION')
    expect(location.search).toBe('')
    expect(warn).not.toHaveBeenCalled()
    expect(assigned).toEqual([])
  })

  it('the protected route on screen goes to the fallback the moment logout() is called, and no login starts', async () => {
    history.replaceState(null, '', await callbackUrl('/orders/7'))
    const auth = newClient()
    const login = vi.spyOn(auth, 'login')
    const router = await mountApp(auth, createWebHistory())
    expect(router.currentRoute.value.fullPath).toBe('/orders/7')
    const done = auth.logout()
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/'))
    await done
    expect(auth.getSnapshot().status).toBe('signingOut')
    // A protected link clicked meanwhile does not start a login either.
    await router.push('/orders/8')
    expect(router.currentRoute.value.fullPath).toBe('/')
    expect(login).not.toHaveBeenCalled()
    expect(assigned).toHaveLength(1)
    expect(assigned[0]).toContain(`${ISSUER}/session/end`)
  })

  it('a session that ends elsewhere (no navigation here) leaves the protected route too', async () => {
    history.replaceState(null, '', await callbackUrl('/orders/7'))
    const auth = newClient()
    const router = await mountApp(auth, createWebHistory(), { fallback: '/problem' })
    await auth.logout({ localOnly: true })
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/problem'))
    expect(assigned).toEqual([])
  })

  it("onSessionEnd: 'login', when the provider ended the session: the fallback at once, then a login back to the route", async () => {
    history.replaceState(null, '', await callbackUrl('/orders/7?x=1'))
    const auth = newClient()
    const router = await mountApp(auth, createWebHistory(), { onSessionEnd: 'login' })
    op.override('/token', () => Response.json({ error: 'invalid_grant' }, { status: 400 }))
    await auth.getAccessToken({ forceRefresh: true }).catch(() => {})
    expect(auth.getSnapshot().error?.code).toBe('ERR_SESSION_EXPIRED')
    await vi.waitFor(() => expect(assigned).toHaveLength(1))
    expect(router.currentRoute.value.fullPath).toBe('/')
    history.replaceState(null, '', op.authorize(assigned[0]!))
    const next = newClient()
    await next.start()
    expect(location.pathname + location.search).toBe('/orders/7?x=1')
  })
})

describe('createAuthGuard in hash history (issue 23)', () => {
  it('an edited hash to a protected route while signed out: the login begins and the navigation stays pending, so vue-router does not go back and abort the redirect', async () => {
    history.replaceState(null, '', '/#/')
    const router = await mountApp(newClient('/'), createWebHashHistory())
    expect(router.currentRoute.value.fullPath).toBe('/')
    const go = vi.spyOn(history, 'go')
    // What the address bar does when the user edits the hash: a new entry, then popstate.
    history.pushState(null, '', '/#/orders/7')
    dispatchEvent(new PopStateEvent('popstate', { state: null }))
    await vi.waitFor(() => expect(assigned).toHaveLength(1))
    expect(new URL(assigned[0]!).origin).toBe(new URL(ISSUER).origin)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(go).not.toHaveBeenCalled()
    expect(location.hash).toBe('#/orders/7')
  })

  it('a link to a protected route while signed out: the login begins and the navigation neither settles nor fails', async () => {
    history.replaceState(null, '', '/#/')
    const router = await mountApp(newClient('/'), createWebHashHistory())
    const settled = vi.fn()
    router.push('/orders/7').then(settled, settled)
    await vi.waitFor(() => expect(assigned).toHaveLength(1))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(settled).not.toHaveBeenCalled()
    expect(new URL(assigned[0]!).searchParams.get('state')).toBeTruthy()
  })
})

describe('createAuthGuard used where it cannot work (issue 23)', () => {
  it('as a route’s beforeEnter (auth0-vue’s way) it fails the navigation with a TypeError instead of letting the route through', async () => {
    const auth = newClient()
    const guard = createAuthGuard(auth)
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', component: Page },
        { path: '/orders', component: Page, beforeEnter: guard },
      ],
    })
    render(defineComponent(() => () => h(RouterView)), { global: { plugins: [createAuthPlugin(auth), router] } })
    await router.push('/')
    await expect(router.push('/orders')).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_OPTION', message: expect.stringMatching(/beforeEach/) })
    expect(router.currentRoute.value.fullPath).toBe('/')
  })

  it('called as auth0-vue’s createAuthGuard(app) or with nothing, it throws at once', () => {
    expect(() => createAuthGuard(undefined as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
    expect(() => createAuthGuard({ config: {} } as never)).toThrow(/createAuthClient/)
  })
})

describe('createAuthGuard when the provider ends the session (issue 24: sign in again in place)', () => {
  /** A page that counts its mounts: a kept page is never mounted again. */
  let mounts: number
  const Counted = defineComponent(() => {
    mounts += 1
    return () => h('p', { 'data-testid': 'counted' }, 'orders')
  })
  async function protectedRoute() {
    mounts = 0
    history.replaceState(null, '', await callbackUrl('/orders/7?x=1'))
    const auth = newClient()
    const login = vi.spyOn(auth, 'login')
    const router = createRouter({
      history: createWebHistory(),
      routes: [
        { path: '/', component: Page },
        { path: '/callback', component: Page },
        { path: '/orders/:id', component: Counted, meta: { requiresAuth: true } },
      ],
    })
    router.beforeEach(createAuthGuard(auth))
    render(defineComponent(() => () => h(RouterView)), { global: { plugins: [createAuthPlugin(auth), router] } })
    await router.isReady()
    expect(mounts).toBe(1)
    return { auth, router, login }
  }
  const endAtProvider = async (auth: AuthClient) => {
    op.override('/token', () => Response.json({ error: 'invalid_grant' }, { status: 400 }))
    await auth.getAccessToken({ forceRefresh: true }).catch(() => {})
  }

  it('regression: the route stays on screen, mounted once, and no login starts', async () => {
    const { auth, router, login } = await protectedRoute()
    await endAtProvider(auth)
    expect(auth.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'ERR_SESSION_EXPIRED' }, ended: { user: { sub: 'alice' } } })
    await new Promise((r) => setTimeout(r, 30))
    expect(router.currentRoute.value.fullPath).toBe('/orders/7?x=1')
    expect(screen.getByTestId('counted')).toBeTruthy()
    expect(mounts).toBe(1)
    expect(login).not.toHaveBeenCalled()
    expect(assigned).toEqual([])
  })

  it('a different user signing in over the kept route gets it mounted afresh; the same user does not', async () => {
    mounts = 0
    // A client whose snapshot the test sets, as a popup sign-in (or another tab's) would.
    let snapshot = { status: 'authenticated', user: { sub: 'alice' }, expiresAt: 1, error: null, warning: null } as AuthSnapshot
    const listeners = new Set<() => void>()
    const fake = {
      start: async () => {},
      stop: () => {},
      login: vi.fn(async () => {}),
      subscribe: (l: () => void) => (listeners.add(l), () => void listeners.delete(l)),
      getSnapshot: () => snapshot,
    } as unknown as AuthClient
    const set = (next: Partial<AuthSnapshot>) => {
      snapshot = { ...snapshot, ...next } as AuthSnapshot
      for (const l of [...listeners]) l()
    }
    const ended = { status: 'unauthenticated' as const, user: null, error: new AuthError('ERR_SESSION_EXPIRED', 'x'), ended: { user: { sub: 'alice' }, at: 1 } }
    history.replaceState(null, '', '/orders/7')
    const router = createRouter({
      history: createWebHistory(),
      routes: [
        { path: '/', component: Page },
        { path: '/orders/:id', component: Counted, meta: { requiresAuth: true } },
      ],
    })
    router.beforeEach(createAuthGuard(fake))
    render(defineComponent(() => () => h(RouterView)), { global: { plugins: [createAuthPlugin(fake), router] } })
    await router.isReady()
    expect(mounts).toBe(1)
    set(ended)
    set({ status: 'authenticated', user: { sub: 'alice' }, error: null, ended: undefined })
    await new Promise((r) => setTimeout(r, 30))
    expect(mounts).toBe(1)
    expect(router.currentRoute.value.fullPath).toBe('/orders/7')
    set(ended)
    set({ status: 'authenticated', user: { sub: 'bob' }, error: null, ended: undefined })
    await vi.waitFor(() => expect(mounts).toBe(2))
    expect(router.currentRoute.value.fullPath).toBe('/orders/7')
    expect(fake.login).not.toHaveBeenCalled()
  })
})
