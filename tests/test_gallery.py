"""Tests of the committed animation gallery (docs/gallery/) and of tools/make_gallery.py."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from PIL import Image

from helpers import arithmetic

ROOT = Path(__file__).resolve().parent.parent
GALLERY = ROOT / "docs" / "gallery"
MAX_TOTAL_BYTES = 3_000_000


def _load_make_gallery():
    spec = importlib.util.spec_from_file_location(
        "make_gallery", ROOT / "tools" / "make_gallery.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_gallery"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


make_gallery = _load_make_gallery()
RECORDS = json.loads((GALLERY / "gallery.json").read_text(encoding="utf-8"))["cases"]


def expected_frames(kind: str, params: dict) -> int:
    """Output positions of a case by helpers.arithmetic; input cells for the scatter view."""
    if kind == "conv":
        o = arithmetic.conv_output_size(*(params[n] for n in ("i", "k", "s", "p", "d")))
    elif kind == "pool":
        o = arithmetic.pool_output_size(
            params["i"], params["k"], params["s"], params["p"], ceil_mode=params["ceil_mode"]
        )
    elif kind == "transposed-scatter":
        o = params["i"]
    elif kind == "transposed-conv":
        names = ("i", "k", "s", "p", "d", "output_padding")
        o = arithmetic.conv_transpose_output_size(*(params[n] for n in names))
    else:
        raise AssertionError(f"unknown kind {kind}")
    return o * o


def test_the_index_lists_exactly_the_cases_of_the_tool():
    expected = [(c.name, c.kind, c.params) for c in make_gallery.cases()]
    assert [(r["name"], r["kind"], r["params"]) for r in RECORDS] == expected
    on_disk = sorted(path.name for path in GALLERY.glob("*.gif"))
    assert on_disk == sorted(r["file"] for r in RECORDS)


@pytest.mark.parametrize("record", RECORDS, ids=[r["name"] for r in RECORDS])
def test_each_gif_has_one_frame_per_position(record):
    with Image.open(GALLERY / record["file"]) as image:
        assert image.format == "GIF"
        assert image.n_frames == expected_frames(record["kind"], record["params"])
        assert image.n_frames == record["frames"]
        assert list(image.size) == record["size"]
    assert (GALLERY / record["file"]).stat().st_size == record["bytes"]


def test_the_whole_gallery_is_small():
    total = sum(path.stat().st_size for path in GALLERY.glob("*.gif"))
    assert 0 < total <= MAX_TOTAL_BYTES


def test_the_paper_cases_have_the_paper_output_sizes():
    # Dumoulin & Visin (2016): figures 2.1-2.7 and 5.1 give these output sizes
    paper = {
        "no_padding": 2,
        "arbitrary_padding": 6,
        "half_padding": 5,
        "full_padding": 7,
        "no_padding_strides": 2,
        "padding_strides": 3,
        "padding_strides_odd": 3,
        "dilation": 3,
    }
    conv = {
        c.name.removeprefix("conv_"): c.params for c in make_gallery.cases() if c.kind == "conv"
    }
    assert set(conv) == set(paper)
    for name, o in paper.items():
        assert arithmetic.conv_output_size(*(conv[name][n] for n in "ikspd")) == o, name


def test_transposed_counterparts_map_the_output_back_to_the_input():
    by_name = {c.name: c for c in make_gallery.cases()}
    for name, case in by_name.items():
        if case.kind != "conv":
            continue
        stem = name.removeprefix("conv_")
        for view in ("scatter", "conv"):
            t = by_name[f"transposed_{stem}_{view}"].params
            names = ("i", "k", "s", "p", "d", "output_padding")
            assert arithmetic.conv_transpose_output_size(*(t[n] for n in names)) == case.params["i"]


def test_regenerating_a_case_gives_identical_bytes(tmp_path):
    case = next(c for c in make_gallery.cases() if c.name == "conv_no_padding_strides")
    info = make_gallery.make(case, tmp_path)
    assert info.path.read_bytes() == (GALLERY / f"{case.name}.gif").read_bytes()


def test_the_index_page_links_every_gif():
    text = (GALLERY / "README.md").read_text(encoding="utf-8")
    for record in RECORDS:
        assert f"]({record['file']})" in text


def test_only_refuses_an_unknown_case(tmp_path, capsys):
    with pytest.raises(SystemExit):
        make_gallery.main(["--out", str(tmp_path), "--only", "no_such_case"])
    assert "unknown cases" in capsys.readouterr().err
