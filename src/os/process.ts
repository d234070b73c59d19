/**
 * Whether a process of this machine is still running: signal 0 checks without sending anything.
 * EPERM means it runs under another user (alive, not ours to signal). Both the local database's
 * lock and WasmEdge's detached compile job ask this of the pid they recorded.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
