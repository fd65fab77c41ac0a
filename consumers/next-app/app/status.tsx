'use client'
import { RequireAuth, useAuth } from '@tokenkeep/react'

/** Who is signed in, with the buttons to change it. */
export function Status() {
  const { status, user, login, logout } = useAuth()
  if (status === 'loading') return <p data-testid="status">Loading…</p>
  return user ? (
    <button onClick={() => void logout()}>Log out {String(user.name)}</button>
  ) : (
    <button onClick={() => void login()}>Log in</button>
  )
}

/** A page only a signed-in user sees. */
export function Orders() {
  return (
    <RequireAuth fallback={<p data-testid="wait">Loading…</p>}>
      <OrdersOf />
    </RequireAuth>
  )
}

function OrdersOf() {
  const { user } = useAuth()
  return <h1 data-testid="orders">Orders of {String(user?.name)}</h1>
}
