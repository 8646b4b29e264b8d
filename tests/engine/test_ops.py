"""Every op against numpy on the same inputs: values, dtype, shape (static and run time)."""

from __future__ import annotations

import operator

import numpy as np
import pytest

import autograph.runtime.engine as ag

from .engine_helpers import assert_same, check_like_numpy, graph_call

DTYPES = [np.bool_, np.int8, np.uint8, np.int32, np.int64, np.uint64, np.float32, np.float64,
          np.complex64]


def _arr(dtype, shape=(2, 3), start=1):
    n = int(np.prod(shape))
    if np.dtype(dtype).kind == "b":
        return (np.arange(n) % 2 == 0).reshape(shape)
    return (np.arange(start, start + n) % 7 + 1).astype(dtype).reshape(shape)


ARITH = [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv,
         operator.mod, operator.pow]
COMPARE = [operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne]
BITWISE = [operator.and_, operator.or_, operator.xor]


def _numpy_error(fn, *args):
    """The exception type numpy raises for fn(*args), or None."""
    try:
        with np.errstate(all="ignore"):
            fn(*args)
    except Exception as e:
        return type(e)
    return None


def check_or_same_error(fn, *args):
    """Like numpy: the same results, or the same exception type."""
    err = _numpy_error(fn, *args)
    if err is not None:
        with pytest.raises(err):
            graph_call(fn, *args)
        return
    check_like_numpy(fn, *args)


