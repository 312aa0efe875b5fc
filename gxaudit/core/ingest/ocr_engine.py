"""The OCR engine: rapidocr with onnxruntime and the default models inside its wheel.

Nothing is ever downloaded: the engine is built only from the model files
found in the installed package (a missing file is a clear error, not a
download), and only settings that choose no model may be passed to it.
rapidocr is imported lazily; without the ``ocr`` extra the user gets one
Chinese sentence naming the command that installs it.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..model import ReportError

MISSING_MESSAGE = ("这是扫描版 PDF（页面是图片），需要文字识别（OCR）组件，但尚未安装；"
                   "请运行 .venv/bin/pip install -e \".[ocr]\"（或 pip install \"gxaudit[ocr]\"）"
                   "安装后重新打开。")

# Settings that may be passed to rapidocr: none of them names or chooses a model.
_ALLOWED_PARAMS = frozenset({
    "Global.log_level", "Global.use_cls", "Global.text_score", "Global.use_det", "Global.use_rec",
    "Global.return_word_box", "Global.return_single_char_box",
    "Det.model_path", "Rec.model_path",
    "Rec.rec_batch_num", "Det.box_thresh", "Det.thresh", "Det.unclip_ratio",
})
_MODEL_KEYS = ("Det.model_path", "Rec.model_path")


# ---------------------------------------------------------------------------
# The engine
# ---------------------------------------------------------------------------

_ENGINE = None
_ENGINE_LOCK = threading.Lock()
_RUN_LOCK = threading.Lock()       # rapidocr keeps per-call settings on the engine object


def bundled_models() -> dict[str, str]:
    """The default detection and recognition models inside the rapidocr wheel."""
    try:
        import onnxruntime  # noqa: F401
        import rapidocr
    except ImportError as exc:
        raise ReportError(MISSING_MESSAGE) from exc
    models = Path(rapidocr.__file__).resolve().parent / "models"
    found: dict[str, str] = {}
    for task in ("det", "rec"):
        files = sorted(models.glob(f"*_{task}_*.onnx"))
        if len(files) != 1:
            raise ReportError("文字识别（OCR）组件的模型文件缺失或不完整，请重新安装："
                              ".venv/bin/pip install --force-reinstall -e \".[ocr]\"。")
        found[task] = str(files[0])
    return found


def engine_params(extra: dict | None = None) -> dict:
    """The rapidocr settings: the bundled default models, by explicit path, and
    nothing that could make rapidocr fetch a model."""
    models = bundled_models()
    params = {
        "Global.log_level": "error",
        "Global.use_cls": False,          # pages are upright; no 180° text
        "Global.text_score": 0.05,        # keep weak readings: they are flagged, not dropped
        "Det.model_path": models["det"],
        "Rec.model_path": models["rec"],
    }
    for k, v in (extra or {}).items():
        if k not in _ALLOWED_PARAMS or k in _MODEL_KEYS:
            raise ValueError(f"OCR setting not allowed (it could choose a model to download): {k}")
        params[k] = v
    check_params(params)
    return params


def check_params(params: dict) -> None:
    """Refuse any configuration but the default models shipped in the wheel."""
    models = bundled_models()
    for k in params:
        if k not in _ALLOWED_PARAMS:
            raise ValueError(f"OCR setting not allowed (it could choose a model to download): {k}")
    if params.get("Det.model_path") != models["det"] or params.get("Rec.model_path") != models["rec"]:
        raise ValueError("OCR must use the default models shipped inside the rapidocr wheel")
    if params.get("Global.use_cls", False):
        raise ValueError("the angle classifier is not used (its model is not needed)")


def engine():
    """The process-wide OCR engine (built on first use)."""
    global _ENGINE
    if _ENGINE is not None:
        return _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            params = engine_params()
            try:
                from rapidocr import RapidOCR
            except ImportError as exc:
                raise ReportError(MISSING_MESSAGE) from exc
            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
            eng = RapidOCR(params=params)
            # Load both models now, so that a problem shows here and not mid-page.
            eng._load_det_model()
            eng._load_rec_model()
            _ENGINE = eng
    return _ENGINE


def available() -> bool:
    try:
        bundled_models()
        return True
    except ReportError:
        return False


# ---------------------------------------------------------------------------
# OCR output
# ---------------------------------------------------------------------------

@dataclass
class Piece:
    """One recognised character (or word) with its box in image pixels."""
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    score: float
    line: int                # index of the OCR text line it belongs to

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class OcrLine:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    score: float
    pieces: list[Piece] = field(default_factory=list)


def run_ocr(gray, pieces: bool = True) -> list[OcrLine]:
    """OCR one page image (a 2-D uint8 array).  With ``pieces`` every line
    carries its characters' boxes and scores."""
    import numpy as np
    img = np.ascontiguousarray(np.stack([gray] * 3, axis=-1))
    eng = engine()
    with _RUN_LOCK:
        res = eng(img, return_word_box=pieces, return_single_char_box=pieces)
    if res is None or getattr(res, "txts", None) is None or res.boxes is None:
        return []
    out: list[OcrLine] = []
    words = getattr(res, "word_results", None) if pieces else None
    for k, (box, text, score) in enumerate(zip(res.boxes, res.txts, res.scores)):
        xs = [float(p[0]) for p in box]
        ys = [float(p[1]) for p in box]
        line = OcrLine(str(text), min(xs), min(ys), max(xs), max(ys), float(score))
        if words and k < len(words) and words[k]:
            for w in words[k]:
                if not w or len(w) < 3:
                    continue
                t, s, wb = w[0], w[1], w[2]
                wx = [float(p[0]) for p in wb]
                wy = [float(p[1]) for p in wb]
                line.pieces.append(Piece(str(t), min(wx), min(wy), max(wx), max(wy), float(s), k))
        if pieces and not line.pieces and text:
            line.pieces.append(Piece(str(text), line.x0, line.y0, line.x1, line.y1, float(score), k))
        out.append(line)
    return out
