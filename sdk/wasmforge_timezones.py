"""Time zones for a guest with no files (the SDK's, loaded before it): zoneinfo asks the host.

`install(zone_bytes)` puts a finder first on sys.meta_path; `zone_bytes(key)` returns a zone's TZif
bytes as a binary file, or raises FileNotFoundError. Nothing here reaches the host by itself.
"""


def _no_zones(key):
    raise FileNotFoundError(key)


_zone_bytes = _no_zones


def install(zone_bytes):
    global _zone_bytes
    import sys
    _zone_bytes = zone_bytes
    sys.meta_path.insert(0, _TimeZones())


class _TimeZones:
    """Time zones for a guest with no files. zoneinfo's loader (zoneinfo._common.load_tzdata) is
    given one that asks the host for a zone's TZif bytes, one request per zone when first used;
    zoneinfo's own would import importlib.resources (and inspect: half a second in WebAssembly).
    The `tzdata` package it falls back to is here too, for code that reads it by name."""

    def find_spec(self, name, path=None, target=None):
        if name == "zoneinfo._common":
            return self._patched(name, path, target)
        if name != "tzdata" and not name.startswith("tzdata."):
            return None
        import importlib.machinery
        # A loader by its methods (create_module, exec_module): importlib.abc.Loader as a base would
        # import more at start-up, which costs milliseconds inside WebAssembly.
        return importlib.machinery.ModuleSpec(name, self, is_package=True)  # pyright: ignore[reportArgumentType]

    def _patched(self, name, path, target):
        import sys
        for finder in sys.meta_path:
            spec = None if finder is self else getattr(finder, "find_spec", lambda *a: None)(name, path, target)
            if spec is not None:
                spec.loader = _ZoneinfoLoader(spec.loader)
                return spec
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.__path__ = []

    def get_resource_reader(self, name):
        # importlib.resources asks "tzdata.zoneinfo.Europe" for "Paris": the folder is the key's head.
        return _ZoneFolder(name.split(".")[2:] if name.startswith("tzdata.zoneinfo") else [])


class _ZoneinfoLoader:
    """Loads zoneinfo._common as it is, then swaps in a load_tzdata that asks the host."""

    def __init__(self, loader):
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)

        def load_tzdata(key):
            try:
                return _zone_bytes(key)
            except FileNotFoundError:
                raise module.ZoneInfoNotFoundError("No time zone found with key %s" % key) from None

        module.load_tzdata = load_tzdata


class _ZoneFolder:
    def __init__(self, parts):
        self._parts = parts

    def files(self):
        return self

    def joinpath(self, *names):
        return _ZoneFile("/".join([*self._parts, *names]))


class _ZoneFile:
    def __init__(self, key):
        self._key = key

    def open(self, mode="r", *args, **kwargs):
        data = _zone_bytes(self._key)
        if "b" in mode:
            return data
        import io
        return io.StringIO(data.read().decode("utf-8"))
