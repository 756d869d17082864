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
  private slots: Array<Entry<T> | undefined> = new Array(1024).fill(undefined)
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
    this.slots = new Array(old.length * 2).fill(undefined)
    const mask = this.slots.length - 1
    for (let e of old) {
      for (; e !== undefined; e = e.next) this.slots[e.hash & mask] = new Entry(e.hash, e.length, e.bytes, e.value, this.slots[e.hash & mask])
    }
  }
}

function hash(buf: Uint8Array, view: DataView, start: number, end: number): number {
  let h = end - start
  let i = start
  for (; i + 4 <= end; i += 4) h = (Math.imul(h, 0x9e_37_79_b1) + view.getInt32(i, true)) | 0
  for (; i < end; i++) h = (Math.imul(h, 31) + buf[i]) | 0
  return (h ^ (h >>> 15)) | 0
}
