// Types for scripts/build-cli.js (a plain Node script), for the electron-vite config and the tests.
export declare const REPO_ROOT: string;
export declare const CLI_DIR: string;
export declare const CLI_ENTRY: string;
export declare const WORKER_FILE: string;
export declare function buildSandboxWorker(outfile?: string): Promise<string[]>;
export declare function buildCli(): Promise<void>;
export declare function cliStaleness(): string | undefined;
export declare function buildCliIfStale(say?: (message: string) => void): Promise<boolean>;
export declare function recordInputs(inputs: string[], started: number): Record<string, number | null>;
export declare function changedInput(recorded: Record<string, number | null>): string | undefined;