@pytest.mark.parametrize("op", ARITH + COMPARE, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dta", [np.int8, np.int32, np.uint8, np.float32, np.float64, np.bool_])
@pytest.mark.parametrize("dtb", [np.int64, np.uint64, np.float32, np.int8, np.bool_])
def test_binary_promotion(op, dta, dtb):
    a = _arr(dta, (2, 3))
    b = _arr(dtb, (3,), start=2)
    check_or_same_error(op, a, b)


@pytest.mark.parametrize("op", BITWISE + [operator.lshift, operator.rshift],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("dta,dtb", [(np.int32, np.int64), (np.uint8, np.uint8),
                                     (np.bool_, np.bool_), (np.int8, np.uint8)])
def test_bitwise(op, dta, dtb):
    a, b = _arr(dta), _arr(dtb, start=3)
    check_or_same_error(op, a, b)


@pytest.mark.parametrize("scalar", [1, -1, 2.5, True, 1j, 200, 100000])
@pytest.mark.parametrize("dt", [np.int8, np.int32, np.uint8, np.float32, np.float64, np.bool_])
@pytest.mark.parametrize("op", [operator.add, operator.mul, operator.sub, operator.lt],
                         ids=lambda f: f.__name__)
def test_python_scalar_nep50(op, dt, scalar):
    """int32 tensor + 1 stays int32; out-of-range Python ints raise like numpy."""
    a = _arr(dt)
    check_or_same_error(lambda x: op(x, scalar), a)
    check_or_same_error(lambda x: op(scalar, x), a)


@pytest.mark.parametrize("dt", [np.int32, np.float32, np.float64, np.int8])
def test_zero_d_scalars(dt):
    x = dt(3)
    for fn in (lambda v: v + 1, lambda v: v * v, lambda v: -v, lambda v: v / 2, lambda v: v > 2,
               lambda v: abs(v), lambda v: v ** 2, lambda v: np.sqrt(v), lambda v: 2 - v):
        check_like_numpy(fn, x)


def test_numpy_scalar_operands():
    a = _arr(np.float32)
    check_like_numpy(lambda x: x * np.float64(2), a)
    check_like_numpy(lambda x: np.float64(2) * x, a)
    check_like_numpy(lambda x: x + np.array([1, 2, 3], np.int64), a)
    check_like_numpy(lambda x: np.array([1, 2, 3], np.int8) + x, a)
    check_like_numpy(lambda x: x + [1.0, 2.0, 3.0], a)


@pytest.mark.parametrize("op", [operator.neg, operator.pos, operator.abs, operator.invert],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("dt", DTYPES)
def test_unary(op, dt):
    a = _arr(dt)
    check_or_same_error(op, a)


@pytest.mark.parametrize("shapes", [((2, 3), (3,)), ((2, 1), (1, 3)), ((4, 1, 3), (2, 1)),
                                    ((), (3,)), ((1,), (2, 2)), ((0, 3), (3,))])
def test_broadcasting(shapes):
    a = _arr(np.float64, shapes[0])
    b = _arr(np.int32, shapes[1])
    check_like_numpy(operator.add, a, b)
    check_like_numpy(lambda x, y: np.maximum(x, y), a, b)


def test_broadcast_mismatch_raises():
    with pytest.raises(ValueError, match="broadcast"):
        graph_call(operator.add, np.zeros((2, 3)), np.zeros((4,)))


def test_broadcast_unknown_dims(graph):
    x = ag.placeholder(np.float64, (None, None))
    y = ag.placeholder(np.float64, (3,))
    z = ag.placeholder(np.float64, (None, 1))
    assert (x + y).shape == (None, 3)
    assert (z + y).shape == (None, 3)
    assert (x + z).shape == (None, None)
    a, b = np.ones((4, 3)), np.arange(3.0)
    np.testing.assert_array_equal(graph.run(x + y, {x: a, y: b}), a + b)


def test_matmul():
    a = _arr(np.float64, (2, 3))
    b = _arr(np.float32, (3, 4))
    check_like_numpy(operator.matmul, a, b)
    check_like_numpy(lambda x, y: x @ y[:, 0], a, b)
    check_like_numpy(lambda x, y: x[0] @ y[:, 0], a, b)
    check_like_numpy(lambda x, y: np.matmul(x[None], y), a, b)
    check_like_numpy(lambda x, y: np.dot(x, y), a, b)
    check_like_numpy(lambda x, y: x.dot(y), a, b)
    check_like_numpy(lambda x, y: np.tensordot(x, y, axes=1), a, b)
    check_like_numpy(lambda x, y: np.einsum("ij,jk->ik", x, y), a, b)
    check_like_numpy(lambda x, y: np.outer(x, y), a, b)
    _, out = graph_call(operator.matmul, a, b, unknown="all")
    assert out.shape == (None, None)
    big = np.ones((1000, 50))
    _, out = graph_call(lambda x: x @ x.T, big)
    assert out.shape == (1000, 1000)
    with pytest.raises(ValueError):
        graph_call(operator.matmul, a, a)


UFUNCS_1 = ["exp", "log", "sqrt", "abs", "absolute", "floor", "ceil", "sign", "tanh", "sin",
            "cos", "isnan", "isfinite", "isinf", "logical_not", "negative", "square", "rint",
            "log1p", "expm1", "arctan", "sinh", "trunc", "reciprocal", "cbrt", "signbit",
            "exp2", "log2", "log10", "degrees", "radians", "conjugate", "fabs", "spacing"]
UFUNCS_2 = ["maximum", "minimum", "logical_and", "logical_or", "logical_xor", "arctan2",
            "hypot", "fmod", "copysign", "fmax", "fmin", "greater", "equal", "power",
            "float_power", "heaviside", "nextafter", "logaddexp", "ldexp", "gcd", "lcm"]


@pytest.mark.parametrize("name", UFUNCS_1)
@pytest.mark.parametrize("dt", [np.float32, np.float64, np.int32, np.bool_])
def test_unary_ufuncs(name, dt):
    f = getattr(np, name)
    a = _arr(dt)
    check_or_same_error(lambda x: f(x), a)


@pytest.mark.parametrize("name", UFUNCS_2)
@pytest.mark.parametrize("dts", [(np.float32, np.float64), (np.int32, np.int64),
                                 (np.float32, np.int8), (np.uint8, np.int16)])
def test_binary_ufuncs(name, dts):
    f = getattr(np, name)
    a, b = _arr(dts[0]), _arr(dts[1], (3,), start=2)
    check_or_same_error(lambda x, y: f(x, y), a, b)


def test_ufunc_kwargs_and_methods():
    a = _arr(np.int32, (3, 4))
    check_like_numpy(lambda x: np.add(x, 1, dtype=np.float32), a)
    check_like_numpy(lambda x: np.add.reduce(x, axis=1), a)
    check_like_numpy(lambda x: np.multiply.accumulate(x, axis=0), a)
    check_like_numpy(lambda x: np.add.outer(x[0], x[1]), a)
    check_like_numpy(lambda x: np.maximum.reduce(x), a)
    check_like_numpy(lambda x: np.divmod(x, 3), a)
    check_like_numpy(lambda x: np.modf(x * 0.5), a)
    check_like_numpy(lambda x: np.frexp(x * 1.5), a)


REDUCTIONS = ["sum", "prod", "mean", "std", "var", "max", "min", "amax", "amin", "argmax",
              "argmin", "any", "all", "ptp", "median", "nansum", "nanmean", "nanmax",
              "count_nonzero", "cumsum", "cumprod"]


@pytest.mark.parametrize("name", REDUCTIONS)
@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 1)])
@pytest.mark.parametrize("dt", [np.int32, np.float32, np.bool_])
def test_reductions(name, axis, dt):
    f = getattr(np, name)
    a = _arr(dt, (3, 4))
    fn = lambda x: f(x, axis=axis)  # noqa: E731
    if _numpy_error(fn, a) is not None:
        check_or_same_error(fn, a)
        return
    check_like_numpy(fn, a)
    # with unknown dimensions: same values and dtype, compatible static shape
    got, out = graph_call(fn, a, unknown="all")
    assert_same(out, got, fn(a))


