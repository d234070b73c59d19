import { AFTER_THE_ORIGINAL } from './original-templates.ts';
import { pluginManifestSchema, type PluginManifestInput, type PluginTemplate } from '../shared/api/schemas/plugins.ts';

interface Template { id: string; title: string; description: string; code: string; manifest: PluginManifestInput }

/** Our starters: the original app's four kinds (summary, two steps, translation, review), plus JSON extraction. */
const OURS: Template[] = [
  {
    id: 'simple',
    title: 'Simple',
    description: 'Summarize the input with one AI call',
    manifest: { name: 'summarizer', description: 'Summarizes text in a few sentences', tags: ['text'], models: ['qwen2.5:1.5b'], inputHint: 'Paste some text' },
    code: `from platform_sdk import call_ai, get_input, send_output

text = get_input()
result = call_ai("qwen2.5:1.5b", "Summarize: " + text)
send_output(result)
`,
  },
  {
    id: 'multi-step',
    title: 'Multi-step',
    description: 'Chain two AI calls: extract key points, then write a summary from them',
    manifest: { name: 'key-points', description: 'Extracts key points, then summarizes them', tags: ['text'], models: ['llama3.2:latest'], inputHint: 'A long article' },
    code: `from platform_sdk import call_ai, get_input, send_output

text = get_input()
print("step 1: key points")
points = call_ai("llama3.2:latest", "List the key points of this text, one per line:\\n" + text)
print("step 2: summary")
summary = call_ai("llama3.2:latest", "Write a short summary from these key points:\\n" + points)
send_output("Key points:\\n" + points + "\\n\\nSummary:\\n" + summary)
`,
  },
  {
    id: 'translate',
    title: 'Translate',
    description: 'Translate the input into English',
    manifest: { name: 'translator', description: 'Translates text into English', tags: ['translation'], models: ['qwen2.5:1.5b'], inputHint: 'Text in any language' },
    code: `from platform_sdk import call_ai, get_input, send_output

text = get_input()
result = call_ai(
    "qwen2.5:1.5b",
    "Translate the following text into English. Reply with the translation only.\\n\\n" + text,
)
send_output(result)
`,
  },
  {
    id: 'code-review',
    title: 'Code review',
    description: 'Review a piece of code for bugs and style',
    manifest: { name: 'code-reviewer', description: 'Reviews code for bugs, risks and style', tags: ['code'], models: ['mistral:latest'], inputHint: 'Paste the code to review' },
    code: `from platform_sdk import call_ai, get_input, send_output

code = get_input()
review = call_ai(
    "mistral:latest",
    "Review this code. List bugs first, then risks, then style issues:\\n\\n" + code,
    system="You are a careful senior engineer.",
)
send_output(review)
`,
  },
  {
    id: 'json-extraction',
    title: 'JSON extraction',
    description: 'Pull structured fields out of free text as JSON',
    manifest: { name: 'contact-extractor', description: 'Extracts name, email and company as JSON', tags: ['json', 'extraction'], models: ['qwen2.5:1.5b'], inputHint: 'An email signature or a message' },
    code: `import json
from platform_sdk import AIError, call_ai, get_input, send_output

text = get_input()
prompt = (
    "Extract the person's name, email and company from the text below. "
    'Answer with JSON only: {"name": ..., "email": ..., "company": ...}\\n\\n' + text
)
try:
    answer = call_ai("qwen2.5:1.5b", prompt, json=True)
    send_output(json.loads(answer))
except (AIError, ValueError) as error:
    print("could not extract:", error)
    send_output({"name": None, "email": None, "company": None})
`,
  },
];

export function starterTemplates(): PluginTemplate[] {
  return [...OURS, ...AFTER_THE_ORIGINAL].map((t) => ({ ...t, manifest: pluginManifestSchema.parse(t.manifest) }));
}
