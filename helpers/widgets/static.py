"""What an explorer leaves where no kernel runs: its picture and its formula line.

An explorer's display bundle carries, beside the widget view
(``application/vnd.jupyter.widget-view+json``) and the short ``text/plain`` repr,

- ``image/png``: the current picture, for front ends that show images but not widgets;
- ``text/html``: the formula line, the message, the picture (an ``<img>`` with the PNG inline
  and the state's alt text) and the values, for those that render HTML (nbconvert's HTML
  export, nbviewer, VS Code without widgets); the output metadata carries the alt text too. Such
  front ends show one mimetype per output, the richest they can, so the HTML must hold
  the picture too.

JupyterLab and Notebook 7 render the widget view only, so the live explorer looks as before.
The HTML is deterministic apart from the PNG data, which the project's nbval sanitizer
(``tests/sanitize.cfg``) replaces before comparing.
"""

from __future__ import annotations

import base64
import html

from helpers.widgets.text import message_html, values_html

__all__ = ["PNG_DATA_PREFIX", "static_bundle", "static_html"]

#: Start of an inline PNG in ``text/html`` (the nbval sanitizer matches what follows it).
PNG_DATA_PREFIX = "data:image/png;base64,"


def static_html(state, png_base64: str, width: str) -> str:
    """The explorer as static HTML: formula, message, picture (with its alt text) and values.

    Parameters
    ----------
    state : helpers.widgets.ExplorerState
        The state shown.
    png_base64 : str
        Its picture, base64-encoded.
    width : str
        The picture's CSS width.

    Returns
    -------
    str
        A ``<div class="explorer-static">`` holding the formula, the message, an
        ``<img class="explorer-picture">`` whose ``alt`` is ``state.alt``, and the values.
    """
    parts = [
        f'<div class="explorer-formula">{"<br>".join(state.formula)}</div>',
        message_html(state.message),
        '<div style="display:flex;align-items:flex-start">'
        f'<img class="explorer-picture" style="width:{width};max-width:100%" '
        f'alt="{html.escape(state.alt)}" src="{PNG_DATA_PREFIX}{png_base64}">'
        f"{values_html(state.values)}</div>",
    ]
    return '<div class="explorer-static">' + "".join(p for p in parts if p) + "</div>"


def static_bundle(state, png: bytes, width: str) -> tuple[dict[str, str], dict]:
    """``image/png`` and ``text/html`` entries of the display bundle, and their metadata.

    Parameters
    ----------
    state : helpers.widgets.ExplorerState
        The state shown.
    png : bytes
        Its picture.
    width : str
        The picture's CSS width.

    Returns
    -------
    data : dict
        ``{"image/png": base64 text, "text/html": static_html(...)}`` (Jupyter's
        mimebundle convention: binary data as base64 text).
    metadata : dict
        ``{"image/png": {"alt": state.alt}}``: the alt text nbconvert's HTML export reads.
    """
    encoded = base64.b64encode(png).decode("ascii")
    data = {"image/png": encoded, "text/html": static_html(state, encoded, width)}
    return data, {"image/png": {"alt": state.alt}}
