"""autograph's exceptions, and tracebacks that show the user's code instead of generated code.

- ConversionError: a function cannot be converted (`file:line:col: sentence`).
- UnsupportedFeatureError: it uses a construct autograph refuses (generators, async, ...).
- SourceUnavailableError: it has no usable source (builtins, exec'd or REPL code, ...).
- StagingError: a construct met a tensor in a way that cannot be staged.

Generated code is compiled under a file name registered in `linecache` and in
`loader.SOURCE_MAPS` (generated line -> the user's OriginInfo). `rewrite_traceback(exc)` swaps
every traceback entry that runs generated code for an entry in the user's own file, line and
function (the technique of jinja2/debug.py), so `traceback` prints the user's source text.
"""

from __future__ import annotations

import builtins
import sys
import warnings

__all__ = [
    "AutographError",
    "AutographWarning",
    "ConversionError",
    "UnsupportedFeatureError",
    "SourceUnavailableError",
    "StagingError",
    "current_user_location",
    "rewrite_traceback",
    "add_user_frame_note",
]


class AutographError(Exception):
    """Base class of every error autograph raises on purpose."""


class AutographWarning(UserWarning):
    """A function runs unconverted (non-strict mode), or another conversion caveat."""


def _location_prefix(filename, lineno, col_offset):
    if filename is None:
        return ""
    if lineno is None:
        return f"{filename}: "
    if col_offset is None:
        return f"{filename}:{lineno}: "
    return f"{filename}:{lineno}:{col_offset + 1}: "


class ConversionError(AutographError):
    """A function cannot be converted.

    The message reads `file:line:col: sentence` (column 1-based) when the location is known;
    `filename`, `lineno` (1-based) and `col_offset` (0-based) are also attributes. A message
    that already starts with its location is kept as it is.

    `origin` may be given instead of the three location arguments: anything with `filename`,
    `lineno` and `col_offset` attributes (an origin_info.OriginInfo).
    """

    def __init__(self, message, filename=None, lineno=None, col_offset=None, *, origin=None):
        if origin is not None:
            filename = origin.filename if filename is None else filename
            lineno = origin.lineno if lineno is None else lineno
            col_offset = origin.col_offset if col_offset is None else col_offset
        self.filename = filename
        self.lineno = lineno
        self.col_offset = col_offset
        self.sentence = message
        prefix = _location_prefix(filename, lineno, col_offset)
        if prefix and message.startswith(prefix.rstrip()):
            prefix = ""
        super().__init__(prefix + message)

    def __reduce__(self):
        return (_rebuild, (type(self), self.sentence, self.filename, self.lineno,
                           self.col_offset, self.__dict__))


def _rebuild(cls, message, filename, lineno, col_offset, state):
    exc = cls(message, filename, lineno, col_offset)
    exc.__dict__.update(state)
    return exc


class UnsupportedFeatureError(ConversionError):
    """The function uses a construct that autograph does not convert."""


class SourceUnavailableError(ConversionError):
    """The function has no Python source that autograph can read and parse."""


class StagingError(AutographError):
    """A construct met a graph tensor in a way that cannot be staged.

    The message names the variable, the user's `file:line`, and says how to fix it. When it
    does not start with a location, the location of the innermost converted frame on the
    stack (current_user_location) is prepended. Attributes: `variable` (a name or None),
    `filename`, `lineno`, `source_line`.
    """

    def __init__(self, message, variable=None, origin=None):
        if origin is None and not _starts_with_location(message):
            origin = current_user_location()
        self.variable = variable
        self.origin = origin
        self.filename = getattr(origin, "filename", None)
        self.lineno = getattr(origin, "lineno", None)
        if origin is None and _starts_with_location(message):  # "file:line: ..." given
            head = message.split(": ", 1)[0]
            filename, _, line = head.rpartition(":")
            if line.isdigit():
                self.filename, self.lineno = filename, int(line)
        self.source_line = getattr(origin, "source_line", None)
        self.sentence = message
        if origin is not None and not _starts_with_location(message):
            message = f"{origin.filename}:{origin.lineno}: {message}"
            if self.source_line and f"`{self.source_line}`" not in message:
                message = f"{message}\n    {self.source_line}"  # the user's own line
        super().__init__(message)

    def __reduce__(self):
        return (_rebuild_staging, (type(self), self.sentence, self.variable, self.origin,
                                   self.__dict__))


def _rebuild_staging(cls, message, variable, origin, state):
    exc = cls(message, variable, origin)
    exc.__dict__.update(state)
    return exc


def _starts_with_location(message):
    """Whether `message` starts with `file:line:` (or `file:line:col:`)."""
    head = message.split(": ", 1)[0] + ":" if ": " in message else ""  # paths may hold spaces
    parts = head[:-1].rsplit(":", 1)
    return head.endswith(":") and len(parts) == 2 and parts[1].isdigit() and bool(parts[0])


# Source maps -------------------------------------------------------------------------------

_loader = None


def _source_maps():
    global _loader
    if _loader is None:
        from autograph.pyct import loader

        _loader = loader
    return _loader.SOURCE_MAPS


def current_user_location(frame=None):
    """The user's OriginInfo for the innermost frame that runs converted code, or None.

    Walks outward from `frame` (default: the caller's frame).
    """
    maps = _source_maps()
    f = frame if frame is not None else sys._getframe(1)
    while f is not None:
        smap = maps.get(f.f_code.co_filename)
        if smap is not None:
            origin = smap.get(f.f_lineno)
            if origin is not None:
                return origin
        f = f.f_back
    return None


def _origin_of_tb(maps, tb, exc=None):
    smap = maps.get(tb.tb_frame.f_code.co_filename)
    if smap is None:
        return None, False
    lineno = tb.tb_lineno
    if _SUPERINSTRUCTION_LINES and isinstance(exc, UnboundLocalError):
        lineno = _unbound_read_line(tb, exc) or lineno
    return smap.get(lineno), True


