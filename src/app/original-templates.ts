import type { PluginManifestInput } from '../shared/api/schemas/plugins.ts';

/**
 * After the original app's four starters (github.com/Hungruong/wasm-forge, its Builder): our own
 * code, written to do what each of them does, with the same models (`llama3`, `mistral`), the same
 * SDK calls and the same output shape, so a user who knew the original finds them here unchanged.
 */
export const AFTER_THE_ORIGINAL: Array<{ id: string; title: string; description: string; code: string; manifest: PluginManifestInput }> = [
  {
    id: 'original-simple',
    title: 'Simple (original)',
    description: "After the original's Simple: one llama3 call summarizes the input",
    manifest: { name: 'simple-summary', description: 'Summarizes the text it is given (after the original app\'s Simple)', tags: ['text'], models: ['llama3'], inputHint: 'Paste the text to summarize' },
    code: `from platform_sdk import call_ai, get_input, send_output

# After the original app's "Simple" starter: the model's answer is the whole output.
text = get_input()
summary = call_ai("llama3", "Summarize this text: " + text)
send_output(summary)
`,
  },
  {
    id: 'original-multi-step',
    title: 'Multi-step (original)',
    description: "After the original's Multi-step: llama3 rates the sentiment, Python picks the mood, llama3 writes a report (JSON)",
    manifest: { name: 'sentiment-report', description: 'Rates the sentiment of a text and reports on it as JSON (after the original app\'s Multi-step)', tags: ['text', 'json'], models: ['llama3'], inputHint: 'A review, a message, any text' },
    code: `import json

from platform_sdk import call_ai, get_input, send_output


def first_number(answer):
    """The first word of the model's answer that reads as a number; 0 when none does."""
    for word in answer.split():
        try:
            return float(word)
        except ValueError:
            continue
    return 0


def mood_for(score):
    if score > 7:
        return "positive"
    if score > 4:
        return "neutral"
    return "negative"


text = get_input()
# 1. The model rates the text.
rating = call_ai("llama3", "How positive is this text, from 0 to 10? Answer with the number only: " + text)
# 2. Plain Python, no AI: the mood from the score.
score = first_number(rating)
mood = mood_for(score)
# 3. The model writes a report that knows the mood.
report = call_ai("llama3", f"Write a short report on the sentiment of this text. Text: {text}. Mood: {mood}")
send_output(json.dumps({"mood": mood, "score": score, "report": report}, indent=2))
`,
  },
  {
    id: 'original-translate',
    title: 'Translate (original)',
    description: "After the original's Translate: llama3 translates the input into Vietnamese",
    manifest: { name: 'vietnamese-translator', description: 'Translates text into Vietnamese (after the original app\'s Translate)', tags: ['translation'], models: ['llama3'], inputHint: 'Text to translate into Vietnamese' },
    code: `from platform_sdk import call_ai, get_input, send_output

# After the original app's "Translate" starter: into Vietnamese, the answer as it comes.
text = get_input()
send_output(call_ai("llama3", "Translate this text into Vietnamese: " + text))
`,
  },
  {
    id: 'original-code-review',
    title: 'Code review (original)',
    description: "After the original's Code review: three mistral passes (bugs, security, suggestions) as JSON",
    manifest: { name: 'code-review-report', description: 'Reviews code for bugs, security and improvements, as JSON (after the original app\'s Code review)', tags: ['code', 'json'], models: ['mistral'], inputHint: 'Paste the code to review' },
    code: `import json

from platform_sdk import call_ai, get_input, send_output

# After the original app's "Code review" starter: one mistral call per question, in this order.
QUESTIONS = {
    "bugs": "Find the bugs in this code. Be concise: ",
    "security": "Look for security vulnerabilities in this code. Be concise: ",
    "suggestions": "Suggest improvements to this code. Be concise: ",
}

code = get_input()
review = {part: call_ai("mistral", question + code) for part, question in QUESTIONS.items()}
send_output(json.dumps(review, indent=2))
`,
  },
];
