/** Keyboard shortcuts reach the active screen through named commands it registers while shown. */
export type CommandName = 'run' | 'cancel' | 'save' | 'publish' | 'search';

const handlers = new Map<CommandName, () => void>();

export function registerCommands(commands: Partial<Record<CommandName, () => void>>): () => void {
  for (const [name, handler] of Object.entries(commands) as Array<[CommandName, () => void]>) handlers.set(name, handler);
  return () => {
    for (const [name, handler] of Object.entries(commands) as Array<[CommandName, () => void]>) {
      if (handlers.get(name) === handler) handlers.delete(name);
    }
  };
}

export function runCommand(name: CommandName): boolean {
  const handler = handlers.get(name);
  handler?.();
  return handler !== undefined;
}

export const SHORTCUTS: Array<[string, string]> = [
  ['Alt + 1 … 6', 'Home, Builder, Runner, Marketplace, Models, Settings'],
  ['Ctrl/⌘ + Enter', 'Run the plugin'],
  ['Esc', 'Cancel the run (or close a dialog)'],
  ['Ctrl/⌘ + S', 'Save now (the Builder also saves by itself)'],
  ['Shift + Alt + F', 'Format the code with Ruff (Builder editor)'],
  ['Ctrl/⌘ + Shift + P', 'Publish the plugin (Builder)'],
  ['/', 'Search the marketplace'],
  ['Ctrl/⌘ + Shift + L', 'Switch dark / light theme'],
  ['?', 'Show these shortcuts'],
];
