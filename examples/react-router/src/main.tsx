import { AuthProvider } from '@tokenkeep/react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { BrowserRouter } from 'react-router'
import { App } from './App'
import { auth } from './auth'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter basename={import.meta.env.BASE_URL}>
      <AuthProvider client={auth}>
        <App />
      </AuthProvider>
    </BrowserRouter>
  </StrictMode>,
)
