import { createAuthClient, type AuthClient } from '@tokenkeep/core'
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/vue'
import { defineComponent, effectScope, h, nextTick } from 'vue'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CLIENT_ID, ISSUER, createFakeProvider, type FakeProvider } from '../../core/src/test/fakeProvider'
import { createAuthPlugin, useAuth } from './index'

let op: FakeProvider
let assigned: string[]
const clients: AuthClient[] = []

function newClient(): AuthClient {
  const c = createAuthClient({
    issuer: ISSUER,
    clientId: CLIENT_ID,
    redirectUri: `${location.origin}/callback`,
    postLogoutRedirectUri: `${location.origin}/`,
    fetch: op.fetch,
  })
  clients.push(c)
  return c
}

async function callbackUrl(from = '/'): Promise<string> {
  history.replaceState(null, '', from)
  await newClient().login()
  return op.authorize(assigned.pop()!, { sub: 'alice' })
}

/** Counts live subscriptions, to see that useAuth() releases its own. */
function countSubscriptions(client: AuthClient): () => number {
  let live = 0
  const subscribe = client.subscribe
  vi.spyOn(client, 'subscribe').mockImplementation((listener) => {
    live++
    const off = subscribe(listener)
    return () => {
      live--
      off()
    }
  })
  return () => live
}

const Profile = defineComponent(() => {
  const { status, user, error, isAuthenticated, login, logout } = useAuth()
  return () =>
    h('div', [
      h('p', { 'data-testid': 'status' }, status.value),
      user.value && h('p', { 'data-testid': 'name' }, String(user.value.name)),
      error.value && h('p', { 'data-testid': 'error' }, error.value.code),
      isAuthenticated.value ? h('button', { onClick: () => logout() }, 'Log out') : h('button', { onClick: () => login() }, 'Log in'),
    ])
})

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

describe('useAuth', () => {
  it('throws typed errors outside setup and without the plugin', () => {
    expect(() => useAuth()).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_NO_EFFECT_SCOPE' }))
    const scope = effectScope()
    expect(() => scope.run(() => useAuth())).toThrow(expect.objectContaining({ code: 'ERR_NO_AUTH_PLUGIN' }))
    scope.stop()
  })

  it('follows the client from loading to signed out, and logs in through it', async () => {
    render(Profile, { global: { plugins: [createAuthPlugin(newClient())] } })
    expect(screen.getByTestId('status').textContent).toBe('loading')
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('unauthenticated'))
    await fireEvent.click(screen.getByText('Log in'))
    await waitFor(() => expect(assigned).toHaveLength(1))
    expect(assigned[0]!.startsWith(`${ISSUER}/auth?`)).toBe(true)
  })

  it('finishes a redirect login once, then gives tokens and logs out', async () => {
    history.replaceState(null, '', await callbackUrl('/orders/7'))
    op.calls.length = 0
    const auth = newClient()
    render(Profile, { global: { plugins: [createAuthPlugin(auth)] } })
    expect((await screen.findByTestId('name')).textContent).toBe('Alice')
    expect(op.calls.filter((c) => c === 'POST /token')).toHaveLength(1)
    expect(location.pathname + location.search).toBe('/orders/7')
    await expect(auth.getAccessToken()).resolves.toMatch(/^at-/)
    await fireEvent.click(screen.getByText('Log out'))
    // Leaving for the end-session endpoint: signing out until the page is gone, no user shown.
    await waitFor(() => expect(assigned.at(-1)?.startsWith(`${ISSUER}/session/end`)).toBe(true))
    expect(screen.getByTestId('status').textContent).toBe('signingOut')
    expect(screen.queryByTestId('name')).toBeNull()
  })

  it('replaces the snapshot ref only when the snapshot changes', async () => {
    const auth = newClient()
    const refs: unknown[] = []
    const Spy = defineComponent(() => {
      const { snapshot } = useAuth()
      return () => (refs.push(snapshot.value), h('i'))
    })
    render(Spy, { global: { plugins: [createAuthPlugin(auth)] } })
    await waitFor(() => expect(auth.getSnapshot().status).toBe('unauthenticated'))
    await nextTick()
    expect(refs).toEqual([expect.objectContaining({ status: 'loading' }), auth.getSnapshot()])
    expect(refs.at(-1)).toBe(auth.getSnapshot())
  })

  it('releases its subscription when the component unmounts, and the app stops the client', async () => {
    const auth = newClient()
    const live = countSubscriptions(auth)
    const stop = vi.spyOn(auth, 'stop')
    const view = render(Profile, { global: { plugins: [createAuthPlugin(auth)] } })
    expect(live()).toBe(1)
    view.unmount()
    expect(live()).toBe(0)
    expect(stop).toHaveBeenCalledTimes(1)
  })
})
