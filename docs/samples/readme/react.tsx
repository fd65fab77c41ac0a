import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { auth } from '../support/auth'
import { Home, Orders, SignInNeeded } from '../support/pages'
declare const root: HTMLElement
// ---cut---
import { AuthProvider, RequireAuth, useAuth } from '@tokenkeep/react'
import { BrowserRouter, Route, Routes } from 'react-router'

// ID tokens may carry only `sub` (some providers keep the profile for userinfo): never count on `name`.
const nameOf = (user: Record<string, unknown>) => String(user.name ?? user.preferred_username ?? user.email ?? user.sub)

function Profile() {
  const { status, user, login, logout } = useAuth()        // useSyncExternalStore over the snapshot
  if (status === 'loading') return <p>Loading…</p>
  if (status === 'signingOut') return <p>Signing out…</p>
  return user ? <button onClick={() => logout()}>Log out {nameOf(user)}</button>
              : <button onClick={() => login()}>Log in</button>
}
createRoot(root).render(
  <StrictMode><BrowserRouter><AuthProvider client={auth}>
    <Profile />
    <Routes>
      <Route path="/" element={<Home />} />
      <Route path="/callback" element={<p>Signing you in…</p>} />   {/* the redirect URI */}
      <Route path="/orders/*" element={<RequireAuth fallback={<SignInNeeded />}><Orders /></RequireAuth>} />
    </Routes>
  </AuthProvider></BrowserRouter></StrictMode>,
)
