"""Sharded execution (8 host CPU devices, in a subprocess) and lazy loading of the backend."""

import os
import subprocess
import sys
import textwrap

import pytest

jax = pytest.importorskip("jax")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

_PRELUDE = """
import os, sys
os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=8"
os.environ["JAX_PLATFORMS"] = "cpu"
import numpy as np
import jax, jax.numpy as jnp
from jax.sharding import NamedSharding, PartitionSpec as P
import autograph
from autograph import runtime as ag__
"""


def _run(code: str, tmp_path, timeout: int = 120) -> str:
    """Runs `code` in a fresh interpreter with 8 host devices (from a file: autograph reads
    the source of the functions it converts)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    script = tmp_path / "sharded_script.py"
    script.write_text(_PRELUDE + textwrap.dedent(code))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_converted_functional_forms_under_jit_with_named_sharding(tmp_path):
    out = _run("""
        assert len(jax.devices()) == 8, jax.devices()
        mesh = jax.make_mesh((8,), ("d",))

        def step(x):                      # x: one row; staged if inside a staged loop
            s = {"acc": jnp.zeros(x.shape[1:], x.dtype), "k": 0}
            def body(s, v):
                def pos(s): s["acc"] = s["acc"] + v
                def neg(s): s["acc"] = s["acc"] - v * 0.5
                ag__.if_stmt(v.sum() > 0, lambda: pos(s), lambda: neg(s),
                             lambda: (s["acc"],), lambda t: s.update(acc=t[0]), ("acc",), 1)
                s["k"] = s["k"] + 1
            names = ("acc", "k")
            ag__.for_stmt(x, None, lambda v: body(s, v), lambda: tuple(s[n] for n in names),
                          lambda t: s.update(zip(names, t)), names, {"iterate_names": "v"})
            return s["acc"]

        def ref(x):
            acc = np.zeros_like(x[0])
            for v in x:
                acc = acc + v if v.sum() > 0 else acc - v * 0.5
            return acc

        rng = np.random.default_rng(0)
        x = rng.standard_normal((16, 6, 8)).astype(np.float32)   # batch of 16 (rows, cols)
        xs = jax.device_put(x, NamedSharding(mesh, P("d")))      # batch sharded on 8 devices
        f = jax.jit(jax.vmap(step), out_shardings=NamedSharding(mesh, P("d")))
        with jax.set_mesh(mesh):  # jax 0.10: vmap of a loop over a sharded batch needs it
            got = f(xs)
        assert got.sharding.spec == P("d"), got.sharding
        assert len(got.sharding.device_set) == 8
        want = np.stack([ref(b) for b in x])
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-5, atol=1e-5)

        # a column-sharded matrix through a staged loop over its rows (no vmap)
        m = jax.device_put(x[0], NamedSharding(mesh, P(None, "d")))  # (6, 8), columns split
        g = jax.jit(step)
        np.testing.assert_allclose(np.asarray(g(m)), ref(x[0]), rtol=1e-5, atol=1e-5)
        print("OK")
    """, tmp_path)
    assert "OK" in out


def test_converted_function_under_jit_with_named_sharding(tmp_path):
    out = _run("""
        def f(x):
            acc = jnp.zeros(x.shape[1:])
            for row in x:
                if row.sum() > 0:
                    acc = acc + row
                else:
                    acc = acc - row * 0.5
            return acc

        def ref(x):
            acc = np.zeros(x.shape[1:], x.dtype)
            for row in x:
                acc = acc + row if row.sum() > 0 else acc - row * 0.5
            return acc

        try:
            conv = autograph.to_graph(f)
        except Exception as e:                        # the compiler is not in this tree yet
            print("SKIP", type(e).__name__, e)
            raise SystemExit(0)
        mesh = jax.make_mesh((8,), ("d",))
        rng = np.random.default_rng(1)
        x = rng.standard_normal((5, 64)).astype(np.float32)
        xs = jax.device_put(x, NamedSharding(mesh, P(None, "d")))
        got = jax.jit(conv, out_shardings=NamedSharding(mesh, P("d")))(xs)
        assert len(got.sharding.device_set) == 8
        np.testing.assert_allclose(np.asarray(got), ref(x), rtol=1e-5, atol=1e-5)
        print("OK")
    """, tmp_path)
    if out.startswith("SKIP"):
        pytest.skip(out.strip())
    assert "OK" in out


def test_runtime_does_not_import_jax_and_loads_the_backend_once_jax_is_imported():
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    code = textwrap.dedent("""
        import sys
        import autograph
        from autograph import runtime as ag__
        from autograph.runtime import registry
        s = {"y": 0}
        ag__.if_stmt(True, lambda: s.update(y=1), lambda: None, lambda: (s["y"],),
                     lambda t: s.update(y=t[0]), ("y",), 1)
        assert "jax" not in sys.modules, "the runtime imported jax"
        assert registry.get("jax") is None
        import jax
        b = registry.get("jax")
        if b is None:
            print("NOT LOADED")
            raise SystemExit(3)
        assert type(b).__module__.endswith("jax_backend"), b
        print("OK")
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env=env, cwd=ROOT)
    if proc.returncode == 3 and "NOT LOADED" in proc.stdout:
        pytest.xfail("runtime/__init__.py's register_lazy entry does not name "
                     "autograph.runtime.backends.jax_backend yet")
    assert proc.returncode == 0, proc.stdout + proc.stderr
