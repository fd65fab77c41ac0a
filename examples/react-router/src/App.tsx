import { RequireAuth, useAuth } from '@tokenkeep/react'
import { useState, type ReactNode } from 'react'
import { Link, Route, Routes, useLocation } from 'react-router'
import { displayName } from './auth'

/**
 * What a page does when the provider ends the session: keep it with a prompt (the default), or
 * go to the provider at once ('login', set in localStorage 'tk-example-on-session-end' to try it).
 */
const onSessionEnd = localStorage.getItem('tk-example-on-session-end') === 'login' ? 'login' : 'keep'

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
            <RequireAuth fallback={<SignInNeeded />} sessionEnded={<SessionEnded />} onSessionEnd={onSessionEnd}>
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

/** The protected page, with a note the user is writing (kept if the session ends meanwhile). */
function Orders(): ReactNode {
  const { user, ended } = useAuth()
  const where = useLocation()
  const [note, setNote] = useState('')
  return (
    <section data-testid="protected">
      <h2>Orders of {displayName(user ?? ended?.user ?? {})}</h2>
      <p data-testid="location">{where.pathname + where.search + where.hash}</p>
      <textarea data-testid="note" aria-label="Note" value={note} onChange={(e) => setNote(e.target.value)} />
    </section>
  )
}

/**
 * Shown over the kept page when the provider ended the session: sign in again in a popup and
 * carry on where you were (nothing typed is lost).
 */
function SessionEnded(): ReactNode {
  const { ended, login } = useAuth()
  return (
    <div role="alert" data-testid="session-ended">
      <p>{displayName(ended?.user ?? {})}, you were signed out. Sign in again to carry on; what you typed is still here.</p>
      {/* No await before login(): the popup has to open inside the click. */}
      <button data-testid="sign-in-again" type="button" onClick={() => void login({ popup: true }).catch(() => {})}>
        Sign in again
      </button>
    </div>
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
