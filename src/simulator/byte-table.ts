/** A hash table's empty slots. */
const emptySlots = <E>(n: number): Array<E | undefined> => Array.from<E | undefined>({length: n})

/** Past this many distinct entries (a hostile log), new ones are not remembered and are decoded every time. */
const TABLE_LIMIT = 1 << 16

class Entry<T> {
  readonly view: DataView

  constructor(
    readonly hash: number,
    readonly length: number,
    readonly bytes: Buffer,
    readonly value: T,
    readonly next: Entry<T> | undefined,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, length)
  }
}

/**
 * Values by the bytes that spell them: a hash over 4-byte words picks a slot and a
 * word-by-word comparison confirms the entry, so a key id or route seen before costs
 * no string. The caller passes a DataView over the same buffer.
 */
export class ByteTable<T> {
  private slots: Array<Entry<T> | undefined> = emptySlots(1024)
  private size = 0

  get(buf: Uint8Array, view: DataView, start: number, end: number): T | undefined {
    const length = end - start
    const h = hash(buf, view, start, end)
    for (let e = this.slots[h & (this.slots.length - 1)]; e !== undefined; e = e.next) {
      if (e.hash !== h || e.length !== length) continue
      let i = 0
      while (i + 4 <= length && e.view.getInt32(i, true) === view.getInt32(start + i, true)) i += 4
      while (i < length && e.bytes[i] === buf[start + i]) i++
      if (i === length) return e.value
    }

    return undefined
  }

  set(buf: Uint8Array, view: DataView, start: number, end: number, value: T): void {
    if (this.size >= TABLE_LIMIT) return
    if (++this.size > this.slots.length >> 1) this.grow()
    const h = hash(buf, view, start, end)
    const slot = h & (this.slots.length - 1)
    this.slots[slot] = new Entry(h, end - start, Buffer.from(buf.subarray(start, end)), value, this.slots[slot])
  }

  private grow(): void {
    const old = this.slots
    this.slots = emptySlots(old.length * 2)
    const mask = this.slots.length - 1
    for (let e of old) {
      for (; e !== undefined; e = e.next) this.slots[e.hash & mask] = new Entry(e.hash, e.length, e.bytes, e.value, this.slots[e.hash & mask])
    }
  }
}

/**
 * A hash of at most three 4-byte words (first, middle, last) and the length: ids,
 * routes and response types differ there, and the entry is compared in full anyway.
 */
function hash(buf: Uint8Array, view: DataView, start: number, end: number): number {
  const n = end - start
  if (n < 4) {
    let h = n
    for (let i = start; i < end; i++) h = Math.imul(h, 31) + buf[i]
    return h ^ (h >>> 15)
  }

  let h = Math.imul(n, 0x9e_37_79_b1) + view.getInt32(start, true)
  h = Math.imul(h, 0x9e_37_79_b1) + view.getInt32(start + ((n - 4) >> 1), true)
  h = Math.imul(h, 0x9e_37_79_b1) + view.getInt32(end - 4, true)
  // Math.imul and ^ keep every step a 32-bit integer.
  return h ^ (h >>> 15)
}

/** A route's four fields: start and end of each in the line, start -1 for a field the line does not have. */
export type RouteSpans = Int32Array

class RouteEntry<T> {
  constructor(
    readonly hash: number,
    /** The four fields' lengths (-1 for absent) and bytes, one after another. */
    readonly lengths: Int32Array,
    readonly bytes: Buffer,
    readonly value: T,
    readonly next: RouteEntry<T> | undefined,
  ) {}
}

/**
 * Values (routes) by the bytes of four fields of a line at once: one hash over the
 * four, one comparison, instead of a string and a lookup per field.
 */
export class RouteTable<T> {
  private slots: Array<RouteEntry<T> | undefined> = emptySlots(1024)
  private size = 0

  get(buf: Uint8Array, view: DataView, spans: RouteSpans): T | undefined {
    const h = routeHash(buf, view, spans)
    for (let e = this.slots[h & (this.slots.length - 1)]; e !== undefined; e = e.next) {
      if (e.hash === h && sameRoute(e, buf, spans)) return e.value
    }

    return undefined
  }

  set(buf: Uint8Array, view: DataView, spans: RouteSpans, value: T): void {
    if (this.size >= TABLE_LIMIT) return
    if (++this.size > this.slots.length >> 1) this.grow()
    const h = routeHash(buf, view, spans)
    const lengths = new Int32Array(4)
    const parts: Buffer[] = []
    for (let f = 0; f < 4; f++) {
      const start = spans[2 * f]
      lengths[f] = start < 0 ? -1 : spans[2 * f + 1] - start
      if (start >= 0) parts.push(Buffer.from(buf.subarray(start, spans[2 * f + 1])))
    }

    const slot = h & (this.slots.length - 1)
    this.slots[slot] = new RouteEntry(h, lengths, Buffer.concat(parts), value, this.slots[slot])
  }

  private grow(): void {
    const old = this.slots
    this.slots = emptySlots(old.length * 2)
    const mask = this.slots.length - 1
    for (let e of old) {
      for (; e !== undefined; e = e.next) this.slots[e.hash & mask] = new RouteEntry(e.hash, e.lengths, e.bytes, e.value, this.slots[e.hash & mask])
    }
  }
}

function routeHash(buf: Uint8Array, view: DataView, spans: RouteSpans): number {
  let h = 0
  for (let f = 0; f < 4; f++) {
    const start = spans[2 * f]
    h = Math.imul(h, 0x01_00_01_93) + (start < 0 ? -1 : hash(buf, view, start, spans[2 * f + 1]))
  }

  return h ^ (h >>> 16)
}

function sameRoute<T>(e: RouteEntry<T>, buf: Uint8Array, spans: RouteSpans): boolean {
  let at = 0
  for (let f = 0; f < 4; f++) {
    const start = spans[2 * f]
    const length = start < 0 ? -1 : spans[2 * f + 1] - start
    if (length !== e.lengths[f]) return false
    for (let i = 0; i < length; i++) if (e.bytes[at + i] !== buf[start + i]) return false
    if (length > 0) at += length
  }

  return true
}
