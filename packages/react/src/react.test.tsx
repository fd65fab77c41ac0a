import { AuthError, createAuthClient, type AuthClient, type AuthSnapshot } from '@tokenkeep/core'
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { Component, StrictMode, useState, type ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CLIENT_ID, ISSUER, createFakeProvider, type FakeProvider } from '../../core/src/test/fakeProvider'
import { AuthProvider, RequireAuth, useAuth } from './index'

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

/** The provider's answer to a login started on `from`: the callback URL the browser would land on. */
async function callbackUrl(from = '/'): Promise<string> {
  history.replaceState(null, '', from)
  await newClient().login()
  return op.authorize(assigned.pop()!, { sub: 'alice' })
}

const tokenRequests = () => op.calls.filter((c) => c === 'POST /token').length

function Profile(): ReactNode {
  const { status, user, error, login, logout } = useAuth()
  return (
    <div>
      <p data-testid="status">{status}</p>
      {user && <p data-testid="name">{String(user.name)}</p>}
      {error && <p data-testid="error">{error.code}</p>}
      <button onClick={() => void login()}>Log in</button>
      <button onClick={() => void logout()}>Log out</button>
    </div>
  )
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

describe('useAuth', () => {
  it('throws a TypeError with a code outside <AuthProvider>', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => render(<Profile />)).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_NO_AUTH_PROVIDER' }))
  })

  it('renders loading, then the restored state, and logs in through the client', async () => {
    render(<AuthProvider client={newClient()}><Profile /></AuthProvider>)
    expect(screen.getByTestId('status').textContent).toBe('loading')
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('unauthenticated'))
    await act(async () => screen.getByText('Log in').click())
    await waitFor(() => expect(assigned).toHaveLength(1))
    expect(new URL(assigned[0]!).origin + new URL(assigned[0]!).pathname).toBe(`${ISSUER}/auth`)
  })

  it('returns the same result object until the snapshot changes, with stable bound actions', async () => {
    const seen: ReturnType<typeof useAuth>[] = []
    function Spy(): ReactNode {
      seen.push(useAuth())
      return null
    }
    const auth = newClient()
    const view = render(<AuthProvider client={auth}><Spy /></AuthProvider>)
    await waitFor(() => expect(seen.at(-1)!.status).toBe('unauthenticated'))
    const before = seen.at(-1)!
    view.rerender(<AuthProvider client={auth}><Spy /></AuthProvider>)
    expect(seen.at(-1)).toBe(before)
    expect(seen[0]!.login).toBe(before.login)
    expect(before.client).toBe(auth)
  })

  it('gives a working getAccessToken and logout after a redirect login', async () => {
    history.replaceState(null, '', await callbackUrl())
    const seen: ReturnType<typeof useAuth>[] = []
    function Spy(): ReactNode {
      seen.push(useAuth())
      return <Profile />
    }
    render(<AuthProvider client={newClient()}><Spy /></AuthProvider>)
    await screen.findByTestId('name')
    const result = seen.at(-1)!
    expect(result).toMatchObject({ isAuthenticated: true, user: { sub: 'alice', name: 'Alice' } })
    expect(result.expiresAt).toBeGreaterThan(Date.now())
    await expect(result.getAccessToken()).resolves.toMatch(/^at-/)
    await act(async () => screen.getByText('Log out').click())
    // Leaving for the end-session endpoint: signing out until the page is gone, no user shown.
    await waitFor(() => expect(assigned.at(-1)).toContain(`${ISSUER}/session/end`))
    expect(screen.getByTestId('status').textContent).toBe('signingOut')
    expect(screen.queryByTestId('name')).toBeNull()
    expect(op.revoked).toHaveLength(1)
  })
})

