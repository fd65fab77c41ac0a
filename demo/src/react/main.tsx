import { AuthProvider } from '@tokenkeep/react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createDemoClient } from '../shared/demoClient'
import { App } from './App'

// Created once, outside React: the provider starts it, StrictMode or not.
const auth = createDemoClient('/react.html')

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AuthProvider client={auth}>
      <App />
    </AuthProvider>
  </StrictMode>,
)