# CPython 3.11 quickens `x = ...` followed by a read of `y` into one superinstruction
# (STORE_FAST__LOAD_FAST) and reports the read's UnboundLocalError at the store's line. Generated
# code makes that pair where the user's code has none (`ag__ran = True` before the first
# statement of a `while` body), so the user's `v = y` was shown at the `while` line from the
# function's ninth call on. 3.12 checks the read in an instruction of its own.
_SUPERINSTRUCTION_LINES = sys.version_info[:2] == (3, 11)
_STORE_THEN_LOAD: dict = {}  # code -> {store offset: (read variable, read line)}


def _unbound_read_line(tb, exc):
    """The line of the read that raised `exc` when `tb` points at the store before it."""
    import dis

    code = tb.tb_frame.f_code
    pairs = _STORE_THEN_LOAD.get(code)
    if pairs is None:
        pairs = {}
        instrs = list(dis.get_instructions(code))
        for a, b in zip(instrs, instrs[1:]):
            if a.opname == "STORE_FAST" and b.opname == "LOAD_FAST" and b.positions:
                pairs[a.offset] = (b.argval, b.positions.lineno)
        if len(_STORE_THEN_LOAD) > 1024:
            _STORE_THEN_LOAD.clear()
        _STORE_THEN_LOAD[code] = pairs
    read = pairs.get(tb.tb_lasti)
    if read is None or f"'{read[0]}'" not in str(exc):
        return None
    return read[1]


_GROUPS = getattr(builtins, "BaseExceptionGroup", ())
_FAKE_CODES: dict = {}
_EXC_NAME = "__autograph_exception__"


def _fake_code(origin):
    key = (origin.filename, origin.lineno, origin.function_name)
    code = _FAKE_CODES.get(key)
    if code is None:
        # `raise` spans the whole line (padded), so Python 3.11+ shows no misleading carets
        # under the user's line. Every line before it is blank: the entry gets the user's line.
        pad = " " * (len(origin.source_line) + 200)
        text = "\n" * (origin.lineno - 1) + f"raise ({_EXC_NAME}{pad})"
        code = compile(text, origin.filename, "exec", dont_inherit=True)
        name = origin.function_name or "<converted code>"
        replace = {"co_name": name}
        if sys.version_info >= (3, 11):
            replace["co_qualname"] = name
        code = code.replace(**replace)
        if len(_FAKE_CODES) > 4096:
            _FAKE_CODES.clear()
        _FAKE_CODES[key] = code
    return code


def _fake_tb(exc, tb, origin):
    """A real traceback entry whose frame runs in the user's file, at the user's line."""
    frame = tb.tb_frame
    try:
        code = _fake_code(origin)
        f_locals = {k: v for k, v in frame.f_locals.items() if not k.startswith("ag__")}
        f_locals[_EXC_NAME] = exc
        try:
            exec(code, frame.f_globals, f_locals)
        except BaseException:
            fake = sys.exc_info()[2].tb_next
        finally:
            f_locals.pop(_EXC_NAME, None)
        return fake
    except Exception:  # pragma: no cover - a broken filename or line: keep the real entry
        return None


def rewrite_traceback(exc: BaseException) -> BaseException:
    """Shows the user's file, line, function and source text instead of generated code.

    Every traceback entry of `exc` (and of its `__cause__` / `__context__` chain) that runs
    code generated by autograph is replaced by an entry in the user's own file. Entries of
    generated code that have no source map entry are kept. Cheap when no entry runs
    generated code; idempotent. Returns `exc`.
    """
    maps = _source_maps()
    if not maps:
        return exc
    seen = set()
    todo = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        _rewrite_one(maps, e)
        todo.append(e.__cause__)
        todo.append(e.__context__)
        if isinstance(e, _GROUPS):
            todo.extend(e.exceptions)
    return exc


def _rewrite_one(maps, exc):
    tb = exc.__traceback__
    entries = []
    changed = False
    while tb is not None:
        origin, generated = _origin_of_tb(maps, tb, exc)
        if generated and origin is not None:
            fake = _fake_tb(exc, tb, origin)
            if fake is not None:
                entries.append(fake)
                changed = True
                tb = tb.tb_next
                continue
        entries.append(tb)
        tb = tb.tb_next
    if not changed:
        return
    nxt = None
    for entry in reversed(entries):
        entry.tb_next = nxt
        nxt = entry
    exc.__traceback__ = nxt


def add_user_frame_note(exc: BaseException) -> BaseException:
    """Adds a note (PEP 678) naming the user's file, line and source text of the innermost
    converted frame of `exc`'s traceback (or of the current stack). For when rewriting the
    traceback is not possible. Adds the note once. Returns `exc`."""
    maps = _source_maps()
    origin = None
    tb = exc.__traceback__
    while tb is not None:
        o, _ = _origin_of_tb(maps, tb, exc)
        if o is not None:
            origin = o
        tb = tb.tb_next
    if origin is None:
        origin = current_user_location(sys._getframe(1))
    if origin is None:
        return exc
    note = (f"in converted code: File \"{origin.filename}\", line {origin.lineno}, in "
            f"{origin.function_name}: {origin.source_line}")
    notes = getattr(exc, "__notes__", None) or []
    if note in notes:
        return exc
    if hasattr(exc, "add_note"):
        exc.add_note(note)
    else:  # Python 3.10: no add_note, keep the attribute for tools that read it
        try:
            exc.__notes__ = list(notes) + [note]
        except AttributeError:  # pragma: no cover
            warnings.warn(note, AutographWarning, stacklevel=2)
    return exc

