/** Collects the guest's console text up to a byte cap, then marks the cut once and drops the rest. */
export class LogCollector {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private bytes = 0;
  private text = '';
  private truncated = false;

  constructor(private readonly capBytes: number, private readonly onText?: (text: string) => void) {}

  push(chunk: Uint8Array): void {
    if (this.truncated) return;
    const room = this.capBytes - this.bytes;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.bytes += part.length;
    const text = this.decoder.decode(part, { stream: part === chunk });
    this.append(text);
    if (part !== chunk) {
      this.truncated = true;
      this.append(`\n[wasmforge] logs truncated: more than ${formatBytes(this.capBytes)} were written\n`);
    }
  }

  /** A note from the host itself (not the plugin), such as an engine diagnostic. */
  note(text: string): void {
    this.append(`[wasmforge] ${text}\n`);
  }

  finish(): string {
    if (!this.truncated) this.append(this.decoder.decode());
    return this.text;
  }

  private append(text: string): void {
    if (!text) return;
    this.text += text;
    this.onText?.(text);
  }
}

/** The plugin's output, kept as bytes (send_output may send any bytes) and decoded at the end. */
export class OutputCollector {
  private readonly chunks: Uint8Array[] = [];
  private bytes = 0;

  constructor(private readonly capBytes: number) {}

  /** Returns false when the output would pass its cap. */
  push(chunk: Uint8Array): boolean {
    if (this.bytes + chunk.length > this.capBytes) return false;
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    return true;
  }

  /** Exact text when the bytes are UTF-8; invalid sequences become U+FFFD (and `lossy` says so). */
  finish(): { text: string; lossy: boolean } {
    const all = Buffer.concat(this.chunks);
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(all), lossy: false };
    } catch {
      return { text: new TextDecoder('utf-8').decode(all), lossy: true };
    }
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
