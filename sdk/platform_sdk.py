"""WasmForge plugin SDK: the only way a plugin reaches the world outside its sandbox.

A plugin reads its input, may call approved AI models through the host, and sends its output:

    from platform_sdk import call_ai, get_input, send_output

    text = get_input()
    send_output(call_ai("qwen2.5:1.5b", "Summarize: " + text))

Every request goes to the host, which enforces the limits (AI calls, prompt length, approved
models, output size); nothing in this module is trusted by the host.
"""

import wasmforge_channel as _channel_module
import wasmforge_timezones as _timezones


class _LazyJson:
    """json pulls in re and enum, ~40 ms of start-up inside WebAssembly: load it on first use."""

    def __getattr__(self, name):
        import json
        return getattr(json, name)


_json = _LazyJson()
# The original SDK's `from platform_sdk import *` brought json along, and its plugins use it so.
json = _json

__all__ = [
    "json",
    "get_input", "get_input_json", "send_output", "call_ai", "call_ai_many", "embed", "list_models", "AIStream",
    "read_plugin_file",
    "WasmForgeError", "InputError", "AIError", "ModelNotAllowedError", "ModelNotInstalledError",
    "PromptTooLongError", "AICallLimitError", "AITokenLimitError", "AIUnavailableError", "ReplayMissError",
]


class WasmForgeError(Exception):
    """Base class of the errors the SDK raises; `code` is the host's stable error code."""

    code = "PLUGIN_ERROR"


class InputError(WasmForgeError, ValueError):
    """The input is not what the plugin asked for (e.g. not valid JSON)."""

    code = "BAD_INPUT"


class AIError(WasmForgeError):
    """An AI call failed; subclasses say why."""

    code = "AI_ERROR"


class ModelNotAllowedError(AIError):
    code = "MODEL_NOT_ALLOWED"


class ModelNotInstalledError(AIError):
    code = "MODEL_NOT_INSTALLED"


class PromptTooLongError(AIError):
    code = "PROMPT_TOO_LONG"


class AICallLimitError(AIError):
    code = "AI_CALL_LIMIT"


class AITokenLimitError(AIError):
    code = "AI_TOKEN_LIMIT"


class AIUnavailableError(AIError):
    code = "AI_UNAVAILABLE"


class ReplayMissError(AIError):
    code = "REPLAY_MISS"


_AI_ERRORS = {cls.code: cls for cls in (
    AIError, ModelNotAllowedError, ModelNotInstalledError, PromptTooLongError, AICallLimitError,
    AITokenLimitError, AIUnavailableError, ReplayMissError,
)}


_channel = _channel_module.Channel(WasmForgeError)
_input = ""
# Whether the plugin has sent output: each later send_output starts a new line (the original's
# send_output was print), and a run that sends none has what it printed as its output.
_output_sent = False
# The plugin's own files ({path: bytes}), handed in with the job: read-only, in memory.
_plugin_files = {}


def _begin(job):
    """Called by the runner with the job before the plugin starts."""
    global _input, _plugin_files
    _input = job.get("input", "")
    _plugin_files = job.get("files", {})


def read_plugin_file(path, encoding="utf-8"):
    """Return a file of the plugin's own folder ("data/words.txt"), as text, or as bytes with
    encoding=None. The plugin's files come with the run; no other file can be read."""
    data = _plugin_files.get(path) if isinstance(path, str) else None
    if data is None:
        raise FileNotFoundError(2, "No such file in the plugin", path)
    return data if encoding is None else data.decode(encoding)


def get_input():
    """Return the whole input the user gave this run, as a string."""
    return _input


def get_input_json():
    """Return the input parsed as JSON; raise InputError when it is not valid JSON."""
    try:
        return _json.loads(_input)
    except ValueError as error:
        raise InputError("The input is not valid JSON: %s" % error) from None


def send_output(value):
    """Send (part of) the result to the user.

    Strings are sent as they are, bytes byte for byte, dicts and lists as JSON, anything else as
    str(value). Each call after the first starts on a new line, as print did in the original app.
    """
    global _output_sent
    payload: bytes | str
    if isinstance(value, (bytes, bytearray, memoryview)):
        payload = bytes(value)
    elif isinstance(value, (dict, list, tuple)):
        payload = _json.dumps(value, ensure_ascii=False)
    else:
        payload = value if isinstance(value, str) else str(value)
    if _output_sent:
        payload = b"\n" + payload if isinstance(payload, bytes) else "\n" + payload
    _output_sent = True
    _channel.send("out", payload)


