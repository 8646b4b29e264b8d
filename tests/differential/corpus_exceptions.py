"""Corpus: raise in loops and branches, try/except/else/finally with jumps, with, assert."""

import contextlib

from .harness import case

G = ("graph", "jax")


class MyError(Exception):
    pass


@case(inputs=[3, -3, 0])
def raise_in_branch(x):
    if x < 0:
        raise ValueError(f"negative: {x}")
    return x


@case(inputs=[0, 5, 10])
def raise_in_loop(n):
    s = 0
    for i in range(n):
        if i == 7:
            raise MyError("seven", i)
        s += i
    return s


@case(inputs=[0, 3, 30])
def raise_in_while_nested(n):
    i = 0
    while i < n:
        j = 0
        while j < i:
            if i * j == 20:
                raise KeyError(i)
            j += 1
        i += 1
    return i


@case(inputs=[[1, 2], [1, 0, 2]])
def builtin_exception_in_loop(lst):
    out = []
    for v in lst:
        out.append(10 // v)
    return out


@case(inputs=[[1, 2], []])
def index_error(lst):
    return lst[0] + lst[5]


@case(inputs=[[3, 0, 2], []])
def try_except_continue(lst):
    out = []
    for v in lst:
        try:
            r = 6 // v
        except ZeroDivisionError:
            out.append("div0")
            continue
        out.append(r)
    return out


@case(inputs=[[1, 2, -1, 4], [1]])
def try_except_break(lst):
    total = 0
    for v in lst:
        try:
            if v < 0:
                raise ValueError(v)
            total += v
        except ValueError:
            break
    return total


@case(inputs=[5, 0])
def try_finally_in_loop_with_break_continue(n):
    log = []
    for i in range(n):
        try:
            if i == 1:
                continue
            if i == 3:
                break
            log.append(("body", i))
        finally:
            log.append(("finally", i))
    return log


@case(inputs=[3, 0])
def try_finally_return_in_loop(n):
    log = []

    def inner():
        for i in range(10):
            try:
                if i == n:
                    return i
            finally:
                log.append(i)
        return -1

    return inner(), log


@case(inputs=[2, -2, 0])
def try_except_else_finally(x):
    log = []
    try:
        v = 10 // x
        if v < 0:
            raise MyError("neg")
    except ZeroDivisionError as e:
        log.append(("zde", str(e)))
        v = 0
    except MyError:
        log.append("mine")
        v = -1
    else:
        log.append("else")
    finally:
        log.append("finally")
    return v, log


@case(inputs=[3, 0])
def try_in_while_with_else(n):
    i = 0
    out = []
    while i < n:
        try:
            i += 1
            if i == 2:
                continue
            out.append(i)
        except Exception:
            out.append("never")
    else:
        out.append("else")
    return out


@case(inputs=[1, 0])
def reraise(x):
    try:
        return 1 // x
    except ZeroDivisionError:
        raise


@case(inputs=[1, 0])
def raise_from(x):
    try:
        return 1 // x
    except ZeroDivisionError as e:
        raise ValueError("bad x") from e


@case(inputs=[[1, "a", 2.5, None]])
def except_tuple_types(items):
    out = []
    for v in items:
        try:
            out.append(v + 1)
        except (TypeError, ValueError) as e:
            out.append(type(e).__name__)
    return out


@case(inputs=[4, 0])
def nested_try_in_nested_loop(n):
    out = []
    for i in range(n):
        for j in range(n):
            try:
                try:
                    if j == 2:
                        raise KeyError(j)
                    out.append(i // (j - 1))
                except ZeroDivisionError:
                    out.append("z")
                    continue
            except KeyError:
                out.append("k")
                break
    return out


@case(inputs=[5, -5])
def assert_passing(x):
    assert x != 0
    assert isinstance(x, int), "not int"
    return x * 2


@case(inputs=[-1, 0, 1])
def assert_failing_message(x):
    assert x > 0, f"x must be positive, got {x}"
    return x


@case(inputs=[0, 2])
def assert_failing_no_message(x):
    assert x
    return x


# A failed run-time assert reaches the caller of a jitted function as jax's JaxRuntimeError
# (a RuntimeError) whose message holds the AssertionError: JAX callbacks cannot raise through.
@case(inputs=[4, 6], modes=G, staged_exc=(RuntimeError,))
def assert_in_loop(n):
    s = 0
    for i in range(n):
        assert i < 5, "too many"
        s += i
    return s


@case(inputs=[3, 9])
def assert_in_loop_failing(n):
    s = 0
    for i in range(n):
        assert s < 10, "sum too large"
        s += i
    return s


@contextlib.contextmanager
def _tag(log, name):
    log.append("enter " + name)
    try:
        yield name.upper()
    finally:
        log.append("exit " + name)


class _Suppress:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return exc[0] is ValueError


@case(inputs=[3, 0])
def with_statement_in_loop(n):
    log = []
    for i in range(n):
        with _tag(log, f"t{i}") as t:
            if i == 1:
                continue
            log.append(t)
    return log


@case(inputs=[[1, -1, 2], []])
def with_suppressing_exception(lst):
    done = []
    for v in lst:
        with _Suppress():
            if v < 0:
                raise ValueError(v)
            done.append(v)
    return done


@case(inputs=[2, 5])
def with_break_and_return(n):
    log = []
    for i in range(10):
        with _tag(log, "a"), _tag(log, "b"):
            if i == n:
                break
    with _tag(log, "c"):
        if n > 3:
            return log
    return log + ["end"]


@case(inputs=[3, -3])
def exception_escapes_nested_function(x):
    def check(v):
        if v < 0:
            raise MyError(f"bad {v}")
        return v

    total = 0
    for i in range(3):
        total += check(x - i)
    return total


@case(inputs=[3, 0])
def except_as_variable_cleared(n):
    msg = "none"
    for i in range(n):
        try:
            raise RuntimeError(i)
        except RuntimeError as err:
            msg = str(err)
    return msg


@case(inputs=[1, 0])
def raise_in_else_of_for(n):
    for i in range(n):
        if i > 5:
            break
    else:
        raise StopIteration("loop finished")
    return "unreachable"


@case(inputs=[2, 7])
def raise_type_error_in_loop_caught_outside(n):
    try:
        for i in range(n):
            if i > 4:
                raise TypeError(f"custom {i}")
        return "ok"
    except TypeError as e:
        return "caught " + str(e)