@pytest.mark.parametrize("name", ["sum", "mean", "max", "any", "argmax"])
def test_reductions_keepdims_and_methods(name):
    a = _arr(np.float64, (3, 4))
    f = getattr(np, name)
    check_like_numpy(lambda x: f(x, axis=1, keepdims=True), a)
    check_like_numpy(lambda x: getattr(x, name)(axis=0), a)
    check_like_numpy(lambda x: getattr(x, name)(), a)


def test_sum_dtype_and_large_shape():
    a = _arr(np.int8, (3, 4))
    check_like_numpy(lambda x: np.sum(x, dtype=np.float32), a)
    check_like_numpy(lambda x: np.sum(x), a)  # int8 sums to int64, as numpy
    _, out = graph_call(lambda x: np.sum(x, axis=0), np.zeros((2000, 30)))
    assert out.shape == (30,)
    _, out = graph_call(lambda x: np.mean(x, axis=1), np.zeros((2000, 300)))
    assert out.shape == (2000,)


FUNCS = [
    ("reshape", lambda x: np.reshape(x, (4, 3))),
    ("reshape-1", lambda x: np.reshape(x, (-1, 2))),
    ("method_reshape", lambda x: x.reshape(2, -1)),
    ("transpose", lambda x: np.transpose(x)),
    ("T", lambda x: x.T),
    ("transpose_axes", lambda x: x.transpose(1, 0)),
    ("concatenate", lambda x: np.concatenate([x, x * 2], axis=0)),
    ("concatenate_none", lambda x: np.concatenate([x, x], axis=None)),
    ("stack", lambda x: np.stack([x, x], axis=1)),
    ("vstack", lambda x: np.vstack([x, x])),
    ("hstack", lambda x: np.hstack([x, x])),
    ("hstack1d", lambda x: np.hstack([x[0], x[1]])),
    ("dstack", lambda x: np.dstack([x, x])),
    ("column_stack", lambda x: np.column_stack([x[0], x[1]])),
    ("where", lambda x: np.where(x > 3, x, -x)),
    ("where_scalar", lambda x: np.where(x > 3, x, 0)),
    ("clip", lambda x: np.clip(x, 2, 5)),
    ("squeeze", lambda x: np.squeeze(x[None])),
    ("expand_dims", lambda x: np.expand_dims(x, 1)),
    ("broadcast_to", lambda x: np.broadcast_to(x[0], (5, 4))),
    ("sort", lambda x: np.sort(-x, axis=1)),
    ("argsort", lambda x: np.argsort(-x)),
    ("take", lambda x: np.take(x, [0, 2])),
    ("take_axis", lambda x: np.take(x, [0, 2], axis=1)),
    ("round", lambda x: np.round(x / 3, 2)),
    ("floor", lambda x: np.floor(x / 3)),
    ("astype", lambda x: x.astype(np.int16)),
    ("np.astype", lambda x: np.astype(x, np.float32)),
    ("zeros_like", lambda x: np.zeros_like(x)),
    ("ones_like", lambda x: np.ones_like(x, dtype=np.int8)),
    ("full_like", lambda x: np.full_like(x, 7)),
    ("tile", lambda x: np.tile(x, (2, 1))),
    ("repeat", lambda x: np.repeat(x, 2, axis=0)),
    ("flip", lambda x: np.flip(x)),
    ("diff", lambda x: np.diff(x, axis=1)),
    ("cumsum", lambda x: np.cumsum(x, axis=1)),
    ("ravel", lambda x: np.ravel(x)),
    ("flatten", lambda x: x.flatten()),
    ("roll", lambda x: np.roll(x, 1)),
    ("pad", lambda x: np.pad(x, 1)),
    ("tril", lambda x: np.tril(x)),
    ("diag", lambda x: np.diag(x)),
    ("trace", lambda x: np.trace(x)),
    ("swapaxes", lambda x: np.swapaxes(x, 0, 1)),
    ("moveaxis", lambda x: np.moveaxis(x[None], 0, -1)),
    ("linspace", lambda x: np.linspace(x[0, 0], x[1, 1], 7)),
    ("isclose", lambda x: np.isclose(x, 3.0)),
    ("allclose", lambda x: np.allclose(x, x)),
    ("array_equal", lambda x: np.array_equal(x, x)),
    ("nonzero", lambda x: np.nonzero(x > 4)),
    ("argwhere", lambda x: np.argwhere(x > 4)),
    ("unique", lambda x: np.unique(x)),
    ("unique_counts", lambda x: np.unique(x, return_counts=True)),
    ("split", lambda x: np.split(x, 2, axis=1)),
    ("searchsorted", lambda x: np.searchsorted(np.ravel(x), [2.0, 5.0])),
    ("bincount", lambda x: np.bincount(x.astype(np.int64).ravel())),
    ("meshgrid", lambda x: np.meshgrid(x[0], x[1])),
    ("atleast_3d", lambda x: np.atleast_3d(x)),
    ("prod", lambda x: np.prod(x, axis=0)),
    ("percentile", lambda x: np.percentile(x, [10, 90], axis=1)),
    ("average", lambda x: np.average(x, axis=0, weights=[1.0, 2.0, 3.0])),
    ("norm", lambda x: np.linalg.norm(x, axis=1)),
    ("det", lambda x: np.linalg.det(x[:, :3])),
    ("solve", lambda x: np.linalg.solve(x[:, :3] + 10 * np.eye(3), x[:, 3])),
    ("svd", lambda x: np.linalg.svd(x, compute_uv=False)),
    ("eigh", lambda x: np.linalg.eigh(x[:, :3] @ x[:, :3].T)[0]),
    ("cross", lambda x: np.cross(x[0, :3], x[1, :3])),
    ("convolve", lambda x: np.convolve(x[0], x[1])),
    ("interp", lambda x: np.interp(x, [0.0, 10.0], [1.0, 2.0])),
    ("nan_to_num", lambda x: np.nan_to_num(x / 0.0)),
    ("select", lambda x: np.select([x < 3, x > 6], [x, -x], 0.0)),
    ("kron", lambda x: np.kron(x[:2, :2], x[:2, :2])),
    ("cov", lambda x: np.cov(x)),
    ("histogram", lambda x: np.histogram(x, bins=3)),
    ("shape", lambda x: ag.numpy_api.zeros(np.shape(x)) + x),
    ("size_ndim", lambda x: x * np.size(x) + np.ndim(x)),
    ("copy", lambda x: np.copy(x)),
    ("real_imag", lambda x: (np.real(x), np.imag(x))),
    ("arange_like", lambda x: np.arange(4, like=x) + x[0, 0]),
    ("zeros_like_kw", lambda x: np.zeros(3, like=x)),
]


