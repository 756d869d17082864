/** Past this many distinct keys (a hostile log), new ones are not remembered and are decoded every time. */
const TABLE_LIMIT = 1 << 16

/**
 * Where the parts of a key lie in a line: [start, end) of each, start -1 for a part
 * the line does not have. A route's key is its four fields, a caller's its key id
 * and key value.
 */
export type Spans = Int32Array

/**
 * Numbers by the bytes that spell them, for values that repeat from line to line
 * (routes, callers, response types): once a value is known, a line's copy of it costs
 * a hash and a comparison, and no string. Open addressing over typed arrays, the keys'
 * bytes one after another in one buffer, so that a lookup touches few places in
 * memory. The caller passes a DataView over the line's buffer.
 */
export class SpanTable {
  /** get()'s answer for bytes not in the table. */
  static readonly MISSING = -0x80_00_00_00
  /** Entry + 1 per slot; 0 is an empty slot. Kept at most half full. */
  private slots = new Int32Array(1024)
  private hashes = new Int32Array(256)
  private values = new Int32Array(256)
  /** Where each entry's bytes start in `bytes`: its parts one after another. */
  private offsets = new Int32Array(256)
  /** Each entry's part lengths, `parts` per entry; -1 for a part that was absent. */
  private lengths: Int32Array
  private bytes = new Uint8Array(1 << 12)
  private view = new DataView(this.bytes.buffer)
  private used = 0
  private count = 0

  constructor(private readonly parts: number) {
    this.lengths = new Int32Array(256 * parts)
  }

  get(buf: Uint8Array, view: DataView, spans: Spans): number {
    const h = this.hash(buf, view, spans)
    const mask = this.slots.length - 1
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s] - 1
      if (e < 0) return SpanTable.MISSING
      if (this.hashes[e] === h && this.holds(e, buf, view, spans)) return this.values[e]
    }
  }

  set(buf: Uint8Array, view: DataView, spans: Spans, value: number): void {
    if (this.count >= TABLE_LIMIT) return
    if (this.count === this.hashes.length) this.growEntries()
    if (2 * (this.count + 1) > this.slots.length) this.growSlots()
    const e = this.count++
    this.hashes[e] = this.hash(buf, view, spans)
    this.values[e] = value
    this.offsets[e] = this.used
    for (let p = 0; p < this.parts; p++) {
      const start = spans[2 * p]
      const length = start < 0 ? -1 : spans[2 * p + 1] - start
      this.lengths[e * this.parts + p] = length
      if (length <= 0) continue
      // Four spare bytes, so that a comparison may read a whole word at the end of the last key.
      if (this.used + length + 4 > this.bytes.length) this.growBytes(this.used + length + 4)
      this.bytes.set(buf.subarray(start, start + length), this.used)
      this.used += length
    }

    this.place(e)
  }

  /** Whether entry e holds the spans' bytes, compared four bytes at a time. */
  private holds(e: number, buf: Uint8Array, view: DataView, spans: Spans): boolean {
    let at = this.offsets[e]
    for (let p = 0; p < this.parts; p++) {
      const start = spans[2 * p]
      const length = start < 0 ? -1 : spans[2 * p + 1] - start
      if (length !== this.lengths[e * this.parts + p]) return false
      let i = 0
      for (; i + 4 <= length; i += 4) if (view.getInt32(start + i, true) !== this.view.getInt32(at + i, true)) return false
      for (; i < length; i++) if (buf[start + i] !== this.bytes[at + i]) return false
      if (length > 0) at += length
    }

    return true
  }

  /**
   * Per part, the length and at most three 4-byte words (first, middle, last): ids and
   * routes differ there, and an entry is compared in full anyway.
   */
  private hash(buf: Uint8Array, view: DataView, spans: Spans): number {
    let h = 0
    for (let p = 0; p < this.parts; p++) {
      const start = spans[2 * p]
      const end = spans[2 * p + 1]
      const n = start < 0 ? -1 : end - start
      h = Math.imul(h ^ n, 0x9e_37_79_b1)
      if (n >= 4) {
        h = Math.imul(h + view.getInt32(start, true), 0x9e_37_79_b1)
        h = Math.imul(h + view.getInt32(start + ((n - 4) >> 1), true), 0x9e_37_79_b1)
        h = Math.imul(h + view.getInt32(end - 4, true), 0x9e_37_79_b1)
      } else if (n > 0) for (let i = start; i < end; i++) h = Math.imul(h + buf[i], 0x9e_37_79_b1)
    }

    // Math.imul and ^ keep every step a 32-bit integer. The multiplications leave the low
    // bits, which pick the slot, depending on low bits only: mix the high bits down
    // (MurmurHash3's finalizer), else similar ids (bk00000123, bk00000124) crowd into
    // a few runs of slots and a lookup probes several.
    h ^= h >>> 16
    h = Math.imul(h, 0x85_eb_ca_6b)
    h ^= h >>> 13
    h = Math.imul(h, 0xc2_b2_ae_35)
    return h ^ (h >>> 16)
  }

  private place(e: number): void {
    const mask = this.slots.length - 1
    let s = this.hashes[e] & mask
    while (this.slots[s] !== 0) s = (s + 1) & mask
    this.slots[s] = e + 1
  }

  private growSlots(): void {
    this.slots = new Int32Array(this.slots.length * 2)
    for (let e = 0; e < this.count; e++) this.place(e)
  }

  private growEntries(): void {
    const n = this.hashes.length * 2
    this.hashes = widen(this.hashes, n)
    this.values = widen(this.values, n)
    this.offsets = widen(this.offsets, n)
    this.lengths = widen(this.lengths, n * this.parts)
  }

  private growBytes(atLeast: number): void {
    let size = this.bytes.length * 2
    while (size < atLeast) size *= 2
    const bytes = new Uint8Array(size)
    bytes.set(this.bytes.subarray(0, this.used))
    this.bytes = bytes
    this.view = new DataView(bytes.buffer)
  }
}

/** A copy of `a` with room for `size` values. */
function widen(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size)
  b.set(a)
  return b
}
