// The fake-provider fixture shared by the core unit tests: one call registers the hooks every
// such test file needs, and returns the helpers its tests use.
//
//   const { options, signIn, createAuthClient } = useFakeProvider()
//   it('...', async () => { const auth = await signIn(); expect(op.calls).toEqual([...]) })
//
// `op` and `assigned` are live bindings: re-created before each test, read at use.
import { afterEach, beforeEach, vi } from 'vitest'
import type { AuthClient } from '../api'
import { createAuthClient as create } from '../client'
import { resolveOptions, type AuthClientOptions } from '../options'
import { createClientContext, type ClientContext } from '../start/context'
import { CLIENT_ID, ISSUER, createFakeProvider, type FakeProvider } from './fakeProvider'

/** The in-memory provider of the running test (a new one, with new keys, for every test). */
export let op: FakeProvider
/** Every URL the page was sent to with `location.assign` or `location.replace` (the provider, its logout), in order. */
export let assigned: string[]

/** How the fake provider answers an authorization request (see FakeProvider.authorize). */
export type AuthorizeAnswer = Parameters<FakeProvider['authorize']>[1]

export interface FakeProviderSetup {
  /** Metadata the provider advertises, over the defaults (for every test of the file). */
  metadata?: Record<string, unknown>
  /** Options every client of the file gets, between the defaults and a call's own. Read per call. */
  options?: () => Partial<AuthClientOptions>
  /** The page's path before each test. Default `/`. */
  path?: string
  /** Fake timers from before the provider is made until after the clients are stopped. */
  fakeTimers?: Parameters<typeof vi.useFakeTimers>[0] | (() => Parameters<typeof vi.useFakeTimers>[0])
}

export interface FakeProviderFixture {
  /** Client options pointing at the fake provider: `setup.options()`, then `extra`. */
  options(extra?: Partial<AuthClientOptions>): AuthClientOptions
  /** createAuthClient, except that every client made is stopped after the test. */
  createAuthClient(options: AuthClientOptions): AuthClient
  /** A whole redirect login: login() on one "page", the provider's answer, then start() on the callback page. */
  signIn(extra?: Partial<AuthClientOptions>, answer?: AuthorizeAnswer): Promise<AuthClient>
  /** Replaces the running test's provider with one advertising `metadata` (and returns it). */
  replaceProvider(metadata: Record<string, unknown>): Promise<FakeProvider>
  /** What the client's parts share, built from the same options, for unit tests of one part. */
  context(extra?: Partial<AuthClientOptions>): ClientContext
}

/**
 * Registers beforeEach/afterEach hooks (in the calling file or describe block): before each test
 * a new fake provider, empty web storage, the page at `setup.path`, and `location.assign`
 * recorded into `assigned` instead of navigating; after it, every client made through the
 * fixture stopped (so no timer outlives its test), mocks and stubbed globals restored.
 */
export function useFakeProvider(setup: FakeProviderSetup = {}): FakeProviderFixture {
  const clients: AuthClient[] = []

  beforeEach(async () => {
    if (setup.fakeTimers) vi.useFakeTimers(typeof setup.fakeTimers === 'function' ? setup.fakeTimers() : setup.fakeTimers)
    sessionStorage.clear()
    localStorage.clear()
    history.replaceState(null, '', setup.path ?? '/')
    op = await createFakeProvider(setup.metadata)
    assigned = []
    vi.spyOn(location, 'assign').mockImplementation((url: string | URL) => void assigned.push(String(url)))
    // The provider's logout page replaces the page (location.replace): recorded alike.
    vi.spyOn(location, 'replace').mockImplementation((url: string | URL) => void assigned.push(String(url)))
  })
  afterEach(() => {
    for (const c of clients.splice(0)) c.stop()
    vi.unstubAllGlobals()
    vi.restoreAllMocks()
    if (setup.fakeTimers) vi.useRealTimers()
  })

  const options = (extra: Partial<AuthClientOptions> = {}): AuthClientOptions => ({
    issuer: ISSUER,
    clientId: CLIENT_ID,
    redirectUri: `${location.origin}/callback`,
    fetch: op.fetch,
    ...setup.options?.(),
    ...extra,
  })
  const createAuthClient = (o: AuthClientOptions): AuthClient => {
    const c = create(o)
    clients.push(c)
    return c
  }

  return {
    options,
    createAuthClient,
    async signIn(extra = {}, answer = {}) {
      await createAuthClient(options(extra)).login()
      history.replaceState(null, '', op.authorize(assigned.pop()!, answer))
      const auth = createAuthClient(options(extra))
      await auth.start()
      return auth
    },
    async replaceProvider(metadata) {
      op = await createFakeProvider(metadata)
      return op
    },
    context: (extra) => createClientContext(resolveOptions(options(extra))),
  }
}
