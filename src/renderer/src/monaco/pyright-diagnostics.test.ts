import { describe, expect, it } from 'vitest';
import { isLeftOut, isSdkSourceNotice, sandboxMessage, sandboxSeverity } from './pyright-diagnostics.ts';

// The checker's own words (basedpyright 1.39) for imports it cannot resolve.
const requests = { code: 'reportMissingModuleSource', message: 'Import "requests" could not be resolved from source', severity: 2 as const };
const numpy = { code: 'reportMissingImports', message: 'Import "numpy.linalg" could not be resolved', severity: 2 as const };

describe('the language server\'s findings, in the sandbox\'s terms', () => {
  it('says an unresolved import is not available in the sandbox, as an error', () => {
    expect(sandboxMessage(requests)).toMatch(/^"requests" is not available in the sandbox: .*standard library, platform_sdk/);
    expect(sandboxMessage(numpy)).toMatch(/^"numpy\.linalg" is not available in the sandbox/);
    expect(sandboxSeverity(requests)).toBe(1);
    expect(sandboxSeverity(numpy)).toBe(1);
  });

  it('leaves every other finding as the checker wrote it', () => {
    const typeError = { code: 'reportArgumentType', message: 'Argument of type "Literal[42]" cannot be assigned to parameter "model"', severity: 1 as const };
    expect(sandboxMessage(typeError)).toBe(typeError.message);
    expect(sandboxSeverity({ code: 'reportUnusedExpression', severity: 2 })).toBe(2);
  });

  it('drops only the note that platform_sdk, a stub in the editor, has no source', () => {
    expect(isSdkSourceNotice({ code: 'reportMissingModuleSource', message: 'Import "platform_sdk" could not be resolved from source' })).toBe(true);
    expect(isSdkSourceNotice(requests)).toBe(false);
    expect(isSdkSourceNotice({ code: 'reportMissingImports', message: 'Import "platform_sdk_extra" could not be resolved' })).toBe(false);
  });

  it('leaves out an unused import (Ruff\'s F401 says it in the same place), and keeps the sandbox\'s import errors', () => {
    expect(isLeftOut({ code: 'reportUnusedImport', message: 'Import "requests" is not accessed' })).toBe(true);
    expect(isLeftOut(requests)).toBe(false);
    expect(isLeftOut({ code: 'reportUndefinedVariable', message: '"x" is not defined' })).toBe(false);
  });
});
