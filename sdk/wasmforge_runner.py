# Runs inside the sandbox: warms up (prepare), waits for one job, runs the plugin, reports, exits
# (serve). The bootstrap (src/sandbox/guest-code.ts) calls them.
# The host trusts nothing this file sends; it is here to give plugins exact data and good errors.
# Only what every run needs is imported up front: traceback, linecache and json cost tens of
# milliseconds of start-up inside WebAssembly, so they load when a run fails or asks for them.
import io
import sys

import platform_sdk as sdk
import wasmforge_files

# The sources of the SDK's files and the plugin's by file name: a global the bootstrap gives this
# module (src/sandbox/guest-code.ts). An annotation only: it binds nothing at run time.
SOURCES: dict[str, str]

HOST_FILES = ("wasmforge_runner.py", "platform_sdk.py", "wasmforge_files.py", "wasmforge_channel.py", "wasmforge_timezones.py")
GUEST_REPORTABLE = ("PLUGIN_ERROR", "SYNTAX_ERROR", "MEMORY_LIMIT")
# Python frames live on the heap in 3.12, so a huge recursion limit only swaps a quick
# RecursionError for a run that exhausts its memory or its time. Plugins may raise it up to this.
MAX_RECURSION_LIMIT = 100_000
RECURSIVE_CUTOFF = 3  # as in the traceback module
TRACEBACK_EDGE = 50
# The host refuses a report whose message passes 64 KiB or whose traceback passes 512 KiB (as a
# protocol error): longer ones are cut in the middle here, so a plugin's failure always arrives.
MAX_MESSAGE_CHARS = 16_000
MAX_TRACEBACK_CHARS = 200_000


class PrintedText(io.TextIOBase):
    """print()'s stream. In the original app print() was the output; here it goes to the logs
    (fd 2: fd 1 carries frames) and is kept, up to the output limit, to be the output of a run
    that sends none."""

    def __init__(self):
        self.kept = []
        self.room = 0
        self.cut = False

    def writable(self):
        return True

    def write(self, text):
        sys.stderr.write(text)
        kept = text[:max(self.room, 0)]
        self.cut = self.cut or len(kept) < len(text)
        self.kept.append(kept)
        self.room -= len(kept)
        return len(text)

    def flush(self):
        sys.stderr.flush()

    def as_output(self, limit):
        data = "".join(self.kept).encode("utf-8", "surrogateescape")
        if len(data) > limit:
            # Cut on a character boundary: the output stays valid UTF-8.
            self.cut, data = True, data[:limit].decode("utf-8", "ignore").encode("utf-8")
        return data


PRINTED = PrintedText()


def redirect_console():
    # print() must never reach fd 1, which carries frames.
    sys.stdout = PRINTED
    sys.stdin = io.StringIO("")


def send_printed_output(limit):
    """A run that sent no output has what it printed as its output, as in the original app."""
    if sdk._output_sent or not PRINTED.kept:
        return
    data = PRINTED.as_output(limit)
    if PRINTED.cut:
        sys.stderr.write("[wasmforge] printed text was cut at the %s output limit\n" % size_text(limit))
        sys.stderr.flush()
    sdk._channel.send("out", data)


def size_text(limit):
    if limit >= 1024 * 1024:
        return "%g MiB" % round(limit / (1024 * 1024), 1)
    if limit >= 1024:
        return "%g KiB" % round(limit / 1024, 1)
    return "%d bytes" % limit


def cap_recursion_limit():
    set_limit = sys.setrecursionlimit

    def setrecursionlimit(limit):
        """Set the maximum depth of the Python interpreter stack (at most 100000 in WasmForge)."""
        set_limit(min(limit, MAX_RECURSION_LIMIT) if isinstance(limit, int) else limit)

    sys.setrecursionlimit = setrecursionlimit


def show_sources_in_tracebacks():
    import linecache
    for filename, source in SOURCES.items():  # noqa: F821 (SOURCES is given by the bootstrap)
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)


