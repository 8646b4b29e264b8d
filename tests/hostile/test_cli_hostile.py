"""The CLI on hostile files (extends tests/test_cli.py): it never executes the file, and where
it cannot convert it exits non-zero with one clear line that names the file."""

import os
import subprocess
import sys

import pytest

from autograph import cli


def convert(capsys, path, *args):
    code = cli.main(["convert", str(path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_clear_line(code, err, path, *fragments):
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"autograph: {path}"), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


MARKER_PROGRAM = """
import pathlib
pathlib.Path({marker!r}).write_text("executed")
raise SystemExit("the CLI must never execute this file")

def f(x):
    if x > 0:
        return x
    return -x
"""


def test_never_executes_the_file(tmp_path, capsys):
    marker = tmp_path / "EXECUTED"
    path = tmp_path / "evil.py"
    path.write_text(MARKER_PROGRAM.format(marker=str(marker)))
    code, out, _ = convert(capsys, path)
    assert code == 0 and "def f(x):" in out
    code, out, _ = convert(capsys, path, "--function", "f", "--mode", "functional")
    assert code == 0 and "ag__.if_stmt" in out
    assert not marker.exists()


@pytest.mark.parametrize("content, fragments", [
    (b"", ("no functions to convert",)),
    (b"# only comments\n\n# and blank lines\n", ("no functions to convert",)),
    (b"f = lambda x: x if x else 1\n", ("no functions to convert",)),
    (b"\x00" * 64, ("binary file",)),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00", ("binary file",)),
    ("def f(x):\n    return x\n".encode("utf-16"), ("binary file",)),
    (b"def f(x):\n    return '\xe9\xff'\n", (":2:", "cannot decode")),
    (b"# -*- coding: no-such-codec -*-\ndef f(x):\n    return x\n", ("no-such-codec",)),
    (b"def f(x):\n    if x:\n\treturn 1\n        return 2\n", (":3:", "syntax error")),
    (b"def f(x)\n    return x\n", (":1:", "syntax error")),
    (b"def f(x):\n  return (\n", ("syntax error",)),
    (b"def f(x):\n    return " + b"+".join([b"x"] * 5000) + b"\n", ("cannot parse",)),
    (b"async def f(x):\n    yield x\n", (":1:1:", "async")),
    (b"def g():\n    x = 1\n    yield x\n", (":3:5:", "generators")),
])
def test_bad_files_fail_in_one_clear_line(tmp_path, capsys, content, fragments):
    path = tmp_path / "bad.py"
    path.write_bytes(content)
    code, out, err = convert(capsys, path)
    assert out == ""
    assert_one_clear_line(code, err, path, *fragments)


@pytest.mark.parametrize("content", [
    b"\xef\xbb\xbfdef f(x):\n    if x:\n        return 1\n    return 2\n",  # UTF-8 BOM
    b"def f(x):\r\n    if x:\r\n        return 1\r\n    return 2\r\n",  # CRLF
    b"def f(x):\n    s = '\\x00'\n    return s if x else ''\n",  # a NUL escape, not a NUL byte
    b"def f(x):\n\f    while x > 1:\n        x -= 1\n    return x\n",  # form feed
    "def f(x):\n    s = '" .encode() + "é✓".encode() * 1000 + b"'\n    return s if x else ''\n",
])
def test_odd_but_valid_files_convert(tmp_path, capsys, content):
    path = tmp_path / "odd.py"
    path.write_bytes(content)
    code, out, err = convert(capsys, path)
    assert code == 0, err
    compile(out, "<cli output>", "exec")


def test_huge_file_over_the_limit(tmp_path, capsys, monkeypatch):
    path = tmp_path / "huge.py"
    path.write_text("def f(x):\n    return x\n" + "# padding\n" * 2000)
    monkeypatch.setattr(cli, "MAX_BYTES", 4096)
    code, out, err = convert(capsys, path)
    assert_one_clear_line(code, err, path, "too large")


def test_huge_file_under_the_limit_converts(tmp_path, capsys):
    body = "".join(f"def f{i}(x):\n    for i in range(x):\n        if i > {i}:\n"
                   f"            return i\n    return -1\n\n" for i in range(1000))
    path = tmp_path / "many.py"
    path.write_text(body)
    code, out, err = convert(capsys, path)
    assert code == 0 and out.count("\ndef f") + out.startswith("def f") >= 999


def test_very_long_line(tmp_path, capsys):
    path = tmp_path / "long.py"
    path.write_text("def f(x):\n    s = '" + "a" * 1_000_000 + "'\n    return s if x else ''\n")
    code, out, err = convert(capsys, path)
    assert code == 0 and len(out) > 1_000_000


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_device_files_are_refused_not_read(capsys):
    """`/dev/zero` has size 0 and never ends; reading it would never return."""
    code, out, err = convert(capsys, "/dev/zero")
    assert_one_clear_line(code, err, "/dev/zero", "not a regular file")
    code, out, err = convert(capsys, "/dev/null")
    assert code == 1 and len(err.strip().splitlines()) == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path):
    path = tmp_path / "pipe.py"
    os.mkfifo(path)
    proc = subprocess.run([sys.executable, "-m", "autograph", "convert", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "not a regular file" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_unreadable_file(tmp_path, capsys):
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    path = tmp_path / "secret.py"
    path.write_text("def f(x):\n    return x\n")
    path.chmod(0)
    code, out, err = convert(capsys, path)
    assert_one_clear_line(code, err, path, "cannot read")


def test_deeply_nested_file(tmp_path, capsys):
    src = "def f(x):\n" + "".join("    " * (d + 1) + f"if x > {d}:\n" for d in range(50))
    src += "    " * 51 + "return 1\n    return 0\n"
    path = tmp_path / "deep.py"
    path.write_text(src)
    code, out, err = convert(capsys, path)
    if code == 0:
        compile(out, "<cli output>", "exec")
    else:
        assert_one_clear_line(code, err, path)
