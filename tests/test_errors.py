"""Tests for autograph.errors: error types, user locations, traceback rewriting."""

import os
import pickle
import sys
import traceback

import pytest

from autograph import errors
from autograph.pyct import loader, origin_info, parser

THIS = os.path.abspath(__file__).rstrip("c")


def _line_of(text):
    with open(THIS, encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            if text in line:
                return i
    raise AssertionError(text)


def _convert(fn, extra=None):
    node, source, info = parser.parse_entity(fn)
    origin_info.resolve(node, source, info)
    return loader.load_function(node, fn, extra or {}, filename_hint=info.filename).fn


# -- Error types -----------------------------------------------------------------------------

def test_conversion_error_format_and_attributes():
    e = errors.ConversionError("generators cannot be converted.", "f.py", 3, 4)
    assert str(e) == "f.py:3:5: generators cannot be converted."
    assert (e.filename, e.lineno, e.col_offset) == ("f.py", 3, 4)
    assert isinstance(e, errors.AutographError)
    assert str(errors.ConversionError("no location")) == "no location"
    origin = origin_info.OriginInfo("g.py", 7, 0, "g", "yield x")
    e = errors.UnsupportedFeatureError("yield.", origin=origin)
    assert str(e) == "g.py:7:1: yield." and isinstance(e, errors.ConversionError)
    # A message that already carries its location is not prefixed twice.
    e = errors.UnsupportedFeatureError("g.py:7:1: yield.", filename="g.py", lineno=7,
                                       col_offset=0)
    assert str(e) == "g.py:7:1: yield."
    assert issubclass(errors.SourceUnavailableError, errors.ConversionError)


def test_errors_pickle():
    e = errors.SourceUnavailableError("gone.", "f.py", 1)
    again = pickle.loads(pickle.dumps(e))
    assert type(again) is errors.SourceUnavailableError
    assert str(again) == str(e) and again.lineno == 1
    s = errors.StagingError("x became a tensor.", variable="x",
                            origin=origin_info.OriginInfo("f.py", 2, 0, "f", "while x:"))
    again = pickle.loads(pickle.dumps(s))
    assert str(again) == str(s) and again.variable == "x"
    assert str(s).startswith("f.py:2: x became a tensor.") and "while x:" in str(s)


def test_staging_error_keeps_an_explicit_location():
    e = errors.StagingError("user.py:12: the loop test became a tensor.", variable="n")
    assert str(e) == "user.py:12: the loop test became a tensor." and e.variable == "n"


# -- Locations from converted frames ---------------------------------------------------------

def where_am_i():
    return errors.current_user_location()


def raise_staging():
    raise errors.StagingError("`x` is a tensor here; make it a Python value.", variable="x")


def converted_caller(x):
    a = x + 1
    loc = where_am_i()
    if x < 0:
        raise_staging()
    return a, loc


def test_current_user_location_maps_the_converted_frame():
    assert where_am_i() is None
    fn = _convert(converted_caller)
    _, loc = fn(1)
    assert loc.filename == THIS and loc.lineno == _line_of("    loc = where_am_i()")
    assert loc.source_line == "loc = where_am_i()" and loc.function_name == "converted_caller"


def test_staging_error_names_the_user_line():
    fn = _convert(converted_caller)
    with pytest.raises(errors.StagingError) as e:
        fn(-1)
    line = _line_of("        raise_staging()")
    assert str(e.value).startswith(f"{THIS}:{line}: `x` is a tensor here; make it a Python "
                                   "value.")
    assert "raise_staging()" in str(e.value)  # the user's own line
    assert e.value.lineno == line and e.value.variable == "x"
    assert e.value.source_line == "raise_staging()"


# -- Traceback rewriting ---------------------------------------------------------------------

def failing(values):
    total = 0
    for v in values:
        total += 10 // v
    return total


def outer_fn(x):
    def inner_fn(y):
        return y["missing"]
    return inner_fn(x)


def _format(e):
    return "".join(traceback.format_exception(type(e), e, e.__traceback__))


def _raise_from(fn, *args):
    try:
        fn(*args)
    except Exception as e:  # noqa: BLE001
        return e
    raise AssertionError("no exception")


def test_rewrite_traceback_shows_the_users_file_line_and_text():
    fn = _convert(failing)
    e = _raise_from(fn, [1, 0])
    before = _format(e)
    assert "<autograph:" in before
    assert errors.rewrite_traceback(e) is e
    after = _format(e)
    line = _line_of("        total += 10 // v")
    assert f'File "{THIS}", line {line}, in failing\n    total += 10 // v\n' in after
    assert "<autograph:" not in after
    assert after.endswith("ZeroDivisionError: integer division or modulo by zero\n")
    # Idempotent.
    errors.rewrite_traceback(e)
    assert _format(e) == after


def test_rewritten_entry_keeps_locals():
    fn = _convert(failing)
    e = errors.rewrite_traceback(_raise_from(fn, [0]))
    tb = e.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    assert tb.tb_frame.f_code.co_filename == THIS and tb.tb_frame.f_code.co_name == "failing"
    assert tb.tb_frame.f_locals["values"] == [0] and tb.tb_frame.f_locals["v"] == 0


def test_nested_functions_keep_their_names():
    fn = _convert(outer_fn)
    e = errors.rewrite_traceback(_raise_from(fn, {}))
    text = _format(e)
    assert f'line {_line_of("    return inner_fn(x)")}, in outer_fn' in text
    assert f'line {_line_of("        return y[")}, in inner_fn' in text


def test_chained_exceptions_are_rewritten():
    fn = _convert(failing)

    def wrapper():
        try:
            fn([0])
        except ZeroDivisionError as inner:
            raise ValueError("wrapped") from inner

    e = errors.rewrite_traceback(_raise_from(wrapper))
    text = _format(e)
    assert "<autograph:" not in text and "total += 10 // v" in text
    assert "ValueError: wrapped" in text


@pytest.mark.skipif(sys.version_info < (3, 11), reason="exception groups")
def test_exception_groups_are_rewritten():
    fn = _convert(failing)
    group = ExceptionGroup("many", [_raise_from(fn, [0])])  # noqa: F821
    errors.rewrite_traceback(group)
    assert "<autograph:" not in _format(group)


def test_no_generated_frames_is_untouched():
    e = _raise_from(lambda: 1 // 0)
    tb = e.__traceback__
    assert errors.rewrite_traceback(e) is e and e.__traceback__ is tb


def test_reraise_after_rewrite_keeps_the_users_frames():
    fn = _convert(failing)

    def entry(values):
        try:
            return fn(values)
        except Exception as e:
            errors.rewrite_traceback(e)
            raise

    text = _format(_raise_from(entry, [0]))
    assert "<autograph:" not in text and "total += 10 // v" in text


def test_add_user_frame_note():
    fn = _convert(failing)
    e = _raise_from(fn, [0])
    errors.add_user_frame_note(e)
    errors.add_user_frame_note(e)
    notes = getattr(e, "__notes__", [])
    assert len(notes) == 1
    assert f'"{THIS}", line {_line_of("        total += 10 // v")}' in notes[0]
    assert "total += 10 // v" in notes[0]
