"""The `autograph convert` command: converts, never executes, and fails in one clear line."""

import os
import subprocess
import sys

import pytest

from autograph import cli

GOOD = '''
import sys
sys.exit("the CLI must never execute this file")

def f(x):
    if x > 0:
        return x
    return -x

class C:
    def m(self, n):
        while n > 0:
            n -= 1
        return n
'''


def run(tmp_path, content, *args, binary=False):
    path = tmp_path / "input.py"
    if binary:
        path.write_bytes(content)
    else:
        path.write_text(content)
    proc = subprocess.run([sys.executable, "-m", "autograph", "convert", str(path), *args],
                          capture_output=True, text=True, timeout=120)
    return proc, str(path)


def test_converts_every_function_and_method_without_executing(tmp_path):
    proc, path = run(tmp_path, GOOD)
    assert proc.returncode == 0, proc.stderr
    assert "def f(x):" in proc.stdout and "def m(self, n):" in proc.stdout
    assert "ag__.stage" in proc.stdout
    assert f"# {path}:5: f" in proc.stdout and "C.m" in proc.stdout


def test_function_filter(tmp_path):
    proc, _ = run(tmp_path, GOOD, "--function", "C.m")
    assert proc.returncode == 0 and "def m(" in proc.stdout and "def f(" not in proc.stdout
    proc, path = run(tmp_path, GOOD, "--function", "nope")
    assert proc.returncode == 1 and proc.stderr.strip() == f"autograph: {path}: no function named nope"


def test_functional_mode(tmp_path):
    proc, _ = run(tmp_path, GOOD, "--mode", "functional")
    assert proc.returncode == 0, proc.stderr
    assert "ag__.if_stmt" in proc.stdout and "ag__.while_stmt" in proc.stdout


@pytest.mark.parametrize("content, binary, message", [
    ("", False, "no functions to convert"),
    ("def f(:\n    pass\n", False, ":1:7: syntax error"),
    (b"\x00\x01\x02def f(): pass", True, "binary file"),
    (b"def f():\n    return '\xff\xfe'\n", True, ":2: cannot decode the file as utf-8"),
    ("def g():\n    yield 1\n", False, ":2:5: generators"),
])
def test_bad_input_fails_in_one_clear_line(tmp_path, content, binary, message):
    proc, path = run(tmp_path, content, binary=binary)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and path in lines[0] and message in lines[0], proc.stderr


def test_missing_file_and_directory(tmp_path):
    assert cli.main(["convert", str(tmp_path / "missing.py")]) == 1
    assert cli.main(["convert", str(tmp_path)]) == 1


def test_latin1_file_with_coding_cookie(tmp_path):
    path = tmp_path / "latin.py"
    path.write_bytes(b"# -*- coding: latin-1 -*-\ndef f(x):\n    s = '\xe9'\n"
                     b"    return s if x else ''\n")
    assert cli.main(["convert", str(path)]) == 0


def test_huge_file(tmp_path):
    body = "".join(f"def f{i}(x):\n    if x > {i}:\n        return {i}\n    return x\n\n"
                   for i in range(300))
    proc, _ = run(tmp_path, body)
    assert proc.returncode == 0 and proc.stdout.count("def f") == 300


def test_console_script_is_installed():
    from shutil import which
    exe = which("autograph") or os.path.join(os.path.dirname(sys.executable), "autograph")
    assert os.path.exists(exe)