describe('AuthProvider under StrictMode', () => {
  it('handles the redirect callback once: one token request, never a signed-out flash, no second login', async () => {
    history.replaceState(null, '', await callbackUrl('/orders/7?tab=2'))
    op.calls.length = 0
    const statuses: AuthSnapshot['status'][] = []
    function Record(): ReactNode {
      statuses.push(useAuth().status)
      return null
    }
    render(
      <StrictMode>
        <AuthProvider client={newClient()}>
          <Record />
          <RequireAuth fallback={<p>Signing in…</p>}>
            <Profile />
          </RequireAuth>
        </AuthProvider>
      </StrictMode>,
    )
    expect((await screen.findByTestId('name')).textContent).toBe('Alice')
    expect(tokenRequests()).toBe(1)
    expect(statuses).not.toContain('unauthenticated')
    expect(assigned).toEqual([])
    expect(location.pathname + location.search).toBe('/orders/7?tab=2')
  })

  it('tells routers once that start() moved the page to where the login began', async () => {
    history.replaceState(null, '', await callbackUrl('/orders/7?tab=2#top'))
    const heard: string[] = []
    const listener = () => heard.push(location.pathname + location.search + location.hash)
    addEventListener('popstate', listener)
    try {
      render(<StrictMode><AuthProvider client={newClient()}><Profile /></AuthProvider></StrictMode>)
      await screen.findByTestId('name')
      await waitFor(() => expect(heard).toEqual(['/orders/7?tab=2#top']))
      await new Promise((r) => setTimeout(r, 20))
      expect(heard).toHaveLength(1)
    } finally {
      removeEventListener('popstate', listener)
    }
  })

  it('calls onNavigate instead when given, and not at all when start() left the address alone', async () => {
    const onNavigate = vi.fn()
    const popstate = vi.fn()
    addEventListener('popstate', popstate)
    try {
      history.replaceState(null, '', '/plain')
      const quiet = render(<AuthProvider client={newClient()} onNavigate={onNavigate}><Profile /></AuthProvider>)
      await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('unauthenticated'))
      quiet.unmount()
      history.replaceState(null, '', await callbackUrl('/orders/7'))
      render(<AuthProvider client={newClient()} onNavigate={onNavigate}><Profile /></AuthProvider>)
      await screen.findByTestId('name')
      await waitFor(() => expect(onNavigate).toHaveBeenCalledTimes(1))
      expect(onNavigate).toHaveBeenCalledWith('/orders/7')
      expect(popstate).not.toHaveBeenCalled()
    } finally {
      removeEventListener('popstate', popstate)
    }
  })

  it('keeps refreshing after the effect replay and stops on the real unmount', async () => {
    history.replaceState(null, '', await callbackUrl())
    op.accessTokenTtl = 2 // renewed at half its life (the leeway is capped), so within a second
    const auth = newClient()
    const stop = vi.spyOn(auth, 'stop')
    const view = render(<StrictMode><AuthProvider client={auth}><Profile /></AuthProvider></StrictMode>)
    await screen.findByTestId('name')
    // The replayed effect stopped and restarted the client; its timers must be armed again.
    // The refresh is due about a second after sign-in; a loaded machine may take longer to get there.
    await waitFor(() => expect(op.calls.filter((c) => c === 'POST /token').length).toBeGreaterThanOrEqual(2), { timeout: 5000 })
    view.unmount()
    expect(stop).toHaveBeenCalledTimes(2)
  })

  it('stops the old client and starts the new one when the client prop changes', async () => {
    const a = newClient()
    const b = newClient()
    const stopA = vi.spyOn(a, 'stop')
    const startB = vi.spyOn(b, 'start')
    const view = render(<AuthProvider client={a}><Profile /></AuthProvider>)
    view.rerender(<AuthProvider client={b}><Profile /></AuthProvider>)
    await waitFor(() => expect(stopA).toHaveBeenCalledTimes(1))
    expect(startB).toHaveBeenCalledTimes(1)
  })
})

