# Runs inside the sandbox: a multi-file plugin's own modules and data files, handed in with its
# job (src/sandbox/guest-code.ts encodes them), held in memory and read-only. The guest still has
# no file system: `import helpers` and `from pkg import x` are answered by the importer below,
# and data files by platform_sdk.read_plugin_file.
import sys


def decode_files(blob):
    """b"<path>\\n<length>\\n" + bytes, repeated, in path order: {path: bytes}."""
    files, at = {}, 0
    while at < len(blob):
        path_end = blob.index(b"\n", at)
        length_end = blob.index(b"\n", path_end + 1)
        start = length_end + 1
        end = start + int(blob[path_end + 1:length_end])
        files[blob[at:path_end].decode("utf-8")] = blob[start:end]
        at = end
    return files


class PluginImporter:
    """A meta path finder and loader over the plugin's .py files. It comes after the standard
    ones, so the standard library always wins (a plugin's json.py is never imported in place of
    json, nor run by the runner's own imports); each module is compiled with its own path as its
    file name, so tracebacks name the file and line."""

    def __init__(self, files, sources):
        self.files = files
        self.sources = sources

    def find_spec(self, name, path=None, target=None):
        from importlib.machinery import ModuleSpec
        base = name.replace(".", "/")
        for origin, package in ((base + "/__init__.py", True), (base + ".py", False)):
            if origin in self.files:
                # A loader by its methods (typeshed wants an importlib.abc.Loader, which start-up need not import).
                spec = ModuleSpec(name, self, origin=origin, is_package=package)  # pyright: ignore[reportArgumentType]
                spec.has_location = True
                return spec
        if any(path.startswith(base + "/") for path in self.files):
            # A folder of modules with no __init__.py: a namespace package, as on disk.
            return ModuleSpec(name, self, is_package=True)  # pyright: ignore[reportArgumentType]
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        origin = module.__spec__.origin
        if origin not in self.files:
            return  # a namespace package: nothing to run
        source = self.get_source(module.__name__)
        module.__file__ = origin
        exec(compile(source, origin, "exec", dont_inherit=True), module.__dict__)

    def get_source(self, name):
        spec_origin = self._origin(name)
        source = self.files[spec_origin].decode("utf-8")
        self.sources[spec_origin] = source  # for the runner's tracebacks
        return source

    def _origin(self, name):
        base = name.replace(".", "/")
        return base + "/__init__.py" if base + "/__init__.py" in self.files else base + ".py"


def install(files, sources):
    """Makes the plugin's modules importable (only a plugin with more files than its entry)."""
    if any(path.endswith(".py") for path in files):
        sys.meta_path.append(PluginImporter(files, sources))
