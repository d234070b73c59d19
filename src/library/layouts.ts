import type { PluginFiles } from '../shared/plugin-files.ts';

/** `wasmforge init --layout multi`: plugin.py imports its own helper module, which reads a data file. */
export const MULTI_FILE_LAYOUT: { code: string; files: PluginFiles } = {
  code: `from platform_sdk import get_input, send_output

# helpers.py is this plugin's own module: import it like any other.
from helpers import summarize

send_output(summarize(get_input()))
`,
  files: {
    'helpers.py': `from platform_sdk import call_ai, read_plugin_file

# Data files travel with the plugin (read-only, in memory): read them by their path in the folder.
PROMPT = read_plugin_file("prompts/summary.txt").strip()


def summarize(text):
    """One sentence about the text."""
    return call_ai("qwen2.5:1.5b", PROMPT + " " + text)
`,
    'prompts/summary.txt': 'Summarize in one sentence:\n',
  },
};
