# Runs inside the sandbox: warms up, waits for one job, runs the plugin, reports, exits.
# The host trusts nothing this file sends; it is here to give plugins exact data and good errors.
# Only what every run needs is imported up front: traceback, linecache and json cost tens of
# milliseconds of start-up inside WebAssembly, so they load when a run fails or asks for them.
import io
import sys

import platform_sdk as sdk

HOST_FILES = ("wasmforge_runner.py", "platform_sdk.py")
GUEST_REPORTABLE = ("PLUGIN_ERROR", "SYNTAX_ERROR", "MEMORY_LIMIT")


def redirect_console():
    # print() must never reach fd 1, which carries frames: it goes to the log stream (fd 2).
    sys.stdout = sys.stderr
    sys.stdin = io.StringIO("")


def show_sources_in_tracebacks():
    import linecache
    for filename, source in SOURCES.items():  # noqa: F821 (SOURCES is given by the bootstrap)
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)


def plugin_traceback(error):
    import traceback
    show_sources_in_tracebacks()
    # The user's own frames only: the runner and the SDK are the host's business.
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename not in HOST_FILES]
    text = "Traceback (most recent call last):\n" if frames else ""
    text += "".join(traceback.format_list(frames))
    text += "".join(traceback.format_exception_only(type(error), error))
    return text, frames


def report_syntax_error(error, filename):
    import traceback
    text = "".join(traceback.format_exception_only(type(error), error))
    sdk._channel.send_json("error", {
        "code": "SYNTAX_ERROR", "message": "%s: %s" % (type(error).__name__, error.msg),
        "traceback": text, "line": error.lineno or 0, "column": error.offset or 0,
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
        plugin_frames = [f for f in frames if f.filename == filename]
        line = plugin_frames[-1].lineno if plugin_frames else 0
    except MemoryError:
        text, line = message, 0
    report = {"code": code, "message": message, "traceback": text, "line": line or 0}
    sdk._channel.send_json("error", report)


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
            sdk._channel.send_json("error", {"code": "PLUGIN_ERROR", "message": message, "traceback": ""})
            return
    except BaseException as error:  # the plugin's own failure, whatever it is, becomes its report
        report_exception(error, filename)
        return
    finally:
        sys.stderr.flush()
    sdk._channel.send("done", b"")


def decode_job(payload):
    """b"<mode>\\n<filename>\\n<code length>\\n" + code + input, both UTF-8 (no JSON needed)."""
    mode, filename, code_length, rest = payload.split(b"\n", 3)
    code_length = int(code_length)
    return {
        "mode": mode.decode(), "filename": filename.decode(),
        "code": rest[:code_length].decode("utf-8"), "input": rest[code_length:].decode("utf-8"),
    }


def main():
    redirect_console()
    sdk._channel.send("ready", b"")
    kind, payload = sdk._channel.receive()
    if kind != "run":
        return
    run_job(decode_job(payload))


main()
# The instance is thrown away after one run: skip interpreter finalization (tens of milliseconds
# inside WebAssembly) so that the next sandbox warms up sooner. The report has been sent already.
sys.stderr.flush()
import os  # noqa: E402
os._exit(0)
