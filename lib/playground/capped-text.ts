/**
 * The last `cap` characters of a growing text, appended to in many small pieces. Keeps
 * the pieces and trims only when twice the cap is buffered: `(s + piece).slice(-cap)` on
 * every piece copies the whole text each time (quadratic for a 100 000-line program).
 */
export class CappedText {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly cap: number) {}

  append(text: string): void {
    if (!text) return;
    this.parts.push(text);
    this.size += text.length;
    if (this.size > 2 * this.cap) this.compact();
  }

  get value(): string {
    this.compact();
    return this.parts[0] ?? "";
  }

  clear(): void {
    this.parts = [];
    this.size = 0;
  }

  private compact(): void {
    if (this.parts.length <= 1 && this.size <= this.cap) return;
    const joined = this.parts.join("");
    const kept = joined.length > this.cap ? joined.slice(-this.cap) : joined;
    this.parts = [kept];
    this.size = kept.length;
  }
}