def call_ai(model, prompt=None, *, system=None, temperature=None, max_tokens=None, json=False,
            messages=None, images=None, stream=False):
    """Ask an approved model and return its whole answer as a string.

    Pass either `prompt` (text) or `messages` (chat form: a list of {"role", "content"} dicts).
    `system`, `temperature`, `max_tokens` and `json` (ask for a JSON answer) are optional;
    `images` (bytes or base64 text) go to vision models. With `stream=True` the answer comes
    back as an iterator of text pieces as the model writes them.
    Raises an AIError subclass when the host refuses or the model fails.
    """
    request = _ai_request(model, prompt, system, temperature, max_tokens, json, messages, images)
    if stream:
        request["stream"] = True
        return AIStream(_ai_reply(request)["stream"])
    return _ai_reply(request)["text"]


def call_ai_many(calls, *, return_exceptions=False):
    """Run several AI calls at once and return their answers in the order of `calls`.

    Each call is a dict of call_ai's arguments ({"model": ..., "prompt": ..., ...}) or a
    (model, prompt) pair. The host runs a few at a time; each counts as one AI call. The first
    failure is raised, unless `return_exceptions=True` puts the AIError in its place instead.
    """
    if not isinstance(calls, (list, tuple)):
        raise TypeError("call_ai_many: give a list of calls")
    requests = [_ai_request(**_call_arguments(call)) for call in calls]
    if not requests:
        return []
    results = []
    for result in _ai_reply({"many": requests})["results"]:
        error = result.get("error")
        results.append(_ai_error(error) if error else result["text"])
    failures = [item for item in results if isinstance(item, AIError)]
    if failures and not return_exceptions:
        raise failures[0]
    return results


def embed(model, text):
    """Return the embedding of `text` (a list of floats), or a list of them when `text` is a list."""
    if not isinstance(model, str):
        raise TypeError("embed: model must be a string such as 'nomic-embed-text'")
    single = isinstance(text, str)
    if not single and not (isinstance(text, (list, tuple)) and all(isinstance(t, str) for t in text)):
        raise TypeError("embed: text must be a string or a list of strings")
    vectors = _ai_reply({"embed": {"model": model, "input": text if single else list(text)}})["embeddings"]
    return vectors[0] if single else vectors


class AIStream:
    """The pieces of a streamed answer, in order; `text` holds everything read so far."""

    def __init__(self, stream_id):
        self._id = stream_id
        self._done = False
        self.text = ""

    def __iter__(self):
        return self

    def __next__(self):
        while not self._done:
            reply = _ai_reply({"next": self._id})
            self._done = bool(reply.get("done"))
            if reply.get("text"):
                self.text += reply["text"]
                return reply["text"]
        raise StopIteration


def _ai_request(model, prompt=None, system=None, temperature=None, max_tokens=None, json=False,
                messages=None, images=None) -> dict[str, object]:
    if not isinstance(model, str):
        raise TypeError("call_ai: model must be a string such as 'qwen2.5:1.5b'")
    if prompt is None and messages is None:
        raise TypeError("call_ai: give a prompt or messages")
    if prompt is not None and not isinstance(prompt, str):
        raise TypeError("call_ai: prompt must be a string")
    if messages is not None:
        messages = [_chat_message(message) for message in messages]
    if images is not None:
        images = [_image_text(image) for image in images]
    request: dict[str, object] = {"model": model}
    for key, value in (("prompt", prompt), ("system", system), ("temperature", temperature),
                       ("maxTokens", max_tokens), ("messages", messages), ("images", images)):
        if value is not None:
            request[key] = value
    if json:
        request["json"] = True
    return request


def _call_arguments(call):
    if isinstance(call, dict):
        return dict(call)
    if isinstance(call, (list, tuple)) and len(call) == 2:
        return {"model": call[0], "prompt": call[1]}
    raise TypeError("call_ai_many: each call is a dict of call_ai arguments or a (model, prompt) pair")


def _chat_message(message):
    if not isinstance(message, dict):
        raise TypeError("call_ai: each message is a dict with 'role' and 'content'")
    out = {"role": message.get("role"), "content": message.get("content")}
    if message.get("images") is not None:
        out["images"] = [_image_text(image) for image in message["images"]]
    return out


def _image_text(image):
    if isinstance(image, (bytes, bytearray, memoryview)):
        import binascii
        return binascii.b2a_base64(bytes(image), newline=False).decode("ascii")
    if isinstance(image, str):
        return image
    raise TypeError("call_ai: an image is bytes or base64 text")


def _ai_error(reply):
    return _AI_ERRORS.get(reply.get("code"), AIError)(reply.get("message", "AI call failed"))


def _ai_reply(request):
    kind, reply = _channel.request("ai", request)
    if kind == "ai_ok":
        return reply
    raise _ai_error(reply)


def list_models():
    """Return the names of the models this plugin may call."""
    kind, reply = _channel.request("models", {})
    if kind != "models_ok":
        raise _ai_error(reply)
    return list(reply)


def _zone_bytes(key):
    kind, reply = _channel.request("tz", {"key": key})
    if kind != "tz_ok":
        raise FileNotFoundError(key)
    import base64
    import io
    return io.BytesIO(base64.b64decode(reply["data"]))


_timezones.install(_zone_bytes)
