import { Home, Orders, Spinner } from '../support/pages'
// ---cut---
import { AuthProvider, RequireAuth } from '@tokenkeep/react'
import { StrictMode, type ReactNode } from 'react'
import { createRoot } from 'react-dom/client'
import { BrowserRouter, Route, Routes, useNavigate } from 'react-router'
import { auth } from './auth'

function Auth({ children }: { children: ReactNode }) {
  const navigate = useNavigate()
  // After the callback, start() restores the page the login began on; tell the router.
  return (
    <AuthProvider client={auth} onNavigate={(path) => navigate(path, { replace: true })}>
      {children}
    </AuthProvider>
  )
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <Auth>
        <Routes>
          <Route path="/" element={<Home />} />
          {/* the redirect URI: AuthProvider finishes the login here and moves on */}
          <Route path="/callback" element={<Spinner />} />
          <Route
            path="/orders/*"
            element={
              <RequireAuth fallback={<Spinner />}>
                <Orders />
              </RequireAuth>
            }
          />
        </Routes>
      </Auth>
    </BrowserRouter>
  </StrictMode>,
)
