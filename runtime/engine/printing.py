"""Seeing a graph: a readable text listing and Graphviz (dot) source."""

from __future__ import annotations

from .shapes import shape_str

__all__ = ["graph_as_text", "graph_to_dot"]


def _out_desc(op) -> str:
    outs = []
    for t in op.outputs:
        if getattr(t, "_is_tensor_list", False):
            el = "?" if t.element_dtype is None else f"{t.element_dtype}{shape_str(t.element_shape)}"
            outs.append(f"list[{el}]")
        else:
            outs.append(f"{t.dtype}{shape_str(t.shape)}")
    return ", ".join(outs)


def _in_desc(op) -> str:
    return ", ".join(t.op.name if len(t.op.outputs) == 1 else t.name for t in op.inputs)


def _lines(graph, indent: int, out: list) -> None:
    pad = "  " * indent
    for op in graph._ops:
        desc = op.kind.describe(op)
        args = desc if desc else _in_desc(op)
        extra = f"  -> {_out_desc(op)}" if op.outputs else ""
        if op.kind.control_flow:
            args = _in_desc(op)
        flag = "  [effect]" if op.stateful else ""
        sep = " =" if op.outputs else ":"
        out.append(f"{pad}{op.name}{sep} {op.type}({args}){extra}{flag}")
        for sub in op.subgraphs:
            res = ", ".join(t.op.name if len(t.op.outputs) == 1 else t.name for t in sub.outputs)
            out.append(f"{pad}  {sub.purpose}:" + (f"  (returns {res})" if sub.outputs else ""))
            if not sub._ops:
                out.append(f"{pad}    (no ops)")
            _lines(sub, indent + 2, out)


def graph_as_text(graph) -> str:
    out = [f"graph '{graph.name}' ({len(graph._ops)} ops)"]
    _lines(graph, 1, out)
    return "\n".join(out)


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def graph_to_dot(graph) -> str:
    lines = [f"digraph {_q(graph.name)} {{", "  rankdir=TB;",
             '  node [shape=box, style="rounded,filled", fillcolor="#f4f4f4", fontname="Helvetica"];']
    counter = [0]

    def node_id(op):
        return _q(op.name)

    def emit(g, indent):
        pad = "  " * indent
        for op in g._ops:
            label = f"{op.name}\\n{op.type}"
            if op.outputs:
                label += f"\\n{_out_desc(op)}"
            color = "#ffe4c4" if op.stateful else ("#dde8ff" if op.kind.control_flow else
                                                    "#f4f4f4")
            shape = "ellipse" if op.type == "Placeholder" else "box"
            lines.append(f"{pad}{node_id(op)} [label={_q(label)}, shape={shape}, "
                         f"fillcolor={_q(color)}];")
            for sub in op.subgraphs:
                counter[0] += 1
                lines.append(f"{pad}subgraph cluster_{counter[0]} {{")
                lines.append(f"{pad}  label={_q(op.name + ': ' + sub.purpose)}; style=dashed;")
                emit(sub, indent + 1)
                lines.append(f"{pad}}}")
            for t in op.inputs:
                lines.append(f"{pad}{node_id(t.op)} -> {node_id(op)};")
        for op in g._ops:
            for sub in op.subgraphs:
                for t in sub.outputs:
                    lines.append(f"{pad}{node_id(t.op)} -> {node_id(op)} [style=dotted];")

    emit(graph, 1)
    lines.append("}")
    return "\n".join(lines)
