import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCase, testCaseJsonSchema } from '../../src/sandbox/test-case.ts';

// Editors validate case files against the committed schema; it is generated from the zod schema the
// runner uses, so the two cannot drift: regenerate with WASMFORGE_WRITE_SCHEMA=1 and this test.
const FILE = join(import.meta.dirname, '..', '..', 'sdk', 'test-case.schema.json');

describe('sdk/test-case.schema.json', () => {
  it('is what z.toJSONSchema makes of the test-case schema now', async () => {
    const generated = `${JSON.stringify(testCaseJsonSchema(), null, 2)}\n`;
    if (process.env.WASMFORGE_WRITE_SCHEMA === '1') await writeFile(FILE, generated);
    expect(await readFile(FILE, 'utf8'), 'stale: run WASMFORGE_WRITE_SCHEMA=1 npx vitest run test/sandbox/test-case-schema.test.ts').toBe(generated);
  });

  it('requires "expect" as an object and names the checks', () => {
    const schema = testCaseJsonSchema() as { required: string[]; properties: { expect: { type: string; properties: Record<string, unknown> } } };
    expect(schema.required).toContain('expect');
    expect(schema.properties.expect.type).toBe('object');
    expect(Object.keys(schema.properties.expect.properties)).toEqual(['output', 'contains', 'notContains', 'matches', 'json', 'error', 'aiCalls']);
  });

  it("the README's example case is a valid case", async () => {
    const readme = await readFile(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Test cases'));
    const example = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toBeDefined();
    expect(parseCase(example!, 'README.md')).toMatchObject({ input: 'the report', expect: { output: 'A report.' } });
  });
});
