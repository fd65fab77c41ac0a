// A BroadcastChannel stand-in for unit tests. Node's own BroadcastChannel leaves `origin` empty,
// while browsers set it to the sender's origin; this one behaves like a browser and lets a test
// pretend to be another origin. Delivery is asynchronous (a microtask), as in a browser, and
// never to the sending object itself.
export class FakeBroadcastChannel {
  static readonly open = new Set<FakeBroadcastChannel>()
  /** Every message posted on any channel, in order, for assertions. */
  static readonly sent: { name: string; data: unknown }[] = []
  readonly #listeners = new Set<(event: MessageEvent) => void>()
  #closed = false

  constructor(
    readonly name: string,
    readonly origin: string = location.origin,
  ) {
    FakeBroadcastChannel.open.add(this)
  }

  postMessage(data: unknown): void {
    if (this.#closed) throw new DOMException('Channel is closed', 'InvalidStateError')
    FakeBroadcastChannel.sent.push({ name: this.name, data })
    const copy = structuredClone(data)
    for (const other of FakeBroadcastChannel.open) {
      if (other === this || other.name !== this.name) continue
      void Promise.resolve().then(() => other.#deliver(new MessageEvent('message', { data: copy, origin: this.origin })))
    }
  }

  addEventListener(_type: 'message', listener: (event: MessageEvent) => void): void {
    this.#listeners.add(listener)
  }

  removeEventListener(_type: 'message', listener: (event: MessageEvent) => void): void {
    this.#listeners.delete(listener)
  }

  close(): void {
    this.#closed = true
    FakeBroadcastChannel.open.delete(this)
  }

  #deliver(event: MessageEvent): void {
    if (this.#closed) return
    for (const l of [...this.#listeners]) l(event)
  }

  static reset(): void {
    FakeBroadcastChannel.open.clear()
    FakeBroadcastChannel.sent.length = 0
  }
}