@pytest.mark.parametrize("fn", [f for _, f in FUNCS], ids=[n for n, _ in FUNCS])
@pytest.mark.parametrize("unknown", [None, "all"])
def test_numpy_functions(fn, unknown):
    a = _arr(np.float64, (3, 4))
    with np.errstate(all="ignore"):
        expected = fn(a)
    got, static = graph_call(fn, a, unknown=unknown)
    assert_same(static, got, expected)


def test_functions_int_inputs():
    a = _arr(np.int32, (3, 4))
    for name, fn in FUNCS:
        if name in ("solve", "det", "svd", "eigh", "nan_to_num", "norm", "cov", "interp"):
            continue
        with np.errstate(all="ignore"):
            expected = fn(a)
        got, static = graph_call(fn, a)
        assert_same(static, got, expected)


def test_item_keeps_dtype():
    got, out = graph_call(lambda x: x[1:2, 2:3].item(), _arr(np.int32, (3, 4)))
    assert out.shape == () and type(got) is np.int32 and got == _arr(np.int32, (3, 4))[1, 2]


def test_unknown_rank_inputs():
    a = _arr(np.float32, (3, 4))
    got, out = graph_call(lambda x: np.sum(x * 2, axis=0), a, unknown="rank")
    assert out.shape is None and out.dtype == np.float32
    np.testing.assert_array_equal(got, np.sum(a * 2, axis=0))


