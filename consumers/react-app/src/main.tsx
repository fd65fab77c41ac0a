import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { BrowserRouter } from 'react-router'
import { App } from './App'
import { createAppAuth } from './auth'

const auth = createAppAuth(location.origin)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <App auth={auth} />
    </BrowserRouter>
  </StrictMode>,
)
