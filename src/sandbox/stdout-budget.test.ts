import { describe, expect, it } from 'vitest';
import { encodeFrame, MAX_REQUEST_BYTES } from './protocol.ts';
import { StdoutBudget, stdoutFloodBytes } from './stdout-budget.ts';

const KiB = 1024;
const outputBytes = 64 * KiB;
const cap = stdoutFloodBytes(outputBytes);

describe('StdoutBudget', () => {
  it('lets requests up to the bridge cap through, one answer at a time, without counting them', () => {
    const budget = new StdoutBudget(outputBytes);
    const request = encodeFrame('ai', 'x'.repeat(MAX_REQUEST_BYTES));
    for (let call = 0; call < 5; call++) {
      expect(budget.push(request)).toBeUndefined();
      budget.answered();
    }
    expect(budget.push(encodeFrame('out', 'y'.repeat(outputBytes)))).toBeUndefined();
  });

  it('stops a guest that sends a request before its last one was answered', () => {
    const budget = new StdoutBudget(outputBytes);
    budget.answered(); // the job frame: nothing was asked yet
    expect(budget.push(encodeFrame('models', '{}'))).toBeUndefined();
    expect(budget.push(encodeFrame('ai', '{}'))).toMatchObject({ reason: 'protocol' });
  });

  it('counts output frames, other frames and stray bytes against the flood cap', () => {
    const budget = new StdoutBudget(outputBytes);
    const chunk = encodeFrame('out', 'z'.repeat(32 * KiB));
    let verdict;
    for (let written = 0; written <= cap && !verdict; written += chunk.length) verdict = budget.push(chunk);
    expect(verdict).toMatchObject({ reason: 'flood' });

    const stray = new StdoutBudget(outputBytes);
    expect(stray.push(new Uint8Array(cap))).toBeUndefined();
    expect(stray.push(new Uint8Array(1))).toMatchObject({ reason: 'flood' });
  });

  it('counts the headers of empty frames, so endless empty frames are a flood too', () => {
    const budget = new StdoutBudget(outputBytes);
    const empty = encodeFrame('ready', '');
    const frames = new Uint8Array(Math.ceil(cap / empty.length + 1) * empty.length);
    for (let at = 0; at < frames.length; at += empty.length) frames.set(empty, at);
    expect(budget.push(frames)).toMatchObject({ reason: 'flood' });
  });

  it('counts every byte once a header claimed more than the bridge reads', () => {
    const budget = new StdoutBudget(outputBytes);
    expect(budget.push(new TextEncoder().encode(`\x1eWF:ai:${MAX_REQUEST_BYTES + 1}\n`))).toBeUndefined();
    expect(budget.push(new Uint8Array(cap + 1))).toMatchObject({ reason: 'flood' });
  });

  it('follows frames written one byte at a time', () => {
    // A request longer than the cap: were a single split byte misread, its payload would count and flood.
    const budget = new StdoutBudget(outputBytes);
    const request = encodeFrame('ai', 'w'.repeat(cap + 10));
    expect(pushBytewise(budget, request)).toBeUndefined();
    budget.answered();

    // Output frames written the same way still count, header and payload.
    const output = encodeFrame('out', 'z'.repeat(KiB));
    let verdict;
    for (let written = 0; written <= cap && !verdict; written += output.length) verdict = pushBytewise(budget, output);
    expect(verdict).toMatchObject({ reason: 'flood' });
  });
});

/** Pushes every byte on its own, as a guest writing one byte per call would; the first verdict, if any. */
function pushBytewise(budget: StdoutBudget, bytes: Uint8Array) {
  for (let at = 0; at < bytes.length; at++) {
    const verdict = budget.push(bytes.subarray(at, at + 1));
    if (verdict) return verdict;
  }
  return undefined;
}
