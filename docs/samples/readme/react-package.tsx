import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { Home, Orders } from '../support/pages'
declare const root: HTMLElement
// ---cut---
import { createAuthClient } from '@tokenkeep/core'
import { AuthProvider, RequireAuth, useAuth } from '@tokenkeep/react'
import { BrowserRouter, Route, Routes } from 'react-router'

const auth = createAuthClient({ issuer: 'https://id.example.com', clientId: 'my-spa', redirectUri: `${location.origin}/callback` })

// ID tokens may carry only `sub` (some providers keep the profile for userinfo).
const nameOf = (user: Record<string, unknown>) => String(user.name ?? user.preferred_username ?? user.email ?? user.sub)

function Profile() {
  const { status, user, login, logout } = useAuth()
  if (status === 'loading') return <p>Loading…</p>
  if (status === 'signingOut') return <p>Signing out…</p>
  return user ? <button onClick={() => logout()}>Log out {nameOf(user)}</button> : <button onClick={() => login()}>Log in</button>
}

/** What RequireAuth shows instead of the page: loading, signing out, signed out, or a failed sign-in. */
function SignInNeeded() {
  const { status, error, login } = useAuth()
  if (status === 'loading') return <p>Loading…</p>
  if (status === 'signingOut') return <p>Signing out…</p>
  return <button onClick={() => login()}>{error ? `Sign-in failed (${error.code}): try again` : 'Log in'}</button>
}

createRoot(root).render(
  <StrictMode><BrowserRouter><AuthProvider client={auth}>
    <Profile />
    <Routes>
      <Route path="/" element={<Home />} />
      <Route path="/callback" element={<p>Signing you in…</p>} />
      <Route path="/orders/*" element={<RequireAuth fallback={<SignInNeeded />}><Orders /></RequireAuth>} />
    </Routes>
  </AuthProvider></BrowserRouter></StrictMode>,
)
