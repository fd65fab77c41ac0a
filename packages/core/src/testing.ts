/**
 * A test double for apps' own tests: {@link createTestAuthClient} makes an `AuthClient` whose
 * snapshot the test sets (loading, signed in as someone, signed out, session ended), with no
 * provider, no network, no storage and no timers. Give it to the real `<AuthProvider client>` /
 * `createAuthPlugin(client)`; `useAuth()`, `RequireAuth` and the router guard work unchanged.
 * A separate entry (`/testing`): nothing of it reaches an app's production bundle.
 *
 * `@tokenkeep/react/testing` and `@tokenkeep/vue/testing` re-export it: import it from your adapter's.
 *
 * @packageDocumentation
 * @module @tokenkeep/core/testing
 */
// Types only: the double loads nothing of the client (in jsdom, whose globals lack TextEncoder,
// the protocol library the client uses could not even load).
import type { AuthClient, AuthError, AuthErrorCode, AuthHeaders, AuthSnapshot, LoginOptions, LogoutOptions } from './index'

type Claims = Readonly<Record<string, unknown>>

/** The snapshot fields a test may set; the rest keep their value (or their default). */
export type TestAuthState = Partial<AuthSnapshot>

/** Options of {@link createTestAuthClient}: the first snapshot, and what `getAccessToken()` gives. */
export interface TestAuthOptions extends TestAuthState {
  /** What `getAccessToken()` resolves to while signed in. Default `'test-access-token'`. */
  accessToken?: string
  /** What `getIdTokenClaims()` returns while signed in. Default: the user's claims. */
  idTokenClaims?: Claims
}

/** What the app asked the client to do, in order. */
export interface TestAuthCalls {
  /** The options of every `login()` call (`{}` for none). */
  readonly login: LoginOptions[]
  /** The options of every `logout()` call (`{}` for none). */
  readonly logout: LogoutOptions[]
  /** The options of every `getAccessToken()` / `getAuthHeaders()` call. */
  readonly getAccessToken: TokenRequest[]
}

/** The options of one `getAccessToken()` call, as recorded in {@link TestAuthCalls}. */
export interface TokenRequest {
  /** Set when the app asked for a renewal now. */
  forceRefresh?: boolean
}

/** An `AuthClient` whose state the test drives. */
export interface TestAuthClient extends AuthClient {
  /** Replaces the given snapshot fields (a new frozen snapshot; subscribers are told). */
  set(state: TestAuthState): void
  /** Signed in as `user` (default `{ sub: 'test-user' }`): `status: 'authenticated'`, no error. */
  signIn(user?: Claims, options?: { idTokenClaims?: Claims; accessToken?: string }): void
  /** Signed out: `status: 'unauthenticated'`, no user; `error` when a sign-in failed. */
  signOut(error?: AuthError | null): void
  /** The provider ended the session: signed out with `ERR_SESSION_EXPIRED` (or the error given). */
  endSession(error?: AuthError): void
  /** Back to `status: 'loading'`, as before `start()` settles. */
  loading(): void
  /** Every login, logout and token request the app made. Nothing is sent anywhere. */
  readonly calls: TestAuthCalls
}

const DEFAULT_USER: Claims = Object.freeze({ sub: 'test-user' })

/**
 * An error that is an `AuthError` for the app (`instanceof AuthError`, `isAuthError(e, code)`:
 * core recognises the mark) without loading core.
 */
function authError(code: AuthErrorCode, message: string): AuthError {
  const error = Object.assign(new Error(message), { code })
  Object.defineProperty(error, 'name', { value: 'AuthError' })
  Object.defineProperty(error, Symbol.for('tokenkeep.AuthError'), { value: true })
  return error as AuthError
}

/**
 * Creates a test double of the auth client. `login()` and `logout()` are recorded in `calls` and
 * change nothing by themselves (a real login leaves the page): drive the state with `signIn()`,
 * `signOut()`, `endSession()`, `loading()` or `set()`. `logout()` shows `signingOut` and then
 * signed out, as a logout that does not leave the page. `getAccessToken()` resolves while signed
 * in and rejects with `ERR_LOGIN_REQUIRED` otherwise. `start()` changes nothing: the state is
 * the test's.
 *
 * @example
 * ```ts
 * const auth = createTestAuthClient({ status: 'authenticated', user: { sub: 'u1', name: 'Alice' } })
 * // React: render(<AuthProvider client={auth}><Profile /></AuthProvider>)
 * // Vue:   render(Profile, { global: { plugins: [createAuthPlugin(auth)] } })
 * auth.endSession() // React: inside act(); Vue: then await nextTick()
 * ```
 */
export function createTestAuthClient(options: TestAuthOptions = {}): TestAuthClient {
  const { accessToken: initialToken, idTokenClaims: initialClaims, ...state } = options
  let accessToken = initialToken ?? 'test-access-token'
  let idTokenClaims = initialClaims
  let snapshot: AuthSnapshot = Object.freeze({ status: 'loading', user: null, expiresAt: null, error: null, warning: null, appState: undefined })
  const listeners = new Set<() => void>()
  const calls = { login: [] as LoginOptions[], logout: [] as LogoutOptions[], getAccessToken: [] as TokenRequest[] }

  function set(next: TestAuthState): void {
    const merged: { -readonly [K in keyof AuthSnapshot]: AuthSnapshot[K] } = { ...snapshot, ...next }
    if (merged.status === 'authenticated') {
      merged.user ??= DEFAULT_USER
      merged.expiresAt ??= Date.now() + 3_600_000
    }
    snapshot = Object.freeze(merged)
    for (const listener of [...listeners]) listener()
  }

  async function token(request: TokenRequest): Promise<string> {
    calls.getAccessToken.push(request)
    if (snapshot.status !== 'authenticated') throw authError('ERR_LOGIN_REQUIRED', 'Nobody is signed in (test client)')
    return accessToken
  }

  const signedOut = (error: AuthError | null): TestAuthState => ({ status: 'unauthenticated', user: null, expiresAt: null, error, warning: null, appState: undefined })

  set(state)
  return {
    calls,
    set,
    signIn(user = DEFAULT_USER, signIn = {}) {
      if (signIn.accessToken !== undefined) accessToken = signIn.accessToken
      idTokenClaims = signIn.idTokenClaims
      set({ status: 'authenticated', user, expiresAt: Date.now() + 3_600_000, error: null, warning: null })
    },
    signOut: (error = null) => set(signedOut(error)),
    endSession: (error = authError('ERR_SESSION_EXPIRED', 'The provider ended the session (test client)')) => set(signedOut(error)),
    loading: () => set({ status: 'loading', user: null, expiresAt: null, error: null, warning: null }),
    start: async () => {},
    stop() {},
    async login(loginOptions = {}) {
      calls.login.push(loginOptions)
    },
    async logout(logoutOptions = {}) {
      calls.logout.push(logoutOptions)
      set({ status: 'signingOut', user: null, expiresAt: null, error: null, warning: null, appState: undefined })
      await Promise.resolve()
      set(signedOut(null))
    },
    getUser: () => snapshot.user,
    getIdTokenClaims: () => (snapshot.status === 'authenticated' ? (idTokenClaims ?? snapshot.user) : null),
    getAccessToken: (request = {}) => token(request),
    async getAuthHeaders(_url, request = {}): Promise<AuthHeaders> {
      return { authorization: `Bearer ${await token(request.forceRefresh ? { forceRefresh: true } : {})}` }
    },
    handleDPoPNonce: () => false,
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    getSnapshot: () => snapshot,
  }
}
