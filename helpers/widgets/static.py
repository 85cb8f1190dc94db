"""What an explorer leaves where no kernel runs: its picture and its formula line (issue 16.1).

An explorer's display bundle carries, beside the widget view
(``application/vnd.jupyter.widget-view+json``) and the short ``text/plain`` repr,

- ``image/png``: the current picture, for front ends that show images but not widgets;
- ``text/html``: the formula line, the message, the picture (as an ``<img>`` with the PNG
  inline) and the values, for those that render HTML (nbconvert's HTML export, nbviewer,
  VS Code without widgets). Such front ends show one mimetype per output, the richest
  they can, so the HTML must hold the picture too.

JupyterLab and Notebook 7 render the widget view only, so the live explorer looks as before.
The HTML is deterministic apart from the PNG data, which the project's nbval sanitizer
(``tests/sanitize.cfg``) replaces before comparing.
"""

from __future__ import annotations

import base64

__all__ = ["PNG_DATA_PREFIX", "static_bundle", "static_html"]

#: Start of an inline PNG in ``text/html`` (the nbval sanitizer matches what follows it).
PNG_DATA_PREFIX = "data:image/png;base64,"


def static_html(explorer, png_base64: str) -> str:
    """The explorer as static HTML: formula, message, picture and values.

    Parameters
    ----------
    explorer : helpers.widgets.Explorer
        A drawn explorer.
    png_base64 : str
        Its picture, base64-encoded.

    Returns
    -------
    str
        A ``<div class="explorer-static">`` holding ``.formula``, ``.message``, an
        ``<img class="explorer-picture">`` at the picture's CSS width, and ``.values``.
    """
    width = explorer.image.layout.width or "auto"
    parts = [
        f'<div class="explorer-formula">{explorer.formula.value}</div>',
        explorer.message.value,
        '<div style="display:flex;align-items:flex-start">'
        f'<img class="explorer-picture" style="width:{width};max-width:100%" '
        f'alt="{type(explorer).__name__} picture" src="{PNG_DATA_PREFIX}{png_base64}">'
        f"{explorer.values.value}</div>",
    ]
    return '<div class="explorer-static">' + "".join(p for p in parts if p) + "</div>"


def static_bundle(explorer) -> dict[str, str]:
    """``image/png`` and ``text/html`` entries of the explorer's display bundle.

    Parameters
    ----------
    explorer : helpers.widgets.Explorer
        A drawn explorer.

    Returns
    -------
    dict
        ``{"image/png": base64 text, "text/html": static_html(...)}`` (Jupyter's
        mimebundle convention: binary data as base64 text).
    """
    png = base64.b64encode(bytes(explorer.image.value)).decode("ascii")
    return {"image/png": png, "text/html": static_html(explorer, png)}
