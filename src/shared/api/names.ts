/** Name rules shared by the contract (zod) and the UI (which keeps zod out of its first bundle). */
/** The library's rule (src/library/manifest.ts), which the marketplace database also checks. */
export const PLUGIN_NAME_PATTERN = /^(?=.{2,64}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const PLUGIN_NAME_RULE = 'Use 2–64 lowercase letters and digits, words joined by single dashes, starting with a letter (e.g. "text-summary")';
/** Ollama's model names: "qwen2.5:1.5b", "library/model:tag" (the contract, the UI and the Ollama catalog all check this one). */
export const MODEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
export const TAG_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** semver.org's grammar without build metadata, as plugin versions are (the contract checks with npm's semver). */
const IDENTIFIER = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)';
export const SEMVER_PATTERN = new RegExp(`^(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)(?:-${IDENTIFIER}(?:\\.${IDENTIFIER})*)?$`);