describe('RequireAuth', () => {
  it('shows the fallback and calls login once with the current page as returnTo', async () => {
    history.replaceState(null, '', '/admin?x=1')
    const auth = newClient()
    const login = vi.spyOn(auth, 'login')
    render(
      <StrictMode>
        <AuthProvider client={auth}>
          <RequireAuth fallback={<p>Signing in…</p>}>
            <p>secret</p>
          </RequireAuth>
        </AuthProvider>
      </StrictMode>,
    )
    expect(screen.getByText('Signing in…')).toBeTruthy()
    await waitFor(() => expect(assigned).toHaveLength(1))
    expect(login).toHaveBeenCalledTimes(1)
    expect(screen.queryByText('secret')).toBeNull()
    // The transaction remembers the page, so the callback lands back on it.
    history.replaceState(null, '', op.authorize(assigned[0]!))
    const next = newClient()
    await next.start()
    expect(location.pathname + location.search).toBe('/admin?x=1')
  })

  it('does not bounce back to the provider after a failed sign-in', async () => {
    history.replaceState(null, '', '/')
    await newClient().login()
    history.replaceState(null, '', op.authorize(assigned.pop()!, { error: 'access_denied' }))
    render(
      <AuthProvider client={newClient()}>
        <RequireAuth fallback={<Profile />}>
          <p>secret</p>
        </RequireAuth>
      </AuthProvider>,
    )
    expect((await screen.findByTestId('error')).textContent).toBe('ERR_AUTHORIZATION')
    await new Promise((r) => setTimeout(r, 20))
    expect(assigned).toEqual([])
    expect(screen.queryByText('secret')).toBeNull()
  })

  it("onSessionEnd: 'login' signs in again at once when the provider ended the session (the behaviour before issue 24)", async () => {
    history.replaceState(null, '', await callbackUrl('/admin'))
    const auth = newClient()
    render(
      <AuthProvider client={auth}>
        <RequireAuth fallback={<p>Signing in…</p>} onSessionEnd="login">
          <p>secret</p>
        </RequireAuth>
      </AuthProvider>,
    )
    await screen.findByText('secret')
    op.override('/token', () => Response.json({ error: 'invalid_grant' }, { status: 400 }))
    await act(async () => {
      await auth.getAccessToken({ forceRefresh: true }).catch(() => {})
    })
    expect(auth.getSnapshot().error?.code).toBe('ERR_SESSION_EXPIRED')
    await waitFor(() => expect(assigned).toHaveLength(1))
    expect(screen.getByText('Signing in…')).toBeTruthy()
  })

  it('throws a failing login to the nearest error boundary', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    op.override('/.well-known/openid-configuration', () => new Response('down', { status: 503 }))
    class Boundary extends Component<{ children: ReactNode }, { error: unknown }> {
      override state = { error: null as unknown }
      static getDerivedStateFromError(error: unknown) {
        return { error }
      }
      override render(): ReactNode {
        const { error } = this.state
        return error ? <p data-testid="boundary">{(error as { code?: string }).code}</p> : this.props.children
      }
    }
    render(
      <AuthProvider client={newClient()}>
        <Boundary>
          <RequireAuth>
            <p>secret</p>
          </RequireAuth>
        </Boundary>
      </AuthProvider>,
    )
    expect((await screen.findByTestId('boundary')).textContent).toBe('ERR_DISCOVERY')
    expect(assigned).toEqual([])
  })
})

describe('RequireAuth when the provider ends the session (issue 24: sign in again in place)', () => {
  /** A client whose snapshot the test sets, as another tab or a popup sign-in would. */
  function fakeClient(first: Partial<AuthSnapshot>) {
    let snapshot = { status: 'authenticated', user: { sub: 'alice' }, expiresAt: 1, error: null, ...first } as AuthSnapshot
    const listeners = new Set<() => void>()
    const client = {
      start: async () => {},
      stop: () => {},
      login: vi.fn(async () => {}),
      logout: vi.fn(async () => {}),
      getUser: () => snapshot.user,
      getAccessToken: async () => 'token',
      getAuthHeaders: async () => ({ authorization: 'Bearer token' }),
      handleDPoPNonce: () => false,
      subscribe: (l: () => void) => (listeners.add(l), () => void listeners.delete(l)),
      getSnapshot: () => snapshot,
    }
    const set = (next: Partial<AuthSnapshot>) =>
      act(() => {
        snapshot = { ...snapshot, ...next } as AuthSnapshot
        for (const l of [...listeners]) l()
      })
    return { client: client as unknown as AuthClient, login: client.login, set }
  }
  /** A form whose text lives in component state: it survives only if the page stays mounted. */
  function Draft(): ReactNode {
    const [text, setText] = useState('')
    return <input aria-label="draft" value={text} onChange={(e) => setText(e.target.value)} />
  }
  const ended = (sub = 'alice') => ({ status: 'unauthenticated' as const, user: null, error: new AuthError('ERR_SESSION_EXPIRED', 'x'), ended: { user: { sub }, at: 1 } })

  async function page(onSessionEnd?: 'keep' | 'login') {
    const f = fakeClient({})
    render(
      <StrictMode>
        <AuthProvider client={f.client}>
          <RequireAuth fallback={<p data-testid="fallback">fallback</p>} sessionEnded={<p data-testid="prompt">You were signed out</p>} {...(onSessionEnd ? { onSessionEnd } : {})}>
            <Draft />
          </RequireAuth>
        </AuthProvider>
      </StrictMode>,
    )
    const input = (await screen.findByLabelText('draft')) as HTMLInputElement
    fireEvent.change(input, { target: { value: 'half a letter' } })
    return { ...f, input: () => screen.queryByLabelText('draft') as HTMLInputElement | null }
  }

  it('regression: keeps the page and what was typed, shows the prompt, and starts no login', async () => {
    const { set, login, input } = await page()
    set(ended())
    expect(input()?.value).toBe('half a letter')
    expect(screen.getByTestId('prompt')).toBeTruthy()
    expect(screen.queryByTestId('fallback')).toBeNull()
    await new Promise((r) => setTimeout(r, 20))
    expect(login).not.toHaveBeenCalled()
  })

  it('the same user signing in again carries on in place; the prompt goes', async () => {
    const { set, input } = await page()
    set(ended())
    set({ status: 'authenticated', user: { sub: 'alice' }, error: null, ended: undefined })
    expect(input()?.value).toBe('half a letter')
    expect(screen.queryByTestId('prompt')).toBeNull()
  })

  it("a different user is a new session: the previous user's page and its state go", async () => {
    const { set, input } = await page()
    set(ended())
    set({ status: 'authenticated', user: { sub: 'bob' }, error: null, ended: undefined })
    expect(input()?.value).toBe('')
  })

  it("onSessionEnd: 'login' replaces the page with the fallback and logs in", async () => {
    const { set, login, input } = await page('login')
    set(ended())
    expect(input()).toBeNull()
    expect(screen.getByTestId('fallback')).toBeTruthy()
    await waitFor(() => expect(login).toHaveBeenCalledTimes(1))
  })

  it('a logout still removes the page at once (nothing is kept)', async () => {
    const { set, input } = await page()
    set({ status: 'unauthenticated', user: null, error: null, ended: null })
    expect(input()).toBeNull()
    expect(screen.getByTestId('fallback')).toBeTruthy()
  })
})

