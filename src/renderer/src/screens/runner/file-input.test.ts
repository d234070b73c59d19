import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../shared/api/api-error.ts';
import { readFileInput } from './file-input.ts';

// The smallest valid PNG: one transparent pixel.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const MIB = 1024 * 1024;

describe('a file picked in the Runner, as the plugin gets it', () => {
  it('reads a text file as its text, whatever the browser guessed its type to be', async () => {
    const input = await readFileInput(new File(['héllo\nwörld'], 'notes.txt', { type: 'text/plain' }), MIB);
    expect(input).toMatchObject({ kind: 'text', value: 'héllo\nwörld', name: 'notes.txt' });
    // An SVG is an "image/…" to the browser but text to a model.
    expect(await readFileInput(new File(['<svg xmlns="http://www.w3.org/2000/svg"/>'], 'logo.svg', { type: 'image/svg+xml' }), MIB))
      .toMatchObject({ kind: 'text', value: '<svg xmlns="http://www.w3.org/2000/svg"/>' });
  });

  it('hands an image over as a data URL known by its bytes, not its name', async () => {
    const input = await readFileInput(new File([PNG], 'photo.txt', { type: 'text/plain' }), MIB);
    expect(input).toMatchObject({ kind: 'image', type: 'image/png', value: `data:image/png;base64,${PNG.toString('base64')}` });
  });

  it('refuses binary files and files over the input limit with BAD_INPUT, counting an image as the data URL it becomes', async () => {
    const refusal = (file: File, max = MIB): Promise<unknown> => readFileInput(file, max).then(() => undefined, (error: unknown) => error);
    const binary = await refusal(new File([new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2])], 'a.out'));
    expect(binary).toBeInstanceOf(ApiError);
    expect(binary).toMatchObject({ code: 'BAD_INPUT', message: 'a.out is neither text nor an image a model can read' });
    expect(await refusal(new File(['x'.repeat(20)], 'big.txt'), 10)).toMatchObject({ code: 'BAD_INPUT', message: 'big.txt is 20 B as input; the input limit is 10 B' });
    // The PNG itself fits; base64 and its data: prefix do not.
    expect(await refusal(new File([PNG], 'p.png'), PNG.length + 10)).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/^p\.png is \d+ B as input/) });
  });
});
