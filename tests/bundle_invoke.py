"""Runs INSIDE an unzipped bundle, as the platform would: import the handler, invoke it once.

Not a test module and never imported by one: `test_bundles.py` runs this file's source
with `python -I -c` in the bundle directory, which it puts first on the path as the
runtimes put their code directory; nothing of the project is on the path.
Standard library only.

stdin: {"handler": "index.handler", "platform": ..., "event": {...}, "context": {...},
        "runtime_path": [dirs the platform's runtime provides, e.g. Lambda's boto3]}
    or {"import_only": [module names], "runtime_path": [...]}: import those, invoke nothing
    or {"exec": "code setting result", "runtime_path": [...]}: run it, report `result`
stdout (last line): {"result": ... | null, "error": "Type: message" | null,
        "import_events": [audit events seen while importing],
        "modules": {name: file of each module loaded after the interpreter's start-up}, ...}

While the handler module is imported, an audit hook records what a cold start must not
do: connect a socket, resolve a host name, start a process or write a file. The test
compares them with what the vendor SDK modules alone do at import (some SDKs write files).
"""

import importlib
import json
import os
import site
import sys
import traceback

#: Loaded by the interpreter's start-up (site), before anything of the bundle.
_PRELOADED = frozenset(sys.modules)
_WATCHED = ("socket.connect", "socket.getaddrinfo", "subprocess.Popen", "os.system")
_import_events = []
_importing = [False]


def _audit(event, args):
    if not _importing[0]:
        return
    if event in _WATCHED:
        _import_events.append(f"{event} {args[1] if event == 'socket.connect' else ''}".strip())
    elif event == "open" and _writes(args):
        _import_events.append(f"open for writing {_home_relative(args[0])}")


def _home_relative(path):
    home = os.environ.get("HOME")
    return str(path).replace(home, "~", 1) if home else str(path)


def _writes(args):
    mode = args[1] if len(args) > 1 else None
    flags = args[2] if len(args) > 2 else 0
    if isinstance(mode, str):
        return any(letter in mode for letter in "wax+")
    return isinstance(flags, int) and bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))


class FunctionGraphContext:
    """The methods of FunctionGraph's Python context object that handlers call."""

    def __init__(self, spec):
        self._spec = spec

    def getRequestID(self):
        return self._spec["request_id"]

    def getRemainingTimeInMilliSeconds(self):
        return self._spec["remaining_ms"]

    def getSecurityAccessKey(self):
        return self._spec["access_key"]

    def getSecuritySecretKey(self):
        return self._spec["secret_key"]

    def getSecurityToken(self):
        return self._spec["security_token"]

    def getProjectID(self):
        return self._spec["project_id"]


class LambdaContext:
    """Lambda's context object: the spec's fields as attributes, and the remaining time."""

    def __init__(self, spec):
        self._remaining_ms = spec["remaining_ms"]
        for name, value in spec.items():
            if name != "remaining_ms":
                setattr(self, name, value)

    def get_remaining_time_in_millis(self):
        return self._remaining_ms


def _context(platform, spec):
    if platform == "huaweicloud":
        return FunctionGraphContext(spec)
    if platform == "aws":
        return LambdaContext(spec)
    return dict(spec)  # SCF passes a plain dict


def main():
    request = json.loads(sys.stdin.read())
    # As the runtimes do: the code directory first, then what the runtime itself provides.
    sys.path[:0] = [os.getcwd()]  # noqa: PTH109 (standard library os only, on purpose)
    sys.path.extend(request.get("runtime_path", []))
    output = {
        "result": None,
        "error": None,
        "import_events": _import_events,
        "modules": {},
        "stdlib": os.path.realpath(sys.base_prefix),
        "site_packages": [os.path.realpath(p) for p in site.getsitepackages()],
    }
    sys.addaudithook(_audit)
    try:
        _importing[0] = True
        if "import_only" in request:  # the baseline: the vendor SDK modules alone
            for name in request["import_only"]:
                importlib.import_module(name)
        elif "exec" in request:  # a code path an invocation against stubs cannot reach
            _importing[0] = False
            namespace = {}
            exec(request["exec"], namespace)
            output["result"] = namespace.get("result")
        else:
            module_name, function_name = request["handler"].rsplit(".", 1)
            module = importlib.import_module(module_name)
            _importing[0] = False
            handler = getattr(module, function_name)
            context = _context(request["platform"], request["context"])
            output["result"] = handler(request["event"], context)
    except BaseException as error:  # report whatever it is to the test
        output["error"] = f"{type(error).__name__}: {error}"
        traceback.print_exc()
    _importing[0] = False
    output["modules"] = {
        name: os.path.realpath(module.__file__)
        for name, module in sorted(sys.modules.items())
        if name not in _PRELOADED and getattr(module, "__file__", None)
    }
    sys.stdout.write("\n" + json.dumps(output, default=str) + "\n")


main()
