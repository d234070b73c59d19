import { existsSync } from 'node:fs';
import { Library } from '../library/library.ts';
import { dataPath } from '../library/home.ts';
import { OnDemand } from './on-demand.ts';

/** The local library database (PGlite): opening it costs a few hundred milliseconds, and it is one process's at a time. */
export class LibraryAccess {
  private readonly handle: OnDemand<string, Library>;

  constructor(private readonly home: string) {
    this.handle = new OnDemand((folder) => Library.open(folder));
  }

  /** Whether a local database exists at all (no database: nothing installed, and none is created just to say so). */
  exists(): boolean {
    return existsSync(dataPath(this.home, 'db'));
  }

  use<T>(work: (library: Library) => Promise<T>): Promise<T> {
    return this.handle.use(() => this.home, work);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