# -- indexing ---------------------------------------------------------------------------------
INDEXES = [
    0, -1, (1, 2), slice(1, None), slice(None, None, -1), (slice(None), 1), (Ellipsis, 0),
    (None, 0), (0, None, slice(1, 3)), (Ellipsis, None), [0, 2], ([0, 1], [1, 2]),
    (slice(None), [0, 3]), (Ellipsis, [1, 1]), ([[0], [2]], [1, 3]), (0, [1, 2]),
    ([0, 2], slice(None), None) if False else ([0, 2], slice(1, 3)),
    np.array([True, False, True]), (np.array([True, False, True]), 1),
    (slice(None), np.array([True, False, True, False])), (), Ellipsis,
    (1, slice(None), None), ([0, 1], None, [1, 2]),
]


@pytest.mark.parametrize("key", INDEXES, ids=repr)
@pytest.mark.parametrize("unknown", [None, "all"])
def test_getitem(key, unknown):
    a = _arr(np.int32, (3, 4))
    check = lambda x: x[key]  # noqa: E731
    got, static = graph_call(check, a, unknown=unknown)
    assert_same(static, got, a[key])


def test_getitem_3d_advanced_placement():
    a = _arr(np.float32, (2, 3, 4))
    for key in [(0, slice(None), [1, 2]), ([0, 1], slice(None), [1, 2]),
                (slice(None), [0, 1], [1, 2]), (Ellipsis, [0, 1]), ([1], 0, slice(None))]:
        got, static = graph_call(lambda x, key=key: x[key], a)
        assert_same(static, got, a[key])


def test_getitem_with_tensor_indices():
    a = _arr(np.float64, (5, 4))
    g = ag.Graph()
    with g.as_default():
        x = ag.placeholder(np.float64, (5, 4))
        i = ag.placeholder(np.int64, ())
        idx = ag.placeholder(np.int64, (None,))
        m = ag.placeholder(np.bool_, (5,))
        outs = [x[i], x[i:], x[:, i], x[idx], x[m], x[m, 1], x[i, idx]]
    assert outs[0].shape == (4,)
    assert outs[1].shape == (None, 4)
    assert outs[3].shape == (None, 4)
    assert outs[4].shape == (None, 4)
    iv, idxv, mv = np.int64(2), np.array([0, 3]), np.array([1, 0, 1, 1, 0], bool)
    got = g.run(outs, {x: a, i: iv, idx: idxv, m: mv})
    exp = [a[iv], a[iv:], a[:, iv], a[idxv], a[mv], a[mv, 1], a[iv, idxv]]
    for gv, ev in zip(got, exp, strict=False):
        np.testing.assert_array_equal(gv, ev)
        assert np.asarray(gv).dtype == ev.dtype


def test_boolean_mask_gives_unknown_dim():
    _, out = graph_call(lambda x: x[x > 2], _arr(np.int32, (3, 4)))
    assert out.shape == (None,)
    _, out = graph_call(lambda x: x[np.array([True, False, True]), 1:], _arr(np.int32, (3, 4)))
    assert out.shape == (None, 3)


def test_getitem_errors():
    a = _arr(np.int32, (3, 4))
    with pytest.raises(IndexError, match="out of bounds"):
        graph_call(lambda x: x[5], a)
    with pytest.raises(IndexError, match="too many indices"):
        graph_call(lambda x: x[0, 0, 0], a)
    with pytest.raises(IndexError, match="single ellipsis"):
        graph_call(lambda x: x[..., ...], a)
    with pytest.raises(IndexError):
        graph_call(lambda x: x[1.5], a)


def test_getitem_scalar_result_is_numpy_scalar():
    a = _arr(np.float32, (3,))
    got, _ = graph_call(lambda x: x[1], a)
    assert type(got) is np.float32
    got, _ = graph_call(lambda x: x[..., 1], a)
    assert type(got) is np.float32


