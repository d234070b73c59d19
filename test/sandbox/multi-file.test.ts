import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedEngine } from '../../src/sandbox/embedded/engine.ts';
import { SandboxRuntime } from '../../src/sandbox/index.ts';
import { findSandboxResources } from '../../src/sandbox/resources.ts';
import { discoverWasmEdge } from '../../src/sandbox/wasmedge/binary.ts';
import { WasmEdgeEngine } from '../../src/sandbox/wasmedge/engine.ts';
import { MAX_PLUGIN_FILE_BYTES, MAX_PLUGIN_FILE_COUNT } from '../../src/shared/plugin-files.ts';

/** Multi-file plugins in real python.wasm: the host hands the files in, in memory; the guest imports and reads them. */
const runtime = new SandboxRuntime({ engines: { embedded: new EmbeddedEngine({ resources: findSandboxResources(), poolSize: 2 }) } });
beforeAll(() => runtime.prewarm());
afterAll(() => runtime.close());

const sdk = 'from platform_sdk import get_input, send_output, read_plugin_file\n';

describe('a plugin of several files', () => {
  it('imports its own modules and packages, and reads its data files', async () => {
    const result = await runtime.run({
      code: `${sdk}import helpers\nfrom pkg import tools\nfrom pkg.deep.leaf import LEAF\nimport loose.mod\n`
        + 'words = read_plugin_file("data/words.txt").split()\n'
        + 'send_output([helpers.shout(get_input()), tools.twice(2), LEAF, loose.mod.NAME, words, read_plugin_file("data/words.txt", None).hex()])',
      files: {
        'helpers.py': 'def shout(text):\n    return text.upper() + "!"\n',
        'pkg/__init__.py': '',
        'pkg/tools.py': 'from . import deep\ndef twice(n):\n    return n * 2\n',
        'pkg/deep/__init__.py': '',
        'pkg/deep/leaf.py': 'LEAF = __name__ + " in " + __file__\n',
        'loose/mod.py': 'NAME = __name__\n',
        'data/words.txt': 'alpha beta\n',
      },
      input: 'hi',
    });
    expect(result.error).toBeNull();
    expect(JSON.parse(result.output)).toEqual(['HI!', 4, 'pkg.deep.leaf in pkg/deep/leaf.py', 'loose.mod', ['alpha', 'beta'], Buffer.from('alpha beta\n').toString('hex')]);
  });

  it("names the helper's file and line in the traceback, and the entry's line as the error's", async () => {
    const result = await runtime.run({
      code: `${sdk}import helpers\n\nhelpers.fail()\n`,
      files: { 'helpers.py': '# a helper\n\ndef fail():\n    raise ValueError("from the helper")\n' },
    });
    expect(result.error?.code).toBe('PLUGIN_ERROR');
    expect(result.error?.traceback).toContain('File "plugin.py", line 4, in <module>\n    helpers.fail()');
    expect(result.error?.traceback).toContain('File "helpers.py", line 4, in fail\n    raise ValueError("from the helper")');
    expect(result.error?.traceback).not.toMatch(/wasmforge_files|wasmforge_runner|importlib/);
    expect(result.error?.line).toBe(4);
  });

  it("says a helper's syntax error as SYNTAX_ERROR with its file and line, marked at the entry's import, with no import machinery", async () => {
    const result = await runtime.run({ code: 'x = 1\nimport helpers\n', files: { 'helpers.py': '# helper\ndef broken(:\n' } });
    expect(result.error).toMatchObject({ code: 'SYNTAX_ERROR', message: 'SyntaxError in helpers.py, line 2: invalid syntax', line: 2 });
    expect(result.error?.traceback).toContain('File "plugin.py", line 2, in <module>\n    import helpers');
    expect(result.error?.traceback).toMatch(/File "helpers.py", line 2\n\s+def broken\(:[\s\S]*SyntaxError: invalid syntax/);
    expect(result.error?.traceback).not.toMatch(/importlib|wasmforge_files|<frozen/);
  });

  it("leaves out the import machinery when a helper fails while it is imported", async () => {
    const result = await runtime.run({ code: 'import helpers\n', files: { 'helpers.py': 'raise RuntimeError("at import")\n' } });
    expect(result.error).toMatchObject({ code: 'PLUGIN_ERROR', message: 'RuntimeError: at import', line: 1 });
    expect(result.error?.traceback).toContain('File "helpers.py", line 1, in <module>');
    expect(result.error?.traceback).not.toMatch(/importlib|<frozen/);
  });

  it('gives FileNotFoundError for a file the plugin does not have, whatever the path says', async () => {
    const code = `${sdk}out = []\nfor path in ["missing.txt", "../plugin.py", "/etc/passwd", "data/../data/words.txt", "plugin.py", "platform_sdk.py"]:\n`
      + '    try:\n        read_plugin_file(path)\n        out.append("read " + path)\n    except FileNotFoundError as e:\n        out.append(e.filename)\nsend_output(out)';
    const result = await runtime.run({ code, files: { 'data/words.txt': 'x' } });
    expect(JSON.parse(result.output)).toEqual(['missing.txt', '../plugin.py', '/etc/passwd', 'data/../data/words.txt', 'plugin.py', 'platform_sdk.py']);
  });

  it('leaves the standard library first: a plugin file named like a standard module is not what `import` gets', async () => {
    const result = await runtime.run({ code: `${sdk}import csv, json\nsend_output([hasattr(csv, "reader"), hasattr(json, "dumps")])`, files: { 'csv.py': 'raise SystemExit(3)\n', 'json.py': 'raise SystemExit(3)\n' } });
    expect(result.output).toBe('[true, true]');
  });

  it('runs a single-file plugin as before: no importer, nothing to read', async () => {
    const result = await runtime.run({ code: `${sdk}import sys\ntry:\n    read_plugin_file("plugin.py")\nexcept FileNotFoundError:\n    send_output(len(sys.meta_path))` });
    const withFiles = await runtime.run({ code: `${sdk}import sys\nsend_output(len(sys.meta_path))`, files: { 'a.py': '' } });
    expect(Number(withFiles.output)).toBe(Number(result.output) + 1);
  });
});

describe('hostile files', () => {
  it('keeps a helper that tries to escape inside the sandbox, with the helper named', async () => {
    const helper = 'import os\ndef escape():\n    return open("/etc/passwd").read()\n';
    const result = await runtime.run({ code: 'import helper\nhelper.escape()\n', files: { 'helper.py': helper } });
    expect(result.error?.code).toBe('PLUGIN_ERROR');
    expect(result.error?.traceback).toContain('File "helper.py", line 3, in escape');
    const listing = await runtime.run({ code: `${sdk}import helper\nsend_output(helper.look())`, files: { 'helper.py': 'import os\ndef look():\n    try:\n        return os.listdir("/")\n    except OSError as e:\n        return type(e).__name__\n' } });
    expect(listing.output).not.toMatch(/etc|usr|home/);
  });

  it("cannot change another run's files: a helper that rewrites its own module and data sees its own run only", async () => {
    const code = `${sdk}import platform_sdk, helpers\nplatform_sdk._plugin_files["data.txt"] = b"poisoned"\nhelpers.VALUE = "poisoned"\nsend_output("done")`;
    const files = { 'helpers.py': 'VALUE = "clean"\n', 'data.txt': 'clean' };
    expect((await runtime.run({ code, files })).output).toBe('done');
    const next = await runtime.run({ code: `${sdk}import helpers\nsend_output(helpers.VALUE + " " + read_plugin_file("data.txt"))`, files });
    expect(next.output).toBe('clean clean');
  });

  it.each([
    ['../escape.py', 'bad-path'],
    ['/etc/passwd', 'bad-path'],
    ['pkg/../../x.py', 'bad-path'],
    ['.hidden.py', 'bad-path'],
    ['a\\b.py', 'bad-path'],
    ['platform_sdk.py', 'bad-path'],
    // The SDK's other modules: a plugin file by such a name would never be imported (the SDK's is already loaded).
    ['wasmforge_files.py', 'bad-path'],
    ['wasmforge_channel.py', 'bad-path'],
    ['wasmforge_timezones.py', 'bad-path'],
    ['plugin.py', 'bad-path'],
    // What a plugin folder leaves out: kept here, `wasmforge run` on the folder would not have it.
    ['plugin.json', 'bad-path'],
    ['tests/x.py', 'bad-path'],
    ['__pycache__/x.py', 'bad-path'],
  ])('refuses the path %s before any guest starts (INVALID_PLUGIN_FILES)', async (path, reason) => {
    const result = await runtime.run({ code: 'print("ran")', files: { [path]: 'x' } });
    expect(result.error).toMatchObject({ code: 'INVALID_PLUGIN_FILES', details: { path, reason } });
    expect(result.logs).toBe('');
  });

  it('refuses a huge file, too many files, and too much together', async () => {
    const huge = await runtime.run({ code: 'pass', files: { 'big.txt': 'x'.repeat(MAX_PLUGIN_FILE_BYTES + 1) } });
    expect(huge.error).toMatchObject({ code: 'INVALID_PLUGIN_FILES', details: { path: 'big.txt', reason: 'file-too-large' } });
    const many = Object.fromEntries(Array.from({ length: MAX_PLUGIN_FILE_COUNT }, (_, i) => [`m${i}.py`, '']));
    expect((await runtime.run({ code: 'pass', files: many })).error).toMatchObject({ code: 'INVALID_PLUGIN_FILES', details: { path: null, reason: 'too-many' } });
    const half = 'é'.repeat(MAX_PLUGIN_FILE_BYTES / 2);
    const total = await runtime.run({ code: 'pass', files: { 'a.txt': half, 'b.txt': half, 'c.txt': 'x' } });
    expect(total.error).toMatchObject({ code: 'INVALID_PLUGIN_FILES', details: { reason: 'total-too-large' } });
  });

  it('runs the largest files allowed', async () => {
    const result = await runtime.run({ code: `${sdk}send_output(len(read_plugin_file("big.txt")))`, files: { 'big.txt': 'y'.repeat(MAX_PLUGIN_FILE_BYTES) } });
    expect(result.output).toBe(String(MAX_PLUGIN_FILE_BYTES));
  });
});

// The runner and its importer are the same on every engine: one multi-file run on WasmEdge's interpreter, when it is here.
const resources = findSandboxResources();
const wasmedge = await discoverWasmEdge({ wasmedgeDir: resources.wasmedgeDir });
describe.skipIf(!wasmedge.found)('a plugin of several files on WasmEdge', () => {
  it('imports its helper, reads its data, and names the helper in a traceback', { timeout: 240_000 }, async () => {
    const dataHome = mkdtempSync(join(tmpdir(), 'wasmforge-multi-wasmedge-'));
    const onWasmEdge = new SandboxRuntime({ engines: { wasmedge: new WasmEdgeEngine({ resources, dataHome, aot: false, warmPoolSize: 1 }) }, defaultEngine: 'wasmedge' });
    try {
      const files = { 'helpers.py': 'def shout(text):\n    return text.upper()\n\ndef fail():\n    raise ValueError("x")\n', 'data/words.txt': 'alpha' };
      const limits = { wallTimeMs: 120_000, computeTimeMs: 120_000 };
      const ok = await onWasmEdge.run({ code: `${sdk}import helpers\nsend_output(helpers.shout(read_plugin_file("data/words.txt")))`, files, limits });
      expect([ok.error, ok.output]).toEqual([null, 'ALPHA']);
      const failed = await onWasmEdge.run({ code: 'import helpers\nhelpers.fail()\n', files, limits });
      expect(failed.error?.traceback).toContain('File "helpers.py", line 5, in fail');
    } finally {
      await onWasmEdge.close();
      rmSync(dataHome, { recursive: true, force: true });
    }
  });
});
