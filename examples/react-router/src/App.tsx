import { RequireAuth, useAuth } from '@tokenkeep/react'
import type { ReactNode } from 'react'
import { Link, Route, Routes, useLocation } from 'react-router'
import { displayName } from './auth'

export function App(): ReactNode {
  return (
    <main>
      <nav>
        <Link to="/">Home</Link> · <Link to="/orders/7?tab=items#total">Orders (protected)</Link>
      </nav>
      <Account />
      <Routes>
        <Route path="/" element={<p data-testid="home">Welcome. Orders are for signed-in users.</p>} />
        {/* The redirect URI: start() finishes the login here and moves on to where it began. */}
        <Route path="/callback" element={<Callback />} />
        <Route
          path="/orders/:id?"
          element={
            <RequireAuth fallback={<SignInNeeded />}>
              <Orders />
            </RequireAuth>
          }
        />
      </Routes>
    </main>
  )
}

/** Who is signed in, and the buttons. */
function Account(): ReactNode {
  const { status, user, error, warning, login, logout } = useAuth()
  return (
    <header>
      <p>
        Status: <strong data-testid="status">{status}</strong>
        {user && (
          <>
            {' '}as <span data-testid="user-name">{displayName(user)}</span>
          </>
        )}
      </p>
      {/* error: a sign-in failed or the session ended. warning: a renewal is retried, nothing lost. */}
      {error && <p data-testid="error-code">{error.code}</p>}
      {warning && <p data-testid="warning">Reconnecting to the sign-in service… ({warning.code})</p>}
      {user ? (
        <button data-testid="logout" type="button" onClick={() => void logout()}>
          Log out {displayName(user)}
        </button>
      ) : (
        <>
          <button data-testid="login" type="button" disabled={status === 'loading' || status === 'signingOut'} onClick={() => void login()}>
            Log in
          </button>{' '}
          {/* No await before login(): the popup has to open inside the click. */}
          <button
            data-testid="login-popup"
            type="button"
            disabled={status === 'loading' || status === 'signingOut'}
            onClick={() => void login({ popup: true }).catch(() => {})}
          >
            Log in with a popup
          </button>
        </>
      )}
    </header>
  )
}

/** The protected page. */
function Orders(): ReactNode {
  const { user } = useAuth()
  const where = useLocation()
  return (
    <section data-testid="protected">
      <h2>Orders of {displayName(user ?? {})}</h2>
      <p data-testid="location">{where.pathname + where.search + where.hash}</p>
    </section>
  )
}

/** What RequireAuth shows instead of the protected page. */
function SignInNeeded(): ReactNode {
  const { status, error, login } = useAuth()
  if (status === 'loading') return <p data-testid="fallback">Loading…</p>
  if (status === 'signingOut') return <p data-testid="fallback">Signing out…</p>
  return (
    <section data-testid="fallback">
      <p>{error ? `Sign-in did not work (${error.code}).` : 'This page is for signed-in users.'}</p>
      <button data-testid="fallback-login" type="button" onClick={() => void login()}>
        {error ? 'Try again' : 'Log in'}
      </button>
    </section>
  )
}

/** Shown only while start() finishes the login, or when the answer matched no login of this browser. */
function Callback(): ReactNode {
  const { status, error } = useAuth()
  if (status === 'loading') return <p data-testid="callback">Signing you in…</p>
  return (
    <section data-testid="callback">
      <p>{error ? `Sign-in did not work (${error.code}).` : 'Signed in.'}</p>
      <Link to="/">Home</Link>
    </section>
  )
}
