"""The `autograph` command: print the converted code of a file's functions, without running it.

    autograph convert FILE [--function NAME ...] [--mode fast|functional] [--runtime-print]

FILE is read and parsed, never imported or executed. Every function and method in it
(nested ones included in their parents) is converted and printed. Where the file cannot be
converted, the command prints one line naming the file (and line) to stderr and exits with
status 1 (2 for bad command-line usage).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tokenize
from typing import Sequence

MAX_BYTES = 64 * 1024 * 1024


class CliError(Exception):
    """One line for the user; the command exits with status 1."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="autograph", description="Print the converted code of the functions in a file.")
    commands = parser.add_subparsers(dest="command", required=True)
    convert = commands.add_parser("convert", help="print the converted code of FILE")
    convert.add_argument("file", metavar="FILE")
    convert.add_argument("--function", "-f", action="append", default=[], metavar="NAME",
                         help="convert only this function or Class.method (repeatable)")
    convert.add_argument("--mode", choices=("fast", "functional"), default="fast",
                         help="fast: the code that runs (default); functional: the staged form")
    convert.add_argument("--runtime-print", action="store_true",
                         help="route print through the runtime (prints tensors at run time)")
    args = parser.parse_args(argv)
    try:
        sys.stdout.write(convert_file(args.file, args.function, args.mode, args.runtime_print))
    except CliError as e:
        print(f"autograph: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `autograph convert big.py | head`
        return 0
    return 0


def convert_file(path: str, only: Sequence[str] = (), mode: str = "fast",
                 runtime_print: bool = False) -> str:
    """The converted source of the functions in the file at `path` (never executed)."""
    from autograph import conversion, errors
    from autograph.converter import ConversionOptions

    source = _read_source(path)
    try:
        tree = compile(source, path, "exec", flags=0x400, dont_inherit=True)  # PyCF_ONLY_AST
    except SyntaxError as e:
        raise CliError(f"{path}:{e.lineno}:{e.offset or 0}: syntax error: {e.msg}") from None
    except (ValueError, RecursionError, MemoryError) as e:
        raise CliError(f"{path}: cannot parse: {e}") from None
    functions = list(_functions(tree.body, ""))
    if only:
        missing = [name for name in only if name not in {q for q, _ in functions}]
        if missing:
            raise CliError(f"{path}: no function named {', '.join(missing)}")
        functions = [(q, node) for q, node in functions if q in only]
    if not functions:
        raise CliError(f"{path}: no functions to convert")
    options = ConversionOptions(runtime_print=runtime_print, strict=True)
    lines = source.splitlines()
    out = []
    for qualname, node in functions:
        text = "\n".join(lines[node.lineno - 1 - len(node.decorator_list):node.end_lineno])
        try:
            converted = conversion.convert_source(text, path, node, qualname, options, mode)
        except errors.ConversionError as e:
            raise CliError(str(e)) from None
        out.append(f"# {path}:{node.lineno}: {qualname}\n{converted.rstrip()}\n")
    return "\n\n".join(out)


def _read_source(path: str) -> str:
    if not os.path.exists(path):
        raise CliError(f"{path}: no such file")
    if os.path.isdir(path):
        raise CliError(f"{path}: is a directory, not a Python file")
    if not os.path.isfile(path):  # a FIFO would block, /dev/zero would never end
        raise CliError(f"{path}: is not a regular file (a device or a pipe?), not Python source")
    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            raise CliError(f"{path}: {size} bytes is too large to convert (limit {MAX_BYTES})")
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:  # it grew since
            raise CliError(f"{path}: too large to convert (limit {MAX_BYTES} bytes)")
    except OSError as e:
        raise CliError(f"{path}: cannot read: {e.strerror or e}") from None
    if b"\0" in data:
        raise CliError(f"{path}: binary file (it contains NUL bytes), not Python source")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding)
    except SyntaxError as e:
        raise CliError(f"{path}: {e.msg}") from None
    except (UnicodeDecodeError, LookupError) as e:
        line = data[:getattr(e, "start", 0)].count(b"\n") + 1
        raise CliError(f"{path}:{line}: cannot decode the file as {encoding}: declare its "
                       "encoding with a `# -*- coding: ... -*-` line or save it as UTF-8"
                       ) from None


def _functions(body, prefix):
    import ast

    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield prefix + node.name, node
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node.body, prefix + node.name + ".")
        elif isinstance(node, (ast.If, ast.Try)):  # `if TYPE_CHECKING:`, try/except imports
            for field in ("body", "orelse", "finalbody"):
                yield from _functions(getattr(node, field, []), prefix)


if __name__ == "__main__":
    sys.exit(main())