# -- functional updates -----------------------------------------------------------------------
def test_setitem_functional():
    a = _arr(np.float64, (3, 4))

    def upd(x):
        y = ag.setitem(x, (0, slice(1, 3)), -1.0)
        z = y.at[1].set(np.arange(4.0))
        w = z.at[[0, 0, 2], 0].add(10.0)
        return x, y, z, w

    got, static = graph_call(upd, a)
    y = a.copy()
    y[0, 1:3] = -1
    z = y.copy()
    z[1] = np.arange(4.0)
    w = z.copy()
    np.add.at(w, ([0, 0, 2], 0), 10.0)
    for s, gv, ev in zip(static, got, (a, y, z, w), strict=False):
        assert_same(s, gv, ev)
    # setitem on plain numpy returns a new array and leaves the input alone
    b = ag.setitem(a, 0, 0.0)
    assert b[0, 0] == 0 and a[0, 0] != 0


def test_setitem_errors():
    a = _arr(np.float64, (3, 4))
    with pytest.raises(TypeError, match="immutable"):
        def bad(x):
            x[0] = 1
        graph_call(bad, a)
    with pytest.raises(ValueError, match="broadcast"):
        graph_call(lambda x: ag.setitem(x, 0, np.ones(5)), a)


# -- errors -----------------------------------------------------------------------------------
def test_unsupported_function_names_itself(graph):
    x = ag.placeholder(np.float64, (4,))
    with pytest.raises(TypeError, match=r"numpy\.fft\.fft is not supported on graph tensors"):
        np.fft.fft(x)
    with pytest.raises(ag.UnsupportedNumpyError, match="in place"):
        np.copyto(x, 1.0)
    with pytest.raises(TypeError, match="immutable"):
        np.add(x, 1, out=x)
    with pytest.raises(TypeError, match="in place"):
        np.add.at(x, 0, 1)
    with pytest.raises(TypeError, match="numpy.piecewise"):
        np.piecewise(x, [x > 0], [1, 2])


def test_asarray_never_converts(graph):
    x = ag.placeholder(np.float64, (4,))
    for conv in (np.asarray, np.array, lambda v: np.arange(v)):
        with pytest.raises(TypeError, match="symbolic"):
            conv(x)
    assert ag.is_tensor(np.asarray(x, like=x))


def test_sizes_from_tensors():
    g = ag.Graph()
    api = ag.numpy_api
    with g.as_default():
        n = ag.placeholder(np.int64, ())
        outs = [api.zeros((n, 2)), api.ones(n, dtype=np.int32), api.arange(n),
                api.arange(1, n, 2), api.full((2, n), 7.0), api.eye(n), api.linspace(0, 1, n),
                np.zeros(4, like=n)]
    assert outs[0].shape == (None, 2) and outs[1].dtype == np.int32
    got = g.run(outs, {n: 4})
    exp = [np.zeros((4, 2)), np.ones(4, np.int32), np.arange(4), np.arange(1, 4, 2),
           np.full((2, 4), 7.0), np.eye(4), np.linspace(0, 1, 4), np.zeros(4)]
    for gv, ev in zip(got, exp, strict=False):
        np.testing.assert_array_equal(gv, ev)
        assert gv.dtype == ev.dtype


def test_dynamic_shape(graph):
    x = ag.placeholder(np.float32, (None, 3))
    s = ag.numpy_api.shape(x)
    assert s[1] == 3 and ag.is_tensor(s[0])
    z = ag.numpy_api.zeros(s)
    assert z.shape == (None, 3)
    assert graph.run(z, {x: np.ones((2, 3), np.float32)}).shape == (2, 3)


def test_reshape_errors():
    with pytest.raises(ValueError, match="cannot reshape array of size 12 into shape"):
        graph_call(lambda x: np.reshape(x, (5, 2)), _arr(np.int32, (3, 4)))
    with pytest.raises(ValueError, match="only specify one unknown"):
        graph_call(lambda x: np.reshape(x, (-1, -1)), _arr(np.int32, (3, 4)))


def test_supported_functions_listed():
    names = ag.supported_functions()
    for n in ("numpy.sum", "numpy.where", "numpy.reshape", "numpy.linalg.inv",
              "numpy.concatenate"):
        assert n in names
