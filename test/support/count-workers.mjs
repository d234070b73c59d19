// Preloaded into a CLI under test (`node --import`): on exit, says on stderr how many worker
// threads (sandboxes) the process started, so a test can hold a one-shot run to exactly one.
import { syncBuiltinESMExports } from 'node:module';
import workerThreads from 'node:worker_threads';

const { Worker } = workerThreads;
let started = 0;
workerThreads.Worker = class CountedWorker extends Worker {
  constructor(...args) {
    super(...args);
    started += 1;
  }
};
syncBuiltinESMExports(); // modules importing { Worker } get the counted one too
process.on('exit', () => process.stderr.write(`worker threads started: ${started}\n`));
