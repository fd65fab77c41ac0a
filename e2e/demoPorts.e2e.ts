// `npm run demo` on a machine where a port is taken: one clear line naming the variable to set,
// not a stack trace (regression: it died with a raw EADDRINUSE, or Vite's message naming neither).
import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'

const start = fileURLToPath(new URL('../demo/start.mjs', import.meta.url))
const held: Server[] = []
afterEach(() => {
  for (const s of held.splice(0)) s.close()
})

/** Takes a free loopback port and keeps it, as another program would. */
function holdPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      held.push(server)
      resolve((server.address() as { port: number }).port)
    })
  })
}

function runDemo(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [start], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    let stdout = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d))
    child.stdout.on('data', (d: Buffer) => (stdout += d))
    // Should the demo start after all, stop it (by its own pid) rather than leave it running.
    const timer = setTimeout(() => child.kill('SIGTERM'), 30_000)
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stderr, stdout })
    })
  })
}

describe('npm run demo with a busy port', () => {
  it('the provider port taken: exits 1 naming TK_OP_PORT, no stack trace', async () => {
    const port = await holdPort()
    const { code, stderr } = await runDemo({ TK_OP_PORT: String(port) })
    expect(code).toBe(1)
    expect(stderr).toContain(`port ${port}`)
    expect(stderr).toContain('already in use')
    expect(stderr).toContain('TK_OP_PORT=')
    expect(stderr).not.toMatch(/\n\s+at /) // no stack frames
    expect(stderr).not.toContain('EADDRINUSE')
  })

  it('the app port taken: exits 1 naming TK_DEMO_PORT, no stack trace', async () => {
    const port = await holdPort()
    const opPort = await holdPort()
    held.pop()!.close() // free again, for the provider to take
    const { code, stderr } = await runDemo({ TK_OP_PORT: String(opPort), TK_DEMO_PORT: String(port) })
    expect(code).toBe(1)
    expect(stderr).toContain(`port ${port}`)
    expect(stderr).toContain('TK_DEMO_PORT=')
    expect(stderr).not.toMatch(/\n\s+at /)
  })
})
