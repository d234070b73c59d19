// pino-roll ships no types: the part of its documented options this app passes (README of pino-roll 4).
declare module 'pino-roll' {
  import type SonicBoom from 'sonic-boom';

  interface PinoRollOptions {
    file: string;
    size?: string | number;
    frequency?: 'daily' | 'hourly' | number;
    extension?: string;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
    symlink?: boolean;
    dateFormat?: string;
    mkdir?: boolean;
    mode?: number;
    sync?: boolean;
  }

  export default function roll(options: PinoRollOptions): Promise<SonicBoom>;
}
