// `npm run demo`: the dev OpenID Provider and the demo app, one command, loopback only.
import { fileURLToPath } from 'node:url'
import { createServer } from 'vite'
import { startProvider } from './op/provider.mjs'

const host = '127.0.0.1'
const opPort = Number(process.env.TK_OP_PORT ?? 9080)
const appPort = Number(process.env.TK_DEMO_PORT ?? 5173)
const appOrigins = [`http://${host}:${appPort}`]

const op = await startProvider({ host, port: opPort, clientOrigins: appOrigins })
process.env.TK_ISSUER = op.issuer

const app = await createServer({
  configFile: fileURLToPath(new URL('./vite.config.ts', import.meta.url)),
  server: { host, port: appPort, strictPort: true },
})
await app.listen()

console.log(`
  tokenkeep demo
  ──────────────
  App:               http://${host}:${appPort}/   (also http://localhost:${appPort}/)
  OpenID Provider:   ${op.issuer}   (any username and password signs in)
  Access tokens live ${process.env.TK_ACCESS_TOKEN_TTL ?? 3600} s (set TK_ACCESS_TOKEN_TTL=60 to watch them renew).

  Press Ctrl-C to stop.
`)

const stop = async () => {
  await app.close()
  await op.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
