import { ApiError } from '../../../../shared/api/api-error.ts';
import { formatBytes } from '../../run/run-view.ts';
import type { FileInput } from '../../stores/runner.ts';

/**
 * The image formats vision models read, known by their first bytes: a file's name and the type
 * the browser guesses from it can lie (an SVG is "image/svg+xml" but is text to a model).
 */
const IMAGE_SIGNATURES: Array<[type: string, matches: (bytes: Uint8Array) => boolean]> = [
  ['image/png', (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ['image/jpeg', (b) => startsWith(b, [0xff, 0xd8, 0xff])],
  ['image/gif', (b) => startsWith(b, [0x47, 0x49, 0x46, 0x38])],
  ['image/webp', (b) => startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b.subarray(8), [0x57, 0x45, 0x42, 0x50])],
];

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

export function imageTypeOf(bytes: Uint8Array): string | undefined {
  return IMAGE_SIGNATURES.find(([, matches]) => matches(bytes))?.[0];
}

const badInput = (message: string, hint?: string): ApiError => new ApiError({ code: 'BAD_INPUT', message, ...(hint ? { hint } : {}) });

/**
 * A picked file as the plugin gets it from get_input(): a text file as its text; an image as a
 * data URL (`data:image/png;base64,…`), which says what it is and which call_ai(images=[…]) takes
 * as it is. Anything else, or anything over the input limit, is refused with BAD_INPUT.
 */
export async function readFileInput(file: File, maxBytes: number): Promise<FileInput> {
  const tooBig = (size: number): ApiError => badInput(`${file.name} is ${formatBytes(size)} as input; the input limit is ${formatBytes(maxBytes)}`,
    'Pick a smaller file, or raise the input limit in Settings › Sandbox.');
  if (file.size > maxBytes) throw tooBig(file.size);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const imageType = imageTypeOf(bytes);
  if (imageType) {
    const dataUrl = `data:${imageType};base64,${base64Of(bytes)}`;
    if (dataUrl.length > maxBytes) throw tooBig(dataUrl.length);
    return { name: file.name, size: file.size, type: imageType, kind: 'image', value: dataUrl };
  }
  const text = new TextDecoder().decode(bytes);
  const replaced = text.match(/\uFFFD/g)?.length ?? 0;
  if (text.includes('\u0000') || replaced > text.length / 100) {
    throw badInput(`${file.name} is neither text nor an image a model can read`, 'Pick a text file (UTF-8) or a PNG, JPEG, GIF or WebP image.');
  }
  return { name: file.name, size: file.size, type: file.type || 'text/plain', kind: 'text', value: text };
}

function base64Of(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode(...all) would overflow the stack on a large image.
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}
