"""The backend registry: the type-keyed dispatch cache, priorities, lazy registration."""

from __future__ import annotations

import sys
import types

import numpy as np
import pytest
from toy_backend import Sym, ToyBackend, inp

import autograph.runtime as ag
from autograph.runtime import registry


class Counting(registry.Backend):
    name = "counting"

    def __init__(self, owned, priority=0):
        self.owned, self.priority, self.calls = owned, priority, 0

    def owns(self, value):
        self.calls += 1
        return isinstance(value, self.owned)


class Mine:
    pass


class MineToo(Mine):
    pass


@pytest.mark.parametrize("value", [True, 1, 1.5, 1j, "s", b"b", None, [], (), {}, set(),
                                   range(2), np.int32(1), np.float64(1.0), np.bool_(True),
                                   np.zeros(2), np.str_("x")])
def test_plain_values_have_no_backend(value):
    assert registry.backend_of(value) is None and not ag.is_tensor(value)
    assert type(value) in registry._cache


def test_owns_is_called_once_per_type():
    backend = registry.register(Counting(Mine))
    try:
        assert registry.backend_of(Mine()) is backend
        assert registry.backend_of(Mine()) is backend
        assert registry.backend_of(MineToo()) is backend
        assert backend.calls == 2  # once per type
        assert registry._cache[Mine] is backend
        assert registry.backend_of(object()) is None
        calls = backend.calls
        registry.backend_of(object())
        assert backend.calls == calls  # a cached None too
    finally:
        registry.unregister(backend)
    assert Mine not in registry._cache
    assert registry.backend_of(Mine()) is None


def test_priority_and_tensor_types():
    low = registry.register(Counting(Mine, priority=0))
    high = registry.register(Counting(Mine, priority=1000))
    try:
        assert registry.backend_of(Mine()) is high
        assert registry.backends()[0] is high
    finally:
        registry.unregister(low)
        registry.unregister(high)
    toy = registry.register(ToyBackend)  # a class is instantiated
    try:
        assert isinstance(toy, ToyBackend) and registry.get("toy") is toy
        assert registry.backend_of(inp("x")) is toy and ag.is_tensor(inp("x"))
    finally:
        registry.unregister("toy")
    assert registry.backend_of(inp("x")) is None


def test_register_rejects_non_backends():
    with pytest.raises(TypeError):
        registry.register(object())


def test_lazy_backend_loads_only_once_its_framework_is_imported():
    name = "fake_framework_for_autograph_tests"
    loads = []

    def loader():
        loads.append(name)
        return Counting(sys.modules[name].Tensor)

    assert name not in sys.modules
    registry.register_lazy(name, loader)
    try:
        assert registry.backend_of(Mine()) is None
        assert loads == []  # the framework was never imported: never loaded
        module = types.ModuleType(name)

        class Tensor:
            pass

        module.Tensor = Tensor
        sys.modules[name] = module  # "the user imports the framework"
        backend = registry.backend_of(Tensor())
        assert loads == [name] and backend is not None and backend.owned is Tensor
        assert registry.backend_of(Tensor()) is backend and loads == [name]
    finally:
        sys.modules.pop(name, None)
        registry.unregister(name)
        for b in list(registry._backends):
            if isinstance(b, Counting):
                registry.unregister(b)


def test_lazy_backend_by_module_name(tmp_path, monkeypatch):
    framework = "fake_fw2_for_autograph_tests"
    backend_module = "fake_fw2_backend_for_autograph_tests"
    (tmp_path / f"{backend_module}.py").write_text(
        "from autograph.runtime import registry\n"
        "class B(registry.Backend):\n"
        "    name = 'fw2'\n"
        "    tensor_types = (complex,)\n"
        "def load_backend():\n"
        "    return B()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.register_lazy(framework, backend_module)
    registry.register_lazy(framework, "no_such_backend_module_for_autograph_tests")
    try:
        assert registry.get("fw2") is None
        sys.modules[framework] = types.ModuleType(framework)
        assert registry.get("fw2") is not None  # the missing backend module is dropped
        assert not registry._pending or all(p[0] != framework for p in registry._pending)
    finally:
        sys.modules.pop(framework, None)
        sys.modules.pop(backend_module, None)
        registry.unregister("fw2")
        registry.unregister(framework)


def test_py_range_loads_pending_backends(tmp_path, monkeypatch):
    """py_range notices a newly imported framework whose backend stages static ranges."""
    import importlib

    from autograph.runtime import iteration

    name = "fake_fw3_for_autograph_tests"
    (tmp_path / f"{name}.py").write_text("X = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.register_lazy(name, lambda: ToyBackend(static_range=True), static_range=True)
    try:
        assert registry._watcher in sys.meta_path
        assert list(ag.py_range(2)) == [0, 1]
        importlib.import_module(name)  # the user imports the framework
        assert iteration._static_check
        with pytest.raises(ag.StagingRequired):
            ag.py_range(2)
        assert registry.get("toy") is not None
    finally:
        sys.modules.pop(name, None)
        registry.unregister("toy")
        registry.unregister(name)
    assert list(ag.py_range(2)) == [0, 1]


def test_staging_required_from_fast_helpers(toy):
    x = inp("xs", "array:int")
    n = inp("n")
    with pytest.raises(ag.StagingRequired):
        ag.py_range(n)
    with pytest.raises(ag.StagingRequired):
        ag.py_range(0, n, 2)
    with pytest.raises(ag.StagingRequired):
        ag.py_enumerate(x)
    with pytest.raises(ag.StagingRequired):
        ag.py_zip([1], x)
    with pytest.raises(ag.StagingRequired):
        ag.py_iter(x)
    assert issubclass(ag.StagingRequired, TypeError)
    # descriptors
    r = ag.range_(n)
    assert type(r).__name__ == "RangeDesc" and (r.start, r.stop, r.step) == (0, n, 1)
    assert registry.claims(r) and registry.claims(x) and not registry.claims([1])
    assert type(ag.enumerate_(x)).__name__ == "EnumerateDesc"
    assert type(ag.zip_(x, [1])).__name__ == "ZipDesc"
    with pytest.raises(TypeError):
        iter(r)


def test_claims_iterable_false_iterates_in_python():
    class Box:
        def __init__(self, items):
            self.items = items

        def __iter__(self):
            return iter(self.items)

    class B(registry.Backend):
        name = "box"
        tensor_types = (Box,)

        def claims_iterable(self, value):
            return False

    backend = registry.register(B())
    try:
        box = Box([1, 2])
        assert ag.py_iter(box) is box and not registry.claims(box)
        got = []
        ag.for_stmt(box, None, got.append, lambda: (), lambda v: None, (), {})
        assert got == [1, 2]
    finally:
        registry.unregister(backend)


def test_sym_is_not_plain(toy):
    assert registry.backend_of(Sym("input", ("x",))) is toy
