import { Command, CommanderError } from 'commander';
import { register as registerRun } from './commands/run.ts';
import { register as registerServe } from './commands/serve.ts';
import { register as registerModels } from './commands/models.ts';
import { register as registerDoctor } from './commands/doctor.ts';
import { register as registerTest } from './commands/test.ts';
import { register as registerInit } from './commands/init.ts';
import { register as registerWorkspace } from './commands/workspace.ts';
import { register as registerPublish } from './commands/publish.ts';
import { register as registerSearch } from './commands/search.ts';
import { register as registerInstall } from './commands/install.ts';
import { register as registerList } from './commands/list.ts';
import { register as registerUninstall } from './commands/uninstall.ts';
import { register as registerDb } from './commands/db.ts';
import { register as registerExport } from './commands/export.ts';
import { register as registerImport } from './commands/import.ts';
import { printError, UsageError } from './output.ts';
import { refuseUrlPasswords } from './secret-arguments.ts';

/** `wasmforge` — one command per file under commands/; exit 0 ok, 1 plugin/operation failed, 2 usage. */
const program = new Command('wasmforge')
  .description('Write, test, run and share AI-powered Python plugins in a WebAssembly sandbox')
  .version('0.1.0')
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

registerRun(program);
registerServe(program);
registerModels(program);
registerDoctor(program);
registerTest(program);
registerInit(program);
registerWorkspace(program);
registerPublish(program);
registerSearch(program);
registerInstall(program);
registerList(program);
registerUninstall(program);
registerDb(program);
registerExport(program);
registerImport(program);
refuseUrlPasswords(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
  // A usage error found before any action ran (a hook's).
  if (!(error instanceof UsageError)) throw error;
  printError(error);
  process.exit(2);
}
