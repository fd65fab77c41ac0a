import { RequireAuth, useAuth } from '@tokenkeep/react'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { callUserinfo, secondsLeft, tokenPreview } from '../shared/demoClient'

/** `#/account` is the protected page; anything else is home. Enough routing for a demo. */
function useHashRoute(): string {
  const [hash, setHash] = useState(() => location.hash)
  useEffect(() => {
    const update = () => setHash(location.hash)
    // popstate too: AuthProvider announces with it that a login brought the user back to #/account.
    addEventListener('hashchange', update)
    addEventListener('popstate', update)
    return () => {
      removeEventListener('hashchange', update)
      removeEventListener('popstate', update)
    }
  }, [])
  return hash === '#/account' ? 'account' : 'home'
}

export function App(): ReactNode {
  const route = useHashRoute()
  return (
    <main>
      <header>
        <h1>tokenkeep + React</h1>
        <p className="muted">
          <code>AuthProvider</code>, <code>useAuth()</code> and <code>RequireAuth</code> from @tokenkeep/react.{' '}
          <a href="#/">Home</a> · <a href="#/account">Account (protected)</a> · <a href="/">vanilla demo</a> · <a href="/vue.html">Vue demo</a>
        </p>
      </header>
      <Session />
      <Draft />
      {route === 'account' ? (
        <RequireAuth fallback={<p className="card" data-testid="guard">Signing you in…</p>}>
          <Account />
        </RequireAuth>
      ) : (
        <p className="card muted">Open “Account” to see RequireAuth send you to the provider and back.</p>
      )}
    </main>
  )
}

/** Who is signed in, the token's remaining lifetime, and the buttons. */
function Session(): ReactNode {
  const { status, user, error, expiresAt, login, logout, getAccessToken } = useAuth()
  const now = useNow()
  const renewals = useRenewals(expiresAt)
  const [tokenInfo, setTokenInfo] = useState('')
  const signedIn = status === 'authenticated'
  const renew = async () => {
    try {
      setTokenInfo(tokenPreview(await getAccessToken({ forceRefresh: true })))
    } catch (e) {
      setTokenInfo((e as { code?: string }).code ?? String(e))
    }
  }
  return (
    <>
      <section className="card">
        <Row label="Status"><strong data-testid="status">{status}</strong></Row>
        <Row label="Name"><span data-testid="user-name">{String(user?.name ?? '')}</span></Row>
        <Row label="Email"><span data-testid="user-email">{String(user?.email ?? '')}</span></Row>
        <Row label="Token expires in">
          <span data-testid="expires-in">{secondsLeft(expiresAt, now)}</span> s{' '}
          <span className="muted">(renewed <span data-testid="renewals">{renewals}</span>×)</span>
        </Row>
        <Row label="Access token"><code data-testid="token-info">{tokenInfo}</code></Row>
        {error && (
          <div className="error" data-testid="error">
            <code data-testid="error-code">{error.code}</code> {error.message}
          </div>
        )}
      </section>
      <section className="actions">
        <button data-testid="login" type="button" disabled={status !== 'unauthenticated' && status !== 'error'} onClick={() => void login()}>
          Log in
        </button>
        {/* No await before login(): the popup must open inside the click. Errors show on the snapshot too. */}
        <button
          data-testid="login-popup"
          type="button"
          disabled={status !== 'unauthenticated' && status !== 'error'}
          onClick={() => void login({ popup: true }).catch(() => {})}
        >
          Log in with popup
        </button>
        <button data-testid="renew" type="button" disabled={!signedIn} onClick={() => void renew()}>Renew token now</button>
        <button data-testid="logout" type="button" disabled={!signedIn} onClick={() => void logout()}>Log out</button>
      </section>
    </>
  )
}

/**
 * App state through login: a draft typed while signed out survives the trip to the provider in
 * the login transaction (never in the URL) and comes back on the snapshot as `appState`.
 */
function Draft(): ReactNode {
  const { appState, status, login } = useAuth()
  const [draft, setDraft] = useState('')
  const restored = (appState as { draft?: string } | undefined)?.draft
  // appState keeps its identity until the next sign-in: this runs once per sign-in.
  useEffect(() => {
    if (restored !== undefined) setDraft(restored)
  }, [restored])
  return (
    <section className="card">
      <Row label="Draft">
        <input data-testid="draft" value={draft} onChange={(e) => setDraft(e.target.value)} aria-label="Draft" />{' '}
        <button data-testid="login-with-draft" type="button" disabled={status === 'authenticated'} onClick={() => void login({ appState: { draft } })}>
          Log in to keep it
        </button>
      </Row>
      <Row label="Restored from appState"><code data-testid="restored-draft">{restored ?? ''}</code></Row>
    </section>
  )
}

/** The protected page: the user's claims and a call to the provider's userinfo API. */
function Account(): ReactNode {
  const { user, getAccessToken } = useAuth()
  const [result, setResult] = useState('')
  const callApi = async () => {
    try {
      setResult(await callUserinfo(await getAccessToken()))
    } catch (e) {
      setResult((e as { code?: string }).code ?? String(e))
    }
  }
  return (
    <section className="card" data-testid="account">
      <h2>Account</h2>
      <Row label="ID token claims"><code data-testid="claims">{JSON.stringify(user)}</code></Row>
      <Row label="userinfo"><code data-testid="api-result">{result}</code></Row>
      <button data-testid="call-api" type="button" onClick={() => void callApi()}>Call userinfo</button>
    </section>
  )
}

function Row({ label, children }: { label: string; children: ReactNode }): ReactNode {
  return (
    <div className="row">
      <span className="label">{label}</span>
      <span>{children}</span>
    </div>
  )
}

/** The clock, ticking once a second, for the countdown. */
function useNow(): number {
  const [now, setNow] = useState(Date.now)
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [])
  return now
}

/** How often the expiry moved forward while signed in: each is a renewal (refresh grant). */
function useRenewals(expiresAt: number | null): number {
  const [count, setCount] = useState(0)
  const last = useRef(expiresAt)
  useEffect(() => {
    if (last.current !== null && expiresAt !== null && expiresAt > last.current) setCount((c) => c + 1)
    last.current = expiresAt
  }, [expiresAt])
  return count
}
