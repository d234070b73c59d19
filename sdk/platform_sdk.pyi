"""WasmForge plugin SDK: the only way a plugin reaches the world outside its sandbox.

A plugin reads its input, may call approved AI models through the host, and sends its output::

    from platform_sdk import call_ai, get_input, send_output

    text = get_input()
    send_output(call_ai("qwen2.5:1.5b", "Summarize: " + text))

The host enforces every limit: AI calls per run (10), prompt length (4000 characters), approved
models, input and output size (1 MiB each), memory (256 MiB) and time (120 s).

The sandbox's Python is CPython 3.12's standard library, less what a WASI build without files or
OpenSSL lacks: ``_pydecimal`` (``decimal`` works), ``lzma``, ``ssl``, and ``hashlib.pbkdf2_hmac`` /
``hashlib.scrypt`` (``hashlib``'s sha*, blake2, md5 and ``hmac`` work). Time zones work:
``zoneinfo.ZoneInfo("Europe/Paris")`` reads the IANA data from the host, one zone at a time.
"""

import json as json  # `from platform_sdk import *` brings json along, as the original SDK did
from typing import Any, Iterator, Literal, Mapping, Sequence, TypedDict, overload

class ChatMessage(TypedDict, total=False):
    role: Literal["system", "user", "assistant"]
    content: str
    images: list[bytes | str]

class WasmForgeError(Exception):
    """Base class of the errors the SDK raises; `code` is the host's stable error code."""
    code: str

class InputError(WasmForgeError, ValueError):
    """The input is not what the plugin asked for (e.g. not valid JSON). Code BAD_INPUT."""

class AIError(WasmForgeError):
    """An AI call failed; the subclasses say why. Code AI_ERROR."""

class ModelNotAllowedError(AIError):
    """The model is not approved for this plugin (settings allow-list and manifest). Code MODEL_NOT_ALLOWED."""

class ModelNotInstalledError(AIError):
    """The model is approved but not pulled into Ollama yet. Code MODEL_NOT_INSTALLED."""

class PromptTooLongError(AIError):
    """The prompt is longer than the run's prompt limit. Code PROMPT_TOO_LONG."""

class AICallLimitError(AIError):
    """This run has used all of its AI calls. Code AI_CALL_LIMIT."""

class AITokenLimitError(AIError):
    """This run has used its token budget. Code AI_TOKEN_LIMIT."""

class AIUnavailableError(AIError):
    """Ollama cannot be reached or stopped answering. Code AI_UNAVAILABLE."""

class ReplayMissError(AIError):
    """Replaying recorded AI answers, and this call was not recorded. Code REPLAY_MISS."""

def get_input() -> str:
    """Return the whole input the user gave this run, exactly as given (any Unicode, many lines)."""

def get_input_json() -> Any:
    """Return the input parsed as JSON. Raises InputError when it is not valid JSON."""

def send_output(value: str | bytes | bytearray | dict[str, Any] | list[Any] | tuple[Any, ...] | object) -> None:
    """Send (part of) the result to the user.

    Strings are sent as they are, bytes byte for byte, dicts, lists and tuples as JSON, anything
    else as str(value). Each call after the first starts on a new line, as print did in the
    original app; a run that sends nothing has what it printed as its output. Output is capped
    (1 MiB by default).
    """

@overload
def call_ai(
    model: str,
    prompt: str | None = None,
    *,
    system: str | None = None,
    temperature: float | None = None,
    max_tokens: int | None = None,
    json: bool = False,
    messages: Sequence[ChatMessage] | None = None,
    images: Sequence[bytes | str] | None = None,
    stream: Literal[False] = False,
) -> str: ...
@overload
def call_ai(
    model: str,
    prompt: str | None = None,
    *,
    system: str | None = None,
    temperature: float | None = None,
    max_tokens: int | None = None,
    json: bool = False,
    messages: Sequence[ChatMessage] | None = None,
    images: Sequence[bytes | str] | None = None,
    stream: Literal[True],
) -> "AIStream":
    """Ask an approved model and return its whole answer as a string.

    Pass either `prompt` (text) or `messages` (chat form: a list of {"role", "content"} dicts).
    `system`, `temperature`, `max_tokens` and `json` (ask for a JSON answer) are optional;
    `images` (bytes or base64 text) go to vision models. With `stream=True` the answer comes back
    as an iterator of text pieces as the model writes them.
    Raises an AIError subclass when the host refuses or the model fails.
    """

def call_ai_many(
    calls: Sequence[Mapping[str, Any] | tuple[str, str]], *, return_exceptions: bool = False
) -> list[str | AIError]:
    """Run several AI calls at once and return their answers in the order of `calls`.

    Each call is a dict of call_ai's arguments or a (model, prompt) pair; each counts as one AI
    call. The first failure is raised, unless `return_exceptions=True` puts it in its place.
    """

@overload
def embed(model: str, text: str) -> list[float]: ...
@overload
def embed(model: str, text: list[str] | tuple[str, ...]) -> list[list[float]]:
    """Return the embedding of `text` (a list of floats), or one per text when given a list."""

@overload
def read_plugin_file(path: str, encoding: str = "utf-8") -> str: ...
@overload
def read_plugin_file(path: str, encoding: None) -> bytes:
    """Return a file of the plugin's own folder ("data/words.txt"), as text, or as bytes with
    encoding=None; FileNotFoundError when the plugin has no file at that path."""

def list_models() -> list[str]:
    """Return the names of the models this plugin may call."""

class AIStream(Iterator[str]):
    """The pieces of a streamed answer, in order; `text` holds everything read so far."""
    text: str
    def __iter__(self) -> "AIStream": ...
    def __next__(self) -> str: ...