def plugin_traceback(error):
    import traceback
    show_sources_in_tracebacks()
    frames, notes = plugin_frames(error.__traceback__)
    summary = traceback.extract_tb(chain(frames))
    text = "Traceback (most recent call last):\n" if frames else ""
    for index, frame in enumerate(summary):
        text += summary.format_frame_summary(frame) + notes.get(index, "")
    text += "".join(traceback.format_exception_only(type(error), error))
    return text, summary


def plugin_frames(tb):
    """The user's own frames (the runner and the SDK are the host's business), cut short cheaply.

    A RecursionError carries up to MAX_RECURSION_LIMIT frames, and the traceback module would
    format every one before folding the repeats: here a line repeated in a row is kept
    RECURSIVE_CUTOFF times, as Python prints it, and only the outermost and innermost
    TRACEBACK_EDGE frames of what is left. Returns the frames' traceback entries and, by index,
    the note that follows a frame.
    """
    entries, notes, last, run = [], {}, None, 0
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename not in HOST_FILES and not code.co_filename.startswith("<frozen importlib"):
            key = (code.co_filename, tb.tb_lineno, code.co_name)
            run = run + 1 if key == last else 1
            last = key
            if run <= RECURSIVE_CUTOFF:
                entries.append(tb)
            else:
                notes[len(entries) - 1] = run - RECURSIVE_CUTOFF
        tb = tb.tb_next
    notes = {index: "  [Previous line repeated %d more time%s]\n" % (n, "s" if n > 1 else "") for index, n in notes.items()}
    if len(entries) <= 2 * TRACEBACK_EDGE:
        return entries, notes
    omitted = len(entries) - 2 * TRACEBACK_EDGE
    tail = len(entries) - TRACEBACK_EDGE
    kept_notes = {i: note for i, note in notes.items() if i < TRACEBACK_EDGE}
    kept_notes.update({i - omitted: note for i, note in notes.items() if i >= tail})
    kept_notes[TRACEBACK_EDGE - 1] = kept_notes.get(TRACEBACK_EDGE - 1, "") + "  [... %d frames omitted ...]\n" % omitted
    return entries[:TRACEBACK_EDGE] + entries[tail:], kept_notes


