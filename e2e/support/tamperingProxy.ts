// A small tampering proxy (node:http on loopback) that sits at the provider's public address and
// forwards everything to the real provider, keeping the Host header (oidc-provider builds its
// URLs from it). Tests register rules that rewrite a response before the browser sees it: the
// redirect back to the app, the discovery document, the token endpoint's JSON, the ID token.
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** The request as the browser sent it: method and URL on the proxy's (the issuer's) origin. */
export interface ProxiedRequest {
  readonly method: string
  readonly url: URL
}

/** A response on its way back to the browser; a rule returns the one to send instead. */
export interface ProxiedResponse {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

export interface TamperRule {
  /** Looked at with the response head only; bodies are buffered just for matching rules. */
  when(req: ProxiedRequest, res: { status: number; headers: IncomingHttpHeaders }): boolean
  rewrite(res: ProxiedResponse, req: ProxiedRequest): ProxiedResponse | Promise<ProxiedResponse>
  /** How many responses the rule rewrites before it retires. Default: every one. */
  times?: number
}

export interface TamperingProxy {
  /** The proxy's origin: the issuer the app and the provider both use. */
  readonly url: string
  /** Adds a rule; rules apply in order, each to the output of the one before. */
  tamper(rule: TamperRule): void
  /** Removes every rule: the proxy forwards untouched again. */
  clear(): void
  close(): Promise<void>
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding']

export async function startTamperingProxy(options: { host: string; port: number; target: { host: string; port: number } }): Promise<TamperingProxy> {
  const rules: (TamperRule & { left: number })[] = []

  const server: Server = createServer((inbound, outbound) => {
    const req: ProxiedRequest = { method: inbound.method ?? 'GET', url: new URL(inbound.url ?? '/', `http://${options.host}:${options.port}`) }
    const upstream = request(
      { host: options.target.host, port: options.target.port, method: inbound.method, path: inbound.url, headers: inbound.headers },
      async (answer) => {
        const head = { status: answer.statusCode ?? 502, headers: answer.headers }
        const matching = rules.filter((r) => r.left > 0 && r.when(req, head))
        if (matching.length === 0) {
          outbound.writeHead(head.status, answer.headers)
          answer.pipe(outbound)
          return
        }
        const chunks: Buffer[] = []
        for await (const chunk of answer) chunks.push(chunk as Buffer)
        let res: ProxiedResponse = { status: head.status, headers: { ...answer.headers }, body: Buffer.concat(chunks) }
        try {
          for (const rule of matching) {
            rule.left -= 1
            res = await rule.rewrite(res, req)
          }
        } catch (e) {
          res = { status: 599, headers: { 'content-type': 'text/plain' }, body: Buffer.from(`tampering rule failed: ${String(e)}`) }
        }
        const headers = { ...res.headers }
        for (const h of HOP_BY_HOP) delete headers[h]
        headers['content-length'] = String(res.body.length)
        outbound.writeHead(res.status, headers)
        outbound.end(res.body)
      },
    )
    upstream.on('error', () => {
      if (!outbound.headersSent) outbound.writeHead(502)
      outbound.end()
    })
    inbound.pipe(upstream)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, resolve)
  })
  const { port } = server.address() as AddressInfo

  return {
    url: `http://${options.host}:${port}`,
    tamper(rule) {
      rules.push({ ...rule, left: rule.times ?? Number.POSITIVE_INFINITY })
    },
    clear() {
      rules.length = 0
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

// --- rules the negative suite uses ------------------------------------------------------------

/** Rewrites the query of the provider's redirect back to `callbackUrl` (the authorization response). */
export function rewriteAuthorizationResponse(callbackUrl: string, edit: (params: URLSearchParams) => void, times = 1): TamperRule {
  return {
    times,
    when: (_req, res) => typeof res.headers.location === 'string' && res.headers.location.startsWith(callbackUrl),
    rewrite(res) {
      const location = new URL(res.headers.location as string)
      edit(location.searchParams)
      return { ...res, headers: { ...res.headers, location: location.href } }
    },
  }
}

/** Rewrites the discovery document (every time it is fetched). */
export function rewriteMetadata(edit: (metadata: Record<string, unknown>) => void): TamperRule {
  return {
    when: (req, res) => req.url.pathname === '/.well-known/openid-configuration' && res.status === 200,
    rewrite(res) {
      const metadata = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>
      edit(metadata)
      return { ...res, body: Buffer.from(JSON.stringify(metadata)) }
    },
  }
}

/** Rewrites the JSON of a successful token endpoint response (once by default). */
export function rewriteTokenResponse(
  edit: (body: Record<string, unknown>, req: ProxiedRequest) => Record<string, unknown> | Promise<Record<string, unknown>>,
  times = 1,
): TamperRule {
  return {
    times,
    when: (req, res) => req.method === 'POST' && req.url.pathname === '/token' && res.status === 200,
    async rewrite(res, req) {
      const body = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>
      return { ...res, body: Buffer.from(JSON.stringify(await edit(body, req))) }
    },
  }
}
