"""Regenerate the animation gallery in ``docs/gallery/``: GIFs, ``gallery.json``, ``README.md``.

The cases are those of Dumoulin & Visin, "A guide to convolution arithmetic for deep
learning" (2016, arXiv 1603.07285), with the parameters of their figures: the
convolutions of chapter 2 and the dilated one of chapter 5, each convolution's transposed
counterpart (chapter 4: the transposed convolution that maps the output size back to the
input size), shown both as the scatter of kernel copies and as the equivalent direct
convolution on the stretched, padded input; then max pooling with and without
``ceil_mode`` and a strided, dilated transposed convolution. Every frame is drawn by
:mod:`helpers.animation` from the lesson explorers of :mod:`helpers.widgets`.

Running it twice gives identical bytes. Usage::

    python tools/make_gallery.py                    # every case into docs/gallery/
    python tools/make_gallery.py --only conv_half   # some cases (the index is rewritten too)
    python tools/make_gallery.py --out /tmp/gallery
    python tools/make_gallery.py --jobs 1           # one process (default: 2)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from helpers import animation, arithmetic, transposed, widgets

REPO_ROOT = Path(__file__).resolve().parent.parent
GALLERY = REPO_ROOT / "docs" / "gallery"
PAPER = "Dumoulin & Visin (2016)"
KINDS = ("conv", "pool", "transposed-scatter", "transposed-conv")


@dataclass(frozen=True)
class Case:
    """One GIF: its file stem, caption, kind, parameters and where the series teaches it."""

    name: str
    title: str
    kind: str
    params: dict = field(default_factory=dict)
    source: str = ""
    lesson: str = ""


# (stem, title, convolution parameters, paper figure, lesson section)
CONVOLUTIONS = [
    ("no_padding", "No padding, unit strides", dict(i=4, k=3), "2.1", "01 §2"),
    ("arbitrary_padding", "Arbitrary padding", dict(i=5, k=4, p=2), "2.2", "01 §3"),
    ("half_padding", "Half (same) padding", dict(i=5, k=3, p=1), "2.3", "01 §4"),
    ("full_padding", "Full padding", dict(i=5, k=3, p=2), "2.4", "01 §5"),
    ("no_padding_strides", "No padding, strides", dict(i=5, k=3, s=2), "2.5", "01 §6"),
    ("padding_strides", "Padding, strides", dict(i=5, k=3, s=2, p=1), "2.6", "01 §6"),
    ("padding_strides_odd", "Padding, strides (odd)", dict(i=6, k=3, s=2, p=1), "2.7", "01 §7"),
    ("dilation", "Dilation", dict(i=7, k=3, d=2), "5.1", "03 §2"),
]


def full_params(params: dict) -> dict:
    """``params`` with every convolution argument: ``i, k, s=1, p=0, d=1``."""
    return {"i": params["i"], "k": params["k"], "s": 1, "p": 0, "d": 1, **params}


def transposed_counterpart(params: dict) -> dict:
    """The ``ConvTranspose2d`` arguments that map the convolution's output size back to ``i``.

    Parameters
    ----------
    params : dict
        ``i, k, s, p, d`` of the convolution.

    Returns
    -------
    dict
        ``i`` (the convolution's output size), ``k, s, p, d`` unchanged and the
        ``output_padding`` of :func:`helpers.transposed.matching_output_padding`
        (the paper's ``a``).
    """
    i, k, s, p, d = (params[name] for name in ("i", "k", "s", "p", "d"))
    o = arithmetic.conv_output_size(i, k, s, p, d)
    op = transposed.matching_output_padding(i, k, s, p, d)
    return {"i": o, "k": k, "s": s, "p": p, "d": d, "output_padding": op}


def _transposed_pair(stem: str, title: str, params: dict, source: str, lesson: str) -> list:
    """The scatter view and the direct-convolution view of one transposed convolution."""
    return [
        Case(
            f"transposed_{stem}_scatter",
            f"{title}: scatter",
            "transposed-scatter",
            params,
            source,
            lesson,
        ),
        Case(
            f"transposed_{stem}_conv",
            f"{title}: as a convolution",
            "transposed-conv",
            params,
            source,
            "04 §7, check 1",
        ),
    ]


def cases() -> list[Case]:
    """Every case of the gallery, in the order of the index.

    Returns
    -------
    list of Case
    """
    result = []
    for stem, title, params, figure, lesson in CONVOLUTIONS:
        params = full_params(params)
        result.append(
            Case(f"conv_{stem}", title, "conv", params, f"{PAPER}, fig. {figure}", lesson)
        )
    for stem, title, params, figure, _ in CONVOLUTIONS:
        chapter = "5.1, transposed" if figure == "5.1" else f"4.{figure[-1]}"
        result += _transposed_pair(
            stem,
            f"Transposed, {title[0].lower()}{title[1:]}",
            transposed_counterpart(full_params(params)),
            f"{PAPER}, fig. {chapter}",
            "04 §3",
        )
    pooling = dict(i=5, k=2, s=2, p=0)
    result.append(
        Case(
            "pool_floor", "Max pooling, floor", "pool", {**pooling, "ceil_mode": False}, "", "02 §3"
        )
    )
    result.append(
        Case(
            "pool_ceil",
            "Max pooling, ceil_mode",
            "pool",
            {**pooling, "ceil_mode": True},
            "",
            "02 §3",
        )
    )
    dilated = {"i": 3, "k": 3, "s": 2, "p": 1, "d": 2, "output_padding": 0}
    result += _transposed_pair(
        "dilated_strides", "Transposed, dilated and strided", dilated, "", "04 §3"
    )
    return result


#: The order parameters are written in, as in the formulas.
PARAM_ORDER = ("i", "k", "s", "p", "d", "output_padding", "ceil_mode")


def _params_text(params: dict) -> str:
    names = sorted(params, key=lambda name: PARAM_ORDER.index(name))
    return ", ".join(f"{name}={params[name]}" for name in names)


def frames(case: Case) -> animation.FrameSource:
    """The frame source of a case, from the lesson explorers (or the direct-convolution view).

    Parameters
    ----------
    case : Case

    Returns
    -------
    helpers.animation.FrameSource
    """
    title = f"{case.title} ({_params_text(case.params)})"
    if case.kind == "conv":
        explorer = widgets.conv_explorer()
        return animation.explorer_frames(explorer, title=title, follow=("cell",), **case.params)
    if case.kind == "pool":
        explorer = widgets.pool_explorer()
        return animation.explorer_frames(explorer, title=title, follow=("cell",), **case.params)
    if case.kind == "transposed-scatter":
        return animation.explorer_frames(widgets.transposed_explorer(), title=title, **case.params)
    if case.kind == "transposed-conv":
        params = dict(case.params)
        x, weight = widgets.transposed_example(params.pop("i"), params.pop("k"))
        return animation.TransposedAsConvolution(x, weight, **params, title=title)
    raise ValueError(f"kind={case.kind!r} is invalid: must be one of {KINDS}")


def entry(case: Case, info: animation.GifInfo) -> dict:
    """The ``gallery.json`` record of a written case."""
    return {
        "name": case.name,
        "file": info.path.name,
        "title": case.title,
        "kind": case.kind,
        "params": case.params,
        "frames": info.frames,
        "bytes": info.nbytes,
        "size": [info.width, info.height],
        "source": case.source,
        "lesson": case.lesson,
    }


def make(case: Case, folder: Path) -> animation.GifInfo:
    """Write one case's GIF into ``folder``.

    Parameters
    ----------
    case : Case
    folder : Path
        Created if missing.

    Returns
    -------
    helpers.animation.GifInfo
    """
    folder.mkdir(parents=True, exist_ok=True)
    return animation.save_gif(frames(case), folder / f"{case.name}.gif")


KIND_TEXT = {
    "conv": "output positions",
    "pool": "output positions",
    "transposed-scatter": "input cells (one kernel copy each)",
    "transposed-conv": "output positions",
}


def _square(n: int) -> str:
    return f"{n}×{n}"


def alt_text(kind: str, params: dict, frames: int) -> str:
    """What a GIF shows, for its alt text: the sizes (from :mod:`helpers.arithmetic`), the move.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    params : dict
        The case's parameters (``i, k, s, p, d``; ``output_padding`` or ``ceil_mode``).
    frames : int
        Frames of the GIF.

    Returns
    -------
    str
        One or two sentences; every number computed from ``params``.

    Examples
    --------
    >>> alt_text("conv", {"i": 4, "k": 3, "s": 1, "p": 0, "d": 1}, 4)[:64]
    'Animation in 4 frames: a 3×3 kernel slides over a 4×4 input (pad'
    """
    i, k, s, p = params["i"], params["k"], params["s"], params["p"]
    d = params.get("d", 1)
    head = f"Animation in {frames} frames: "
    if kind == "conv":
        o = arithmetic.conv_output_size(i, k, s, p, d)
        return (
            f"{head}a {_square(k)} kernel slides over a {_square(i)} input (padding {p}, "
            f"stride {s}, dilation {d}) and fills a {_square(o)} output one cell per frame, "
            "the window and its output cell outlined."
        )
    if kind == "pool":
        mode = "ceil_mode" if params["ceil_mode"] else "floor"
        o = arithmetic.pool_output_size(i, k, s, p, ceil_mode=params["ceil_mode"])
        return (
            f"{head}a {_square(k)} max-pooling window moves over a {_square(i)} input "
            f"(stride {s}, padding {p}, {mode}) and fills a {_square(o)} output one cell "
            "per frame, the window and its output cell outlined."
        )
    op = params.get("output_padding", 0)
    o = arithmetic.conv_transpose_output_size(i, k, s, p, d, op)
    settings = f"stride {s}, padding {p}, dilation {d}, output_padding {op}"
    if kind == "transposed-scatter":
        return (
            f"{head}a transposed convolution ({settings}): each of the {i * i} cells of a "
            f"{_square(i)} input in turn adds a copy of the {_square(k)} kernel, scaled by "
            f"its value, onto the {_square(o)} output."
        )
    if kind == "transposed-conv":
        return (
            f"{head}the same transposed convolution ({settings}) as a direct convolution: "
            f"the flipped {_square(k)} kernel slides over the {_square(i)} input spread out "
            f"with zeros and padded, and fills the {_square(o)} output one cell per frame."
        )
    raise ValueError(f"kind={kind!r} is invalid: must be one of {KINDS}")


def lesson_link(lesson: str) -> str:
    """``"01 §2"`` as a Markdown link to lesson 01's notebook (relative to docs/gallery/)."""
    found = sorted((REPO_ROOT / "notebooks").glob(f"{lesson[:2]}_*.ipynb"))
    return f"[{lesson}](../../notebooks/{found[0].name})" if found else lesson


def index_markdown(records: list[dict]) -> str:
    """``docs/gallery/README.md``: an index table, then every GIF under its own heading."""
    total = sum(record["bytes"] for record in records)
    lines = [
        "# Animation gallery",
        "",
        "Generated by `python tools/make_gallery.py` (do not edit): every frame is drawn by",
        "`helpers.animation` from the lessons' explorers, one frame per output position (per",
        "input cell for the scatter of kernel copies). Cases and parameters follow",
        "Dumoulin & Visin, *A guide to convolution arithmetic for deep learning* (2016),",
        "arXiv:1603.07285; transposed counterparts map the output size back to the input size.",
        f"{len(records)} GIFs, {total / 1e6:.2f} MB in all.",
        "",
        "| case | parameters | frames | lesson | source |",
        "| --- | --- | --- | --- | --- |",
    ]
    for record in records:
        what = f"{record['frames']} {KIND_TEXT[record['kind']]}"
        lines.append(
            f"| [{record['title']}](#{record['name']}) | {_params_text(record['params'])} | "
            f"{what} | {lesson_link(record['lesson'])} | {record['source'] or '—'} |"
        )
    for record in records:
        lines += [
            "",
            f'<h2 id="{record["name"]}">{record["title"]}</h2>',
            "",
            f"{_params_text(record['params'])}; {record['frames']} frames, "
            f"{record['bytes'] / 1e3:.0f} kB.",
            "",
            f"![{alt_text(record['kind'], record['params'], record['frames'])}]({record['file']})",
        ]
    return "\n".join(lines) + "\n"


def write_index(folder: Path, records: list[dict]) -> None:
    """Write ``gallery.json`` and ``README.md`` (sorted keys, no dates: reproducible)."""
    text = json.dumps({"cases": records}, indent=1, ensure_ascii=False, sort_keys=True)
    (folder / "gallery.json").write_text(text + "\n", encoding="utf-8")
    (folder / "README.md").write_text(index_markdown(records), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Regenerate the gallery (or some cases of it); print one line per GIF."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=GALLERY, help="folder (docs/gallery/)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="cases to regenerate")
    parser.add_argument(
        "--jobs", type=int, default=min(2, os.cpu_count() or 1), help="processes (default: 2)"
    )
    args = parser.parse_args(argv)
    known = {case.name: case for case in cases()}
    unknown = sorted(set(args.only or ()) - set(known))
    if unknown:
        parser.error(f"unknown cases {unknown}: known are {sorted(known)}")
    old = {}
    if (args.out / "gallery.json").is_file():
        old = {r["name"]: r for r in json.loads((args.out / "gallery.json").read_text())["cases"]}
    todo = [c for c in known.values() if not args.only or c.name in args.only or c.name not in old]
    with ProcessPoolExecutor(args.jobs) as pool:
        done = pool.map(make, todo, [args.out] * len(todo))
        infos = dict(zip([c.name for c in todo], done, strict=True))
    records = []
    for case in known.values():
        if case.name in infos:
            info = infos[case.name]
            records.append(entry(case, info))
            print(f"{info.path.name}: {info.frames} frames, {info.nbytes / 1e3:.0f} kB")
        else:
            records.append(old[case.name])
    write_index(args.out, records)
    total = sum(record["bytes"] for record in records)
    print(f"{len(records)} GIFs, {total / 1e6:.2f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
