import { FrameScanner, payloadCap, REQUEST_KINDS } from './protocol.ts';

/** Why an engine stops a guest for what it wrote on fd 1. */
export interface StdoutOverrun {
  reason: 'flood' | 'protocol';
  message: string;
}

/** Output frames and stray bytes a guest may write: the bridge stops a run at the output limit itself, this bounds what is in flight before it does. */
export function stdoutFloodBytes(outputBytes: number): number {
  return outputBytes * 2 + 1024 * 1024;
}

/**
 * What an engine lets a guest write on fd 1 before stopping it, so the host never takes in more
 * than it will use. It reads the stream by the bridge's own framing rules:
 * - output frames, other frames and stray bytes count against stdoutFloodBytes;
 * - requests (`ai`, `models`) do not: the bridge caps each at MAX_REQUEST_BYTES and answers each,
 *   and, as the SDK does, a guest may send the next one only once the last one was answered.
 * So an AI call with a large image or many texts meets the AI policy (a call it may make, or
 * the proper AI error), never a false OUTPUT_LIMIT.
 */
export class StdoutBudget {
  private readonly scanner: FrameScanner;
  private readonly capBytes: number;
  private counted = 0;
  private unanswered = 0;
  private inRequest = false;
  private untrusted = false;
  private overrun?: StdoutOverrun;

  constructor(outputBytes: number) {
    this.capBytes = stdoutFloodBytes(outputBytes);
    this.scanner = new FrameScanner({
      onStray: (bytes) => this.count(bytes.length),
      onFrameStart: (kind, _length, headerBytes) => this.onFrameStart(kind, headerBytes),
      onPayload: (bytes) => this.inRequest || this.count(bytes.length),
      onFrameEnd: () => (this.inRequest = false),
      // The bridge ends the run on this very header; until then every byte counts.
      onOversize: () => (this.untrusted = true),
    }, payloadCap(outputBytes));
  }

  /** Takes the next bytes the guest wrote; says why the guest must stop, once it must. */
  push(chunk: Uint8Array): StdoutOverrun | undefined {
    if (this.overrun) return this.overrun;
    if (this.untrusted) this.count(chunk.length);
    else this.scanner.push(chunk);
    return this.overrun;
  }

  /** The host wrote one frame to the guest's stdin: the job, or the answer to a request. */
  answered(): void {
    this.unanswered = Math.max(0, this.unanswered - 1);
  }

  private onFrameStart(kind: string, headerBytes: number): void {
    if (!REQUEST_KINDS.has(kind)) return this.count(headerBytes);
    if (this.unanswered > 0) {
      this.overrun ??= { reason: 'protocol', message: `The plugin sent an "${kind}" request before the answer to its last one` };
      return;
    }
    this.unanswered += 1;
    this.inRequest = true;
  }

  private count(bytes: number): void {
    this.counted += bytes;
    if (this.counted > this.capBytes) this.overrun ??= { reason: 'flood', message: 'The plugin wrote far more than its output limit' };
  }
}
