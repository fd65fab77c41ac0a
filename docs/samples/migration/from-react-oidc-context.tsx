import { Spinner } from '../support/pages'
// ---cut---
import { AuthProvider, RequireAuth, useAuth } from '@tokenkeep/react'
import { createRoot } from 'react-dom/client'
import { auth } from './auth'

function Profile() {
  // const { isLoading, isAuthenticated, user, signinRedirect, signoutRedirect } = useAuth()
  const { status, isAuthenticated, user, login, logout } = useAuth()
  if (status === 'loading') return <Spinner />
  return isAuthenticated ? (
    <button onClick={() => logout()}>Log out {String(user?.name ?? user?.sub)}</button>
  ) : (
    <button onClick={() => login()}>Log in</button>
  )
}

// <AuthProvider {...oidcConfig} onSigninCallback={...}>: the client is created once, outside,
// and the callback's code/state leave the address bar without an onSigninCallback.
createRoot(document.getElementById('root')!).render(
  <AuthProvider client={auth}>
    <Profile />
    {/* withAuthenticationRequired(Orders) */}
    <RequireAuth fallback={<Spinner />}>
      <p>Orders</p>
    </RequireAuth>
  </AuthProvider>,
)
