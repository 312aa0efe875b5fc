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
    "Det.limit_type", "Det.limit_side_len",
})
_MODEL_KEYS = ("Det.model_path", "Rec.model_path")
REC_MIN_WIDTH = 160     # pixels at the recogniser's 48-pixel height
REC_BATCH = 6           # crops per call of the recogniser
WIDE_RATIO = 12         # a box wider than this many heights is recognised alone (memory)


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
        # The detector sees only parts of a page (a seal's cells, a tall band of
        # text) already at the reading resolution: never enlarged (rapidocr's
        # default makes the short side 736 px: a narrow column of cells became a
        # 736 x 3000 image and 400 MB), only reduced beyond 960 px (memory).
        "Det.limit_type": "max",
        "Det.limit_side_len": 960,
        # Lines found by the detector are recognised one at a time: six wide
        # lines padded to the widest cost 350 MB (crops cut by gxaudit itself
        # are batched by shape in recognise()).
        "Rec.rec_batch_num": 1,
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
            # Load the recogniser now, so that a problem shows here and not mid-page.
            # The detector is loaded on first use: table cells and running text
            # are cut by the page's ink, so most reads never need it.
            _lean_session(eng._load_rec_model(), params["Rec.model_path"])
            _ENGINE = eng
    return _ENGINE


def _lean_session(model, path: str) -> None:
    """Run a model without ONNX Runtime's memory patterns: they are kept per
    input shape, and every batch of crops has a shape of its own (on a
    five-page scan that was about 60 MB more at the peak, for no speed gained)."""
    import onnxruntime as ort
    opts = ort.SessionOptions()
    opts.log_severity_level = 4
    opts.enable_cpu_mem_arena = False
    opts.enable_mem_pattern = False
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    model.session.session = ort.InferenceSession(path, sess_options=opts,
                                                 providers=["CPUExecutionProvider"])


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
        if eng.text_det is None:              # first use of the detector
            _lean_session(eng._load_det_model(), eng.cfg.Det.model_path)
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


def _batches(crops: list, size: int, floor: float) -> list[list[int]]:
    """Crops of nearly the same width-to-height ratio together (the recogniser
    pads every crop of a call to the widest: a four-digit number beside a
    wider crop lost 0.28 of its confidence); a wide one alone."""
    def ratio(k: int) -> float:
        return max(floor, crops[k].shape[1] / crops[k].shape[0])
    out: list[list[int]] = []
    for k in sorted(range(len(crops)), key=ratio):
        last = out[-1] if out else None
        if (last is not None and len(last) < size and ratio(k) <= WIDE_RATIO
                and ratio(k) <= 1.15 * ratio(last[0])):
            last.append(k)
        else:
            out.append([k])
    return out


def recognise(gray, boxes: list[tuple[int, int, int, int]]) -> list[tuple[str, float]]:
    """Recognition only: the text of each box (x0, y0, x1, y1) of a page image
    (a 2-D uint8 array), one text line per box, with its lowest character
    score.  Boxes of nearly the same shape are recognised together, so that
    a box reads the same whatever else is on the page, and a narrow box is
    padded to ``REC_MIN_WIDTH`` rather than the recogniser's default 320
    pixels, which made one number cost as much as a line of text (narrower
    still, a lone "0" lost confidence: 0.95 at 48 pixels, 0.999 at 160)."""
    import numpy as np
    if not boxes:
        return []
    from rapidocr.ch_ppocr_rec import TextRecInput
    crops = [gray[y0:y1, x0:x1] for x0, y0, x1, y1 in boxes]
    rec = engine()._load_rec_model()
    results: dict[int, tuple[str, float, object]] = {}
    with _RUN_LOCK:
        saved = rec.rec_image_shape, rec.rec_batch_num
        rec.rec_image_shape = [saved[0][0], saved[0][1], REC_MIN_WIDTH]
        rec.rec_batch_num = REC_BATCH
        try:
            for group in _batches(crops, REC_BATCH, REC_MIN_WIDTH / saved[0][1]):
                imgs = [np.ascontiguousarray(np.stack([crops[k]] * 3, axis=-1)) for k in group]
                res = rec(TextRecInput(img=imgs, return_word_box=True))
                words = res.word_results or ()
                for n, k in enumerate(group):
                    results[k] = (res.txts[n], res.scores[n], words[n] if n < len(words) else None)
        finally:
            rec.rec_image_shape, rec.rec_batch_num = saved
    out: list[tuple[str, float]] = []
    for k in range(len(crops)):
        text, score, word = results[k]
        confs = getattr(word, "confs", None)
        low = value_score(str(text), getattr(word, "words", None), confs) if confs else float(score)
        out.append((str(text).strip(), float(low) if str(text).strip() else 0.0))
    return out


def value_score(text: str, words, confs) -> float:
    """A crop's lowest character score, leaving out a space the recogniser
    scored (whether there is a gap says nothing of the characters) and the
    characters of a figure's bracketed note ("22（其中修订16件）": its
    brackets are read with 0.5–0.6, the figure 22 with 1.0): a cell's value
    is read from its number and unit only.  Every score counts when the
    characters do not line up with the scores."""
    chars = [c for w in (words or ()) for c in w]
    if len(confs) == len(text):
        chars = list(text)
    elif len(chars) != len(confs) or "".join(chars) != text.replace(" ", ""):
        return min(confs)
    from ..text import parse_value
    joined = "".join(chars)
    end = len(chars)
    start = min((joined.find(b) for b in "(（" if b in joined), default=-1)
    parsed = parse_value(text)
    if parsed.status == "ok" and parsed.note and start > 0 and joined.rstrip()[-1:] in (")", "）"):
        end = start
    kept = [sc for c, sc in zip(chars[:end], confs[:end]) if c != " "]
    return min(kept) if kept else min(confs)
