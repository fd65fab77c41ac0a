// src/main.tsx, the whole app (Vite's react-ts template; npm i react-router @tokenkeep/core @tokenkeep/react)
import { createAuthClient } from '@tokenkeep/core'
import { AuthProvider, RequireAuth, useAuth } from '@tokenkeep/react'
import { StrictMode, useEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { BrowserRouter, Link, Route, Routes } from 'react-router'

const auth = createAuthClient({
  issuer: 'https://sso.example.com/realms/shop', // your provider's issuer
  clientId: 'shop-spa',
  redirectUri: `${location.origin}/callback`,
  postLogoutRedirectUri: `${location.origin}/`,
})

function Header() {
  const { status, user, login, logout } = useAuth()
  if (status === 'loading' || status === 'signingOut') return <p>…</p>
  if (!user) return <button onClick={() => login()}>Log in</button>
  return <p>{String(user.name ?? user.sub)} <button onClick={() => logout()}>Log out</button></p>
}

function Orders() {
  const { getAccessToken } = useAuth()
  const [orders, setOrders] = useState('')
  useEffect(() => void getAccessToken() // a fresh token, renewed before it expires
    .then((token) => fetch('/api/orders', { headers: { Authorization: `Bearer ${token}` } }))
    .then((response) => response.text()).then(setOrders, (e) => setOrders(String(e))), [getAccessToken])
  return <pre>{orders}</pre>
}

createRoot(document.getElementById('root')!).render(
  <StrictMode><BrowserRouter><AuthProvider client={auth}>
    <Header /><nav><Link to="/">Home</Link> <Link to="/orders">Orders</Link></nav>
    <Routes>
      <Route path="/" element={<p>Welcome</p>} />
      <Route path="/callback" element={<p>Signing you in…</p>} />
      <Route path="/orders" element={<RequireAuth fallback={<p>Signed out</p>}><Orders /></RequireAuth>} />
    </Routes>
  </AuthProvider></BrowserRouter></StrictMode>,
)
