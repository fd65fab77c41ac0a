// A provider of the test file's own (the resource server reads its token store), the e2e resource
// server, and the demo built against both, on free loopback ports: the set-up of the suites that
// call an API with the demo (DPoP, step-up).
// @ts-expect-error plain ESM module without types
import { freePort, startProvider } from '../../demo/op/provider.mjs'
import { serveDemo } from './demoApp'
import { startDPoPResourceServer, type DPoPResourceServer, type TokenStore } from './dpopResourceServer'

export interface ApiApp {
  readonly op: { issuer: string; provider: TokenStore; close(): Promise<void> }
  readonly rs: DPoPResourceServer
  readonly appUrl: string
  /** Stops the demo, the resource server and the provider. */
  close(): Promise<void>
}

export async function startApiApp(): Promise<ApiApp> {
  const host = '127.0.0.1'
  const appUrl = `http://${host}:${await freePort(host)}`
  const op = await startProvider({ host, clientOrigins: [appUrl], quiet: true })
  const rs = await startDPoPResourceServer(op.provider, [appUrl])
  const app = await serveDemo(op.issuer, appUrl)
  return {
    op,
    rs,
    appUrl,
    async close() {
      await app.close()
      await rs.close()
      await op.close()
    },
  }
}
