import { WasmForgeError } from '../shared/errors.ts';
import { ENTRY_FILE, MAX_PLUGIN_TOTAL_BYTES, type PluginFiles } from '../shared/plugin-files.ts';
import { modelsFor, type DetectedModels, type PluginManifest } from '../shared/api/schemas/plugins.ts';
import type { SandboxLike } from './context.ts';

/**
 * The models a plugin's code names as string literals in call_ai / embed / call_ai_many calls,
 * read by CPython's own parser (`ast`) inside the sandbox rather than by a scan on the host: the
 * real grammar knows every string form (concatenated, raw, escaped, triple-quoted) and skips
 * comments, docstrings and look-alike text, and hostile code is only ever parsed where a parser
 * crash or a memory bomb is contained. It costs one warm sandbox (tens of milliseconds); the code
 * itself is never run. `dynamic`: some call names its model with an expression, which no parser
 * can read, so the declared list is kept beside the detected one. A multi-file plugin's modules
 * are all read: a helper's calls count as the entry's do.
 */
const DETECTOR = `import ast, json
from platform_sdk import get_input_json, send_output

def model_node(call):
    for keyword in call.keywords:
        if keyword.arg == "model":
            return keyword.value
    if call.args and not isinstance(call.args[0], ast.Starred):
        return call.args[0]
    return None

def calls_of_many(call):
    given = call.args[0] if call.args else None
    if not isinstance(given, (ast.List, ast.Tuple)):
        return [None]
    found = []
    for item in given.elts:
        if isinstance(item, ast.Dict):
            found.append(next((v for k, v in zip(item.keys, item.values) if isinstance(k, ast.Constant) and k.value == "model"), None))
        elif isinstance(item, (ast.Tuple, ast.List)) and item.elts:
            found.append(item.elts[0])
        else:
            found.append(None)
    return found

def function_name(func):
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None

def calls(modules):
    for path, source in modules.items():
        for node in ast.walk(ast.parse(source, filename=path)):
            if isinstance(node, ast.Call):
                yield node

models, dynamic = [], False
for node in calls(get_input_json()):
    name = function_name(node.func)
    nodes = [model_node(node)] if name in ("call_ai", "embed") else calls_of_many(node) if name == "call_ai_many" else []
    for found in nodes:
        if isinstance(found, ast.Constant) and isinstance(found.value, str):
            if found.value not in models:
                models.append(found.value)
        else:
            dynamic = True
send_output({"models": models, "dynamic": dynamic})
`;

/** Reads the models the code (and its other modules) call; SYNTAX_ERROR when one does not parse (nothing to detect from). */
export async function detectModels(runtime: Pick<SandboxLike, 'run'>, code: string, files: PluginFiles = {}): Promise<DetectedModels> {
  const modules = Object.fromEntries([[ENTRY_FILE, code], ...Object.entries(files).filter(([path]) => path.endsWith('.py'))]);
  // JSON escapes may double the text (\" for ", \\ for \): room for that, whatever the code holds.
  const limits = { inputBytes: 2 * MAX_PLUGIN_TOTAL_BYTES + 1024, wallTimeMs: 20_000, aiCalls: 0 };
  const result = await runtime.run({ code: DETECTOR, input: JSON.stringify(modules), filename: 'detect_models.py', limits });
  if (result.error) {
    const parseFailed = /^SyntaxError|^IndentationError|^TabError/.test(result.error.message);
    const where = /File "([^"]+)", line \d+\n[^\n]*\n?[^\n]*\n?(?:SyntaxError|IndentationError|TabError)/.exec(result.error.traceback ?? '')?.[1];
    throw new WasmForgeError(parseFailed ? 'SYNTAX_ERROR' : result.error.code, `Could not read the models ${where ?? ENTRY_FILE} calls: ${result.error.message}`);
  }
  const found = JSON.parse(result.output) as DetectedModels;
  return { models: found.models.map((model) => model.trim()).filter(Boolean), dynamic: found.dynamic };
}


/**
 * The route's answer: code that does not parse is an ordinary moment of typing, not a refusal, so it
 * answers with why (the Builder keeps the declared models) rather than an error every browser logs.
 */
export async function detectModelsOrWhyNot(runtime: Pick<SandboxLike, 'run'>, code: string, files?: PluginFiles): Promise<DetectedModels> {
  try {
    return await detectModels(runtime, code, files);
  } catch (error) {
    if (error instanceof WasmForgeError && error.code === 'SYNTAX_ERROR') return { models: [], dynamic: false, notParsed: error.message };
    throw error;
  }
}

/** The manifest with its models detected from the code (unchanged when the code does not parse: the syntax check reports that). */
export async function withDetectedModels<M extends Pick<PluginManifest, 'models'>>(runtime: Pick<SandboxLike, 'run'>, code: string, manifest: M, files?: PluginFiles): Promise<M> {
  const detected = await detectModelsOrWhyNot(runtime, code, files);
  return detected.notParsed === undefined ? { ...manifest, models: modelsFor(manifest.models, detected) } : manifest;
}