def chain(entries):
    """A traceback made of just these entries, for the traceback module to read."""
    import types
    tb = None
    for entry in reversed(entries):
        tb = types.TracebackType(tb, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return tb


def clipped(text, limit):
    if len(text) <= limit:
        return text
    keep = limit // 2
    return "%s\n[... %d characters omitted ...]\n%s" % (text[:keep], len(text) - 2 * keep, text[-keep:])


def send_report(report):
    report["message"] = clipped(report["message"], MAX_MESSAGE_CHARS)
    report["traceback"] = clipped(report["traceback"], MAX_TRACEBACK_CHARS)
    # ASCII JSON: a lone surrogate (bytes decoded with surrogateescape) stays valid UTF-8 on the wire.
    sdk._channel.send("error", sdk._json.dumps(report))


def report_syntax_error(error, filename):
    import traceback
    text = "".join(traceback.format_exception_only(type(error), error))
    send_report({
        "code": "SYNTAX_ERROR", "message": "%s: %s" % (type(error).__name__, error.msg),
        "traceback": text, "line": error.lineno or 0, "column": error.offset or 0,
    })


def report_helper_syntax_error(error, filename):
    text, frames = plugin_traceback(error)
    in_plugin = [f for f in frames if f.filename == filename]
    send_report({
        "code": "SYNTAX_ERROR",
        "message": "%s in %s, line %d: %s" % (type(error).__name__, error.filename, error.lineno or 0, error.msg),
        "traceback": text, "line": in_plugin[-1].lineno if in_plugin else 0,
    })


def is_out_of_memory(error):
    # On 32-bit WebAssembly a request for 2 GiB or more cannot even be expressed: CPython says
    # OverflowError where a 64-bit build would say MemoryError. Both mean "more than the cap".
    return isinstance(error, MemoryError) or (
        isinstance(error, OverflowError) and "index-sized integer" in str(error))


def report_exception(error, filename):
    if is_out_of_memory(error):
        code, message = "MEMORY_LIMIT", "The plugin ran out of memory (%s)" % type(error).__name__
    else:
        code = getattr(error, "code", "PLUGIN_ERROR") if isinstance(error, sdk.WasmForgeError) else "PLUGIN_ERROR"
        message = "%s: %s" % (type(error).__name__, error) if str(error) else type(error).__name__
    try:
        text, frames = plugin_traceback(error)
        in_plugin = [f for f in frames if f.filename == filename]
        line = in_plugin[-1].lineno if in_plugin else 0
    except MemoryError:
        text, line = message, 0
    send_report({"code": code, "message": message, "traceback": text, "line": line or 0})


def exit_status_error(status):
    if status is None or status == 0:
        return None
    if isinstance(status, int):
        return "The plugin exited with status %d" % status
    return "The plugin exited: %s" % (status,)


def run_job(job):
    filename = job["filename"]
    source = job["code"]
    SOURCES[filename] = source  # noqa: F821
    sdk._begin(job)
    wasmforge_files.install(job["files"], SOURCES)  # noqa: F821
    # The original's plugins read their input from stdin too (input(), sys.stdin.read()).
    sys.stdin = io.StringIO(job["input"])
    PRINTED.room = job["output_bytes"] + 1
    try:
        code = compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as error:
        report_syntax_error(error, filename)
        return
    if job["mode"] == "check":
        sdk._channel.send("done", b"")
        return
    namespace = {"__name__": "__main__", "__file__": filename, "__builtins__": __builtins__}
    try:
        exec(code, namespace)
    except SystemExit as stop:
        message = exit_status_error(stop.code)
        if message:
            send_report({"code": "PLUGIN_ERROR", "message": message, "traceback": ""})
            return
    except SyntaxError as error:
        # A helper module's (the entry's was caught by compile above): said with its file, marked at the import.
        report_helper_syntax_error(error, filename)
        return
    except BaseException as error:  # the plugin's own failure, whatever it is, becomes its report
        report_exception(error, filename)
        return
    finally:
        sys.stderr.flush()
    send_printed_output(job["output_bytes"])
    sdk._channel.send("done", b"")


def decode_job(payload):
    """b"<mode>\\n<filename>\\n<output limit>\\n<code length>\\n<files length>\\n" + code + files +
    input: code and input UTF-8, files as wasmforge_files.decode_files reads them (no JSON needed)."""
    mode, filename, output_bytes, code_length, files_length, rest = payload.split(b"\n", 5)
    code_end = int(code_length)
    files_end = code_end + int(files_length)
    return {
        "mode": mode.decode(), "filename": filename.decode(), "output_bytes": int(output_bytes),
        "code": rest[:code_end].decode("utf-8"), "files": wasmforge_files.decode_files(rest[code_end:files_end]),
        "input": rest[files_end:].decode("utf-8"),
    }


def prepare():
    redirect_console()
    cap_recursion_limit()


def reseed():
    """A restored sandbox starts from a memory image that every run shares: modules imported
    before it was taken must not hand each run the same random numbers."""
    random = sys.modules.get("random")
    if random is not None:
        random.seed()


def serve():
    """One run: announce, take the job, run it, end the instance (never returns)."""
    reseed()
    sdk._channel.send("ready", b"")
    kind, payload = sdk._channel.receive()
    if kind == "run":
        run_job(decode_job(payload))
    # The instance is thrown away after one run: skip interpreter finalization (tens of
    # milliseconds inside WebAssembly). The report has been sent already.
    sys.stderr.flush()
    import os
    os._exit(0)


def main():
    """A process per run (WasmEdge): the host's mark for frames on fd 2, if the plugin closes fd 1, is argv[1]."""
    sdk._channel.fallback_mark = sys.argv[1] if len(sys.argv) > 1 else None
    prepare()
    serve()
