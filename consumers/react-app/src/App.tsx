import type { AuthClient } from '@tokenkeep/core'
import { AuthProvider, RequireAuth, useAuth } from '@tokenkeep/react'
import { Link, Route, Routes, useLocation } from 'react-router'

function Home() {
  const { status, user, login, logout } = useAuth()
  if (status === 'loading') return <p data-testid="status">Loading…</p>
  return (
    <section>
      <p data-testid="status">{user ? `Signed in as ${String(user.name)}` : 'Signed out'}</p>
      {user ? <button onClick={() => void logout()}>Log out</button> : <button onClick={() => void login()}>Log in</button>}
    </section>
  )
}

function Orders() {
  const { user, logout } = useAuth()
  const here = useLocation()
  return (
    <section>
      <h1 data-testid="orders">Orders of {String(user?.name)}</h1>
      <p data-testid="where">{here.pathname + here.search + here.hash}</p>
      <button onClick={() => void logout()}>Log out</button>
    </section>
  )
}

/** The whole app below a router: BrowserRouter in the browser, StaticRouter on the server. */
export function App({ auth }: { auth: AuthClient }) {
  return (
    <AuthProvider client={auth}>
      <nav>
        <Link to="/">Home</Link> <Link to="/orders?tab=open#latest">Orders</Link>
      </nav>
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/callback" element={<p>Signing in…</p>} />
        <Route
          path="/orders"
          element={
            <RequireAuth fallback={<p data-testid="wait">Loading…</p>}>
              <Orders />
            </RequireAuth>
          }
        />
      </Routes>
    </AuthProvider>
  )
}
