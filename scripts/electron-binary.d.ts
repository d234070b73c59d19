// Types for scripts/electron-binary.js (a plain Node script), so the tests are type-checked against it.
export declare const INSTALLER_MIN_NODE: string;
export type DesktopPlan = { binary: string } | { reason: string; fix: string };
export interface PlanContext {
  root: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  nodeVersion: string;
  /** Runs Electron's installer; returns its exit status (default: node_modules/electron/install.js). */
  install?: (root: string) => number;
  log?: (line: string) => void;
}
export declare function electronBinary(root: string, env: NodeJS.ProcessEnv): string | undefined;
export declare function runElectronInstaller(root: string): number;
export declare function atLeast(version: string, minimum: string): boolean;
export declare function planDesktop(context: PlanContext): DesktopPlan;
export declare function appArmorHint(
  binary: string,
  platform: NodeJS.Platform,
  read?: (path: string) => string,
  stat?: (path: string) => { uid: number; mode: number },
): string | undefined;
