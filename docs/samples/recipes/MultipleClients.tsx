import { backOffice, shop } from './multiple-clients'
// ---cut---
import { AuthProvider, useAuth } from '@tokenkeep/react'

// One AuthProvider per client; useAuth() reads the nearest one.
function Admin() {
  const { user, login } = useAuth() // the back-office client: the nearest provider
  return user ? <p>Admin: {String(user.name ?? user.sub)}</p> : <button onClick={() => login()}>Admin sign-in</button>
}

export function App() {
  return (
    <AuthProvider client={shop}>
      {/* ...the shop, where useAuth() is the shop client... */}
      <AuthProvider client={backOffice}>
        <Admin />
      </AuthProvider>
    </AuthProvider>
  )
}
