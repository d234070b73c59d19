import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// A new user's trial: `run --save-test` printed "Start Ollama (`ollama serve`)…" and on the next line
// "Start Ollama (ollama serve)…". The CLI prints hints as written (backticks kept, as the app shows
// them as code), so every hint writes a command the one way: in backticks.
const COMMAND = /\b(?:wasmforge (?:[a-z]|<)|ollama (?:serve|pull)\b|npm (?:ci|install)\b)/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'renderer' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The commands a hint's source line names outside inline code (`…`, written \`…\` in a template literal). */
function bareCommands(line: string): string[] {
  const text = line.slice(line.search(/\bhint\b/));
  const mark = text.includes('\\`') || text.includes('${') ? '\\`' : '`';
  return [...text.matchAll(COMMAND)].filter((match) => text.slice(0, match.index).split(mark).length % 2 === 1).map((match) => match[0]);
}

describe('hints write commands in backticks', () => {
  it('no hint in src (the renderer aside) names a command outside backticks', () => {
    const bare = sources(join(process.cwd(), 'src')).flatMap((file) => readFileSync(file, 'utf8').split('\n')
      .map((line, index) => ({ where: `${file.slice(process.cwd().length + 1)}:${index + 1}`, line }))
      .filter(({ line }) => /\bhint\b/.test(line) && bareCommands(line).length > 0)
      .map(({ where, line }) => `${where}: ${line.trim()}`));
    expect(bare).toEqual([]);
  });
});
