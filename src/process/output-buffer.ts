/**
 * What a result keeps of one stream: everything, up to `maxBuffer` characters; past that the
 * last `maxBuffer` characters, with a count of what was dropped from the start. Live events are
 * not affected: they carry every chunk.
 */
export class OutputBuffer {
  private chunks: string[] = [];
  private first = 0; // index of the oldest chunk still kept
  private kept = 0;
  /** Characters dropped from the start of the stream. */
  dropped = 0;

  constructor(private readonly maxBuffer: number) {}

  push(chunk: string): void {
    this.chunks.push(chunk);
    this.kept += chunk.length;
    while (this.kept > this.maxBuffer) {
      const oldest = this.chunks[this.first];
      const excess = this.kept - this.maxBuffer;
      if (oldest.length <= excess) {
        this.chunks[this.first] = '';
        this.first += 1;
        this.kept -= oldest.length;
        this.dropped += oldest.length;
      } else {
        this.chunks[this.first] = oldest.slice(excess);
        this.kept -= excess;
        this.dropped += excess;
      }
    }
    // Forget dropped slots now and then, so the array does not grow with the stream.
    if (this.first > 1024 && this.first * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.first);
      this.first = 0;
    }
  }

  text(): string {
    return this.chunks.slice(this.first).join('');
  }
}
