// Types for scripts/tools.js (a plain Node script), so the tests are type-checked against it.
export declare const REPO_ROOT: string;
export declare function toolEntry(pkg: string, bin?: string, root?: string): string;
export declare function nodeTool(pkg: string, bin: string | undefined, args: string[]): [string, string[]];
