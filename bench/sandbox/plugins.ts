/** The plugins the sandbox benchmark runs, shared by the in-process suite and its child processes. */
export const HELLO = 'from platform_sdk import get_input, send_output\nsend_output("hello " + get_input())';
export const CPU_BOUND = 'from platform_sdk import send_output\ns = 0\nfor i in range(300000):\n    s += i\nsend_output(str(s))';
export const AI_CALLS = (n: number) =>
  `from platform_sdk import call_ai, send_output\nfor i in range(${n}):\n    call_ai("gemma2:2b", "hi")\nsend_output("done")`;
export const LOCAL_CALLS = (n: number) =>
  `from platform_sdk import send_output\ndef call(model, prompt): return prompt\nfor i in range(${n}):\n    call("gemma2:2b", "hi")\nsend_output("done")`;
