import { StrictMode } from 'react'
import { renderToString } from 'react-dom/server'
import { StaticRouter } from 'react-router'
import { App } from './App'
import { createAppAuth } from './auth'

/** Renders the page at `url` on the server, as an SSR framework would. */
export function render(url: string, origin: string): string {
  const auth = createAppAuth(origin)
  return renderToString(
    <StrictMode>
      <StaticRouter location={url}>
        <App auth={auth} />
      </StaticRouter>
    </StrictMode>,
  )
}