describe('RequireAuth and the end of a session (issue 14)', () => {
  /** Signed in on /orders/7 behind RequireAuth, under StrictMode. */
  async function protectedPage() {
    history.replaceState(null, '', await callbackUrl('/orders/7'))
    const auth = newClient()
    const login = vi.spyOn(auth, 'login')
    render(
      <StrictMode>
        <AuthProvider client={auth}>
          <RequireAuth fallback={<p data-testid="fallback">fallback</p>}>
            <p>secret</p>
          </RequireAuth>
        </AuthProvider>
      </StrictMode>,
    )
    await screen.findByText('secret')
    return { auth, login }
  }

  it('a logout on a protected page removes it at once and starts no login (one raced the logout redirect before)', async () => {
    const { auth, login } = await protectedPage()
    let done!: Promise<void>
    act(() => {
      done = auth.logout()
    })
    // Gone in the render of the click, before the logout awaited anything.
    expect(screen.queryByText('secret')).toBeNull()
    expect(screen.getByTestId('fallback')).toBeTruthy()
    await act(() => done)
    await new Promise((r) => setTimeout(r, 20))
    expect(login).not.toHaveBeenCalled()
    expect(assigned).toHaveLength(1)
    expect(assigned[0]).toContain(`${ISSUER}/session/end`)
  })

  it('a session ended by a logout that stays on the page (or in another tab) shows the fallback without a login', async () => {
    const { auth, login } = await protectedPage()
    await act(() => auth.logout({ localOnly: true }))
    expect(auth.getSnapshot().status).toBe('unauthenticated')
    expect(screen.getByTestId('fallback')).toBeTruthy()
    await new Promise((r) => setTimeout(r, 20))
    expect(login).not.toHaveBeenCalled()
    expect(assigned).toEqual([])
  })

  it('a page restored from the back/forward cache after a logout is a new visit: one login, not stuck', async () => {
    const { auth, login } = await protectedPage()
    await act(() => auth.logout())
    expect(auth.getSnapshot().status).toBe('signingOut')
    await act(async () => {
      dispatchEvent(Object.defineProperty(new Event('pageshow'), 'persisted', { value: true }))
    })
    await waitFor(() => expect(login).toHaveBeenCalledTimes(1))
    expect(auth.getSnapshot().status).toBe('unauthenticated')
    expect(screen.queryByText('secret')).toBeNull()
    expect(assigned.at(-1)).toContain(`${ISSUER}/auth`)
  })
})
