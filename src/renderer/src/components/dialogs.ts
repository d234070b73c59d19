import type { SyntheticEvent } from 'react';

/**
 * A modal <dialog>'s cancel handler (Escape) that keeps it open while its work runs: its Close
 * button is disabled then, and closing would hide how the work ends (a publish, an install).
 */
export function keepOpenWhile(busy: boolean): (event: SyntheticEvent<HTMLDialogElement>) => void {
  return (event) => {
    if (busy) event.preventDefault();
  };
}
