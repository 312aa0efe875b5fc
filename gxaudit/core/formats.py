"""The national formats of the annual report, as data.

Everything that knows what the tables of sections 二, 三 and 四 look like reads
this module: the reader matches labels against it, the rule engine derives its
identities from it, the grid and the workbook draw their layout from it.

Two formats exist (domain.md §2–§4):

* ``2021`` — 国办公开办函〔2021〕30号, for reports on 2021 and later;
* ``2019`` — 国办公开办函〔2019〕60号 (试行), for reports on 2019 and 2020.

Tables 三 and 四 are nearly the same in both; table 三 differs only in
（六）其他处理 (three sub-rows in 2021, one row in 2019).  Each table therefore
has a *layout* per format, and a report records the layout it was read in
per table (a 2021 report may still collapse （六） into one row).

Cell keys follow ``shared/docs/report-json.md`` exactly:
``t2.<row>.<col>``, ``t3.<row>.<col>``, ``t4.<group>.<col>``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .format_types import Block, Column, Row, TableLayout
from .text import normalize_label

FORMAT_2021 = "2021"
FORMAT_2019 = "2019"


# --------------------------------------------------------------------------
# Table 二 — 主动公开政府信息情况
# --------------------------------------------------------------------------

_INFO = "信息内容"

T2_2021 = TableLayout(
    table="t2", layout=FORMAT_2021, title="二、主动公开政府信息情况",
    blocks=(
        Block("item1", "第二十条第（一）项",
              (Column("issued", "本年制发件数", ("本年制发件数", "制发件数", "本年制发")),
               Column("repealed", "本年废止件数", ("本年废止件数", "废止件数", "本年废止")),
               Column("in_force", "现行有效件数", ("现行有效件数", "现行有效件", "现行有效"))),
              (Row("regulations", "规章", exact=("规章",), short="规章"),
               Row("normative_documents", "行政规范性文件",
                   phrases=("行政规范性文件",), exact=("规范性文件",), short="行政规范性文件"))),
        Block("item5", "第二十条第（五）项",
              (Column("decisions", "本年处理决定数量", ("本年处理决定数量", "处理决定数量")),),
              (Row("licensing", "行政许可", exact=("行政许可",), short="行政许可"),)),
        Block("item6", "第二十条第（六）项",
              (Column("decisions", "本年处理决定数量", ("本年处理决定数量", "处理决定数量")),),
              (Row("punishment", "行政处罚", exact=("行政处罚",), short="行政处罚"),
               Row("coercion", "行政强制", exact=("行政强制",), short="行政强制"))),
        Block("item8", "第二十条第（八）项",
              (Column("amount", "本年收费金额（单位：万元）",
                      ("本年收费金额(单位:万元)", "本年收费金额", "收费金额"),
                      kind="amount", unit="万元"),),
              (Row("fees", "行政事业性收费", exact=("行政事业性收费",), short="行政事业性收费"),)),
    ),
)

_PRIOR = Column("prior_items", "上一年项目数量", ("上一年项目数量", "上年项目数量"))
_CHANGE = Column("change", "本年增/减", ("本年增/减", "本年增减", "增/减", "增减"), kind="signed")
_DECISIONS19 = Column("decisions", "处理决定数量", ("处理决定数量", "本年处理决定数量"))

T2_2019 = TableLayout(
    table="t2", layout=FORMAT_2019, title="二、主动公开政府信息情况",
    blocks=(
        Block("item1", "第二十条第（一）项",
              (Column("new_made", "本年新制作数量", ("本年新制作数量", "新制作数量")),
               Column("new_published", "本年新公开数量", ("本年新公开数量", "新公开数量")),
               Column("total_published", "对外公开总数量", ("对外公开总数量", "公开总数量"))),
              (Row("regulations", "规章", exact=("规章",), short="规章"),
               Row("normative_documents", "规范性文件",
                   phrases=("行政规范性文件",), exact=("规范性文件",), short="规范性文件"))),
        Block("item5", "第二十条第（五）项",
              (_PRIOR, _CHANGE, _DECISIONS19),
              (Row("licensing", "行政许可", exact=("行政许可",), short="行政许可"),
               Row("other_services", "其他对外管理服务事项",
                   phrases=("其他对外管理服务事项", "对外管理服务"), short="其他对外管理服务事项"))),
        Block("item6", "第二十条第（六）项",
              (_PRIOR, _CHANGE, _DECISIONS19),
              (Row("punishment", "行政处罚", exact=("行政处罚",), short="行政处罚"),
               Row("coercion", "行政强制", exact=("行政强制",), short="行政强制"))),
        Block("item8", "第二十条第（八）项",
              (_PRIOR, _CHANGE),
              (Row("fees", "行政事业性收费", exact=("行政事业性收费",), short="行政事业性收费"),)),
        Block("item9", "第二十条第（九）项",
              (Column("items", "采购项目数量", ("采购项目数量", "项目数量")),
               Column("amount", "采购总金额", ("采购总金额", "总金额"), kind="amount")),
              (Row("procurement", "政府集中采购", phrases=("政府集中采购", "集中采购"),
                   short="政府集中采购"),)),
    ),
)

# --------------------------------------------------------------------------
# Table 三 — 收到和处理政府信息公开申请情况
# --------------------------------------------------------------------------

T3_COLUMNS = (
    Column("natural_person", "自然人", ("自然人",)),
    Column("commercial", "商业企业", ("商业企业",)),
    Column("research", "科研机构", ("科研机构",)),
    Column("social_welfare", "社会公益组织", ("社会公益组织", "社会公益")),
    Column("legal_service", "法律服务机构", ("法律服务机构", "法律服务")),
    Column("other_org", "其他", ("其他",)),
    Column("total", "总计", ("总计",)),
)
T3_PART_COLUMNS = tuple(c.key for c in T3_COLUMNS[:-1])
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

G_RESULT = "三、本年度办理结果"
G_WITHHELD = "（三）不予公开"
G_UNAVAILABLE = "（四）无法提供"
G_DECLINED = "（五）不予处理"
G_OTHER = "（六）其他处理"

_T3_HEAD = (
    Row("new_received", "一、本年新收政府信息公开申请数量",
        phrases=("本年新收", "新收政府信息", "新收政府信"), short="一、本年新收"),
    Row("carried_over", "二、上年结转政府信息公开申请数量",
        phrases=("上年结转",), short="二、上年结转"),
    Row("granted", "（一）予以公开", phrases=("予以公开",), group=G_RESULT, role="leaf",
        short="（一）予以公开"),
    Row("partly_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        phrases=("部分公开",), group=G_RESULT, role="leaf", short="（二）部分公开"),
    Row("withheld_state_secret", "1.属于国家秘密", phrases=("国家秘密",),
        group=G_WITHHELD, role="leaf", short="不予公开·国家秘密"),
    Row("withheld_law_prohibited", "2.其他法律行政法规禁止公开",
        phrases=("禁止公开", "其他法律行政法规", "行政止公开", "法律行政法规"),
        group=G_WITHHELD, role="leaf", short="不予公开·法律法规禁止"),
    Row("withheld_three_safety", "3.危及“三安全一稳定”", phrases=("三安全一稳定", "三安全", "一稳定"),
        group=G_WITHHELD, role="leaf", short="不予公开·三安全一稳定"),
    Row("withheld_third_party", "4.保护第三方合法权益", phrases=("第三方合法权益", "保护第三方"),
        group=G_WITHHELD, role="leaf", short="不予公开·第三方权益"),
    Row("withheld_internal_affairs", "5.属于三类内部事务信息", phrases=("内部事务",),
        group=G_WITHHELD, role="leaf", short="不予公开·内部事务"),
    Row("withheld_process_info", "6.属于四类过程性信息", phrases=("过程性信息", "过程性"),
        group=G_WITHHELD, role="leaf", short="不予公开·过程性信息"),
    Row("withheld_enforcement_file", "7.属于行政执法案卷", phrases=("执法案卷",),
        group=G_WITHHELD, role="leaf", short="不予公开·执法案卷"),
    Row("withheld_inquiry_matter", "8.属于行政查询事项", phrases=("行政查询", "查询事项"),
        group=G_WITHHELD, role="leaf", short="不予公开·行政查询"),
    Row("unavailable_not_held", "1.本机关不掌握相关政府信息", phrases=("不掌握",),
        group=G_UNAVAILABLE, role="leaf", short="无法提供·不掌握"),
    Row("unavailable_needs_creation", "2.没有现成信息需要另行制作",
        phrases=("另行制作", "没有现成信息", "现成信息"),
        group=G_UNAVAILABLE, role="leaf", short="无法提供·需另行制作"),
    Row("unavailable_unclear", "3.补正后申请内容仍不明确", phrases=("补正后", "仍不明确"),
        group=G_UNAVAILABLE, role="leaf", short="无法提供·仍不明确"),
    Row("declined_complaint", "1.信访举报投诉类申请", phrases=("信访举报", "投诉类"),
        group=G_DECLINED, role="leaf", short="不予处理·信访举报投诉"),
    Row("declined_duplicate", "2.重复申请", phrases=("重复申请",),
        group=G_DECLINED, role="leaf", short="不予处理·重复申请"),
    Row("declined_publication", "3.要求提供公开出版物", phrases=("公开出版物", "出版物"),
        group=G_DECLINED, role="leaf", short="不予处理·公开出版物"),
    Row("declined_excessive", "4.无正当理由大量反复申请", phrases=("大量反复",),
        group=G_DECLINED, role="leaf", short="不予处理·大量反复申请"),
    Row("declined_reconfirm", "5.要求行政机关确认或重新出具已获取信息",
        phrases=("确认或重新", "重新出具", "已获取信息"),
        group=G_DECLINED, role="leaf", short="不予处理·确认或重新出具"),
)
_T3_TAIL = (
    Row("total_processed", "（七）总计", phrases=("(七)总计", "七)总计", "(七)合计"), exact=("总计",),
        group=G_RESULT, role="total", short="（七）总计"),
    Row("carried_forward", "四、结转下年度继续办理", phrases=("结转下年度", "下年度继续办理"),
        short="四、结转下年度"),
)

T3_2021 = TableLayout(
    table="t3", layout=FORMAT_2021, title="三、收到和处理政府信息公开申请情况",
    columns=T3_COLUMNS, header_note=T3_NOTE,
    rows=_T3_HEAD + (
        Row("other_no_correction",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            phrases=("逾期不补正", "不补正"), group=G_OTHER, role="leaf", short="其他处理·逾期不补正"),
        Row("other_unpaid_fee",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            phrases=("收费通知", "缴纳费用"), group=G_OTHER, role="leaf", short="其他处理·逾期未缴费"),
        Row("other_misc", "3.其他", exact=("其他",), group=G_OTHER, role="leaf",
            short="其他处理·其他"),
    ) + _T3_TAIL,
)

T3_2019 = TableLayout(
    table="t3", layout=FORMAT_2019, title="三、收到和处理政府信息公开申请情况",
    columns=T3_COLUMNS, header_note=T3_NOTE,
    rows=_T3_HEAD + (
        Row("other", "（六）其他处理", phrases=("其他处理",), group=G_RESULT, role="leaf",
            short="（六）其他处理"),
    ) + _T3_TAIL,
)

# --------------------------------------------------------------------------
# Table 四 — 行政复议、行政诉讼
# --------------------------------------------------------------------------

T4_COLUMNS = (
    Column("upheld", "结果维持", ("结果维持", "维持")),
    Column("corrected", "结果纠正", ("结果纠正", "纠正")),
    Column("other", "其他结果", ("其他结果",)),
    Column("pending", "尚未审结", ("尚未审结", "未审结")),
    Column("total", "总计", ("总计",)),
)
T4_PART_COLUMNS = tuple(c.key for c in T4_COLUMNS[:-1])

T4_GROUPS = (
    Row("review", "行政复议", phrases=("行政复议",), short="行政复议"),
    Row("suit_direct", "未经复议直接起诉", phrases=("未经复议直接起诉", "直接起诉", "未经复议"),
        group="行政诉讼", short="行政诉讼·未经复议直接起诉"),
    Row("suit_after_review", "复议后起诉", phrases=("复议后起诉",), group="行政诉讼",
        short="行政诉讼·复议后起诉"),
)

T4_2021 = TableLayout(table="t4", layout=FORMAT_2021, title="四、政府信息公开行政复议、行政诉讼情况",
                      rows=T4_GROUPS, columns=T4_COLUMNS)
T4_2019 = TableLayout(table="t4", layout=FORMAT_2019, title="四、政府信息公开行政复议、行政诉讼情况",
                      rows=T4_GROUPS, columns=T4_COLUMNS)

TABLES = ("t2", "t3", "t4")
TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}

# Section headings, to know which table a row of the source belongs to.
# A heading is a short line that starts with a Chinese numeral and 、 and holds
# one of these phrases (normalised).
SECTION_PHRASES = {
    "t2": ("主动公开政府信息",),
    "t3": ("收到和处理政府信息公开申请", "收到和处理政府信息公开"),
    "t4": ("行政复议", "行政诉讼", "行政法复议"),
    "s5": ("存在的主要问题",),
    "s6": ("其他需要报告的事项",),
}
TABLE_TITLE_PHRASES = {"t2": ("表二",), "t3": ("表三",), "t4": ("表四",)}

# --------------------------------------------------------------------------
# The registry: each national format as one Format object.  Detection
# (reconstruct), the identities and cross-year links (engine) and the
# format rules (rules.py) loop over it; a new national format is one more
# ``register(Format(...))`` at the end of this module.
# --------------------------------------------------------------------------

PRIOR = "prior:"   # prefix of last year's cell keys in cross-year links


@dataclass(frozen=True)
class Inequality:
    """A check inside one report: along each of ``rows`` of ``table``,
    sum(actual) ``op`` sum(expected) must hold (``op`` is ">=" or "<=");
    ``cells`` are the columns the finding lists, ``message`` names the row
    as {row} and each column's figure by its key."""
    rule: str
    table: str
    rows: tuple[str, ...]
    actual: tuple[str, ...]
    op: str
    expected: tuple[str, ...]
    cells: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class CrossYear:
    """A link to last year's report in the same format: along each of
    ``rows`` (or every column when ``rows == "column"``), the actual side
    equals the expected side; keys with ``PRIOR`` are last year's."""
    rule: str
    table: str
    rows: tuple[str, ...] | str
    actual: tuple[str, ...]
    expected: tuple[str, ...]


@dataclass(frozen=True)
class LayoutNote:
    """A table read in ``other``'s layout inside a report of this format."""
    table: str
    other: str
    key_prefix: str
    message: str


@dataclass(frozen=True)
class Format:
    id: str
    name: str                           # 2021年版格式（国办公开办函〔2021〕30号）
    short: str                          # 2021年版
    document: str                       # （国办公开办函〔2021〕30号）
    first_year: int                     # the first report year it is for (it ends where a newer one starts)
    layouts: dict                       # table -> TableLayout
    fingerprints: tuple[str, ...]       # phrases of table 二 that only this format has
    t3_marks: tuple[str, ...]           # phrases of table 三 that show its layout
    t3_note: str                        # what those marks mean, for the record
    inequalities: tuple[Inequality, ...] = ()
    cross_year: tuple[CrossYear, ...] = ()
    layout_notes: tuple[LayoutNote, ...] = ()
    amount_cell: str | None = None      # a cell kept in 万元 (T2-UNIT)
    fee_statement: bool = False         # part 六 must state the 信息处理费 (F-FEE)
    extra: dict = field(default_factory=dict)


REGISTRY: dict[str, Format] = {}        # newest first
FORMATS: tuple[str, ...] = ()
FORMAT_NAMES: dict[str, str] = {}
LAYOUTS: dict[tuple[str, str], TableLayout] = {}
FINGERPRINTS: dict[str, tuple[str, ...]] = {}


def register(fmt: Format) -> None:
    """Add a national format (or replace one with the same id)."""
    REGISTRY[fmt.id] = fmt
    _rebuild()


def unregister(fmt_id: str) -> None:
    REGISTRY.pop(fmt_id, None)
    _rebuild()


def _rebuild() -> None:
    global FORMATS
    ordered = sorted(REGISTRY.values(), key=lambda f: -f.first_year)
    REGISTRY.clear()
    REGISTRY.update((f.id, f) for f in ordered)
    FORMATS = tuple(REGISTRY)
    for table, target in ((FORMAT_NAMES, "name"), (FINGERPRINTS, "fingerprints")):
        table.clear()
        table.update((f.id, getattr(f, target)) for f in ordered)
    LAYOUTS.clear()
    LAYOUTS.update(((t, f.id), lay) for f in ordered for t, lay in f.layouts.items())
    if "cell_specs" in globals():
        cell_specs.cache_clear()


def by_id(fmt_id: str | None) -> Format | None:
    return REGISTRY.get(fmt_id or "")


def newest() -> Format:
    return next(iter(REGISTRY.values()))


def last_year(fmt: Format) -> int | None:
    """The last report year ``fmt`` is for: the year before a newer format starts."""
    later = [f.first_year for f in REGISTRY.values() if f.first_year > fmt.first_year]
    return min(later) - 1 if later else None


def for_year(year: int) -> Format:
    """The format a report on ``year`` must use (the oldest for earlier years)."""
    for f in REGISTRY.values():
        if f.first_year <= year:
            return f
    return list(REGISTRY.values())[-1]


def layout(table: str, fmt: str) -> TableLayout:
    return LAYOUTS[(table, fmt)]


def detect(t2_text: str, t3_text: str, year_hint: int | None) -> tuple["Layouts", str, dict]:
    """Which format a report uses, from its normalised 表二 and 表三 texts
    (domain.md §2): the format most of whose 表二 phrases appear (the newer
    on a tie), 表三's （六） rows, else the report's year; with the phrases
    found, for the record."""
    fp: dict[str, list[str]] = {f.id: [p for p in f.fingerprints if normalize_label(p) in t2_text]
                                for f in REGISTRY.values()}
    # Most phrases found; on a tie the format the text fits more completely.
    best = max(REGISTRY.values(), key=lambda f: (len(fp[f.id]), len(fp[f.id]) / len(f.fingerprints)))
    t2 = best.id if fp[best.id] else None
    marked = next((f for f in REGISTRY.values() if any(normalize_label(p) in t3_text for p in f.t3_marks)), None)
    t3 = None
    if marked is not None:
        fp.setdefault("t3", []).append(marked.t3_note)
        # A layout several formats share is read as the report's own format's.
        t3 = t2 if t2 and REGISTRY[t2].layouts["t3"].rows == marked.layouts["t3"].rows else marked.id
    by_year = for_year(year_hint).id if year_hint is not None else None
    template = t2 or t3 or (by_year or "unknown")
    default = template if template != "unknown" else newest().id
    return Layouts(t2=t2 or default, t3=t3 or default, t4=default), template, fp


@dataclass(frozen=True)
class CellSpec:
    key: str
    table: str
    row: Row
    column: Column
    block: Block | None = None

    @property
    def label(self) -> str:
        """A readable Chinese name of the cell, e.g. 表三（七）总计·总计."""
        return f"{TABLE_NAMES[self.table]}{self.row.short or self.row.label}·{self.column.label}"


@lru_cache(maxsize=None)
def cell_specs(table: str, fmt: str) -> dict[str, CellSpec]:
    lay = layout(table, fmt)
    out: dict[str, CellSpec] = {}
    if lay.blocks:
        for b in lay.blocks:
            for r in b.rows:
                for c in b.columns:
                    k = f"{table}.{r.key}.{c.key}"
                    out[k] = CellSpec(k, table, r, c, b)
    else:
        for r in lay.rows:
            for c in lay.columns:
                k = f"{table}.{r.key}.{c.key}"
                out[k] = CellSpec(k, table, r, c)
    return out


def spec_for(key: str) -> CellSpec | None:
    """The spec of a cell key in whichever layout defines it."""
    table = key.split(".", 1)[0]
    for fmt in REGISTRY:
        if (table, fmt) in LAYOUTS:
            s = cell_specs(table, fmt).get(key)
            if s is not None:
                return s
    return None


@dataclass(frozen=True)
class Layouts:
    """Which layout each table of one report was read in."""
    t2: str = FORMAT_2021
    t3: str = FORMAT_2021
    t4: str = FORMAT_2021

    def of(self, table: str) -> TableLayout:
        return layout(table, getattr(self, table))

    def tables(self) -> list[TableLayout]:
        return [self.of(t) for t in TABLES]

    def cell_keys(self) -> list[str]:
        return [k for t in self.tables() for k in t.cell_keys()]

    def as_dict(self) -> dict[str, str]:
        return {t: getattr(self, t) for t in TABLES}


def layouts_for(fmt: str) -> Layouts:
    return Layouts(fmt, fmt, fmt)


# --------------------------------------------------------------------------
# The two national formats (domain.md §2–§5)
# --------------------------------------------------------------------------

_T2_VALID_ROWS = ("regulations", "normative_documents")
_T2_ITEM_ROWS = ("licensing", "other_services", "punishment", "coercion", "fees")

register(Format(
    FORMAT_2021, "2021年版格式（国办公开办函〔2021〕30号）", "2021年版", "（国办公开办函〔2021〕30号）", 2021,
    layouts={"t2": T2_2021, "t3": T3_2021, "t4": T4_2021},
    fingerprints=("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额"),
    t3_marks=("逾期不补正", "收费通知", "缴纳费用"), t3_note="（六）其他处理分三项",
    inequalities=(Inequality("T2-VALID", "t2", _T2_VALID_ROWS, ("in_force", "repealed"), ">=", ("issued",),
                             ("issued", "repealed", "in_force"),
                             "{row}：现行有效件数 {in_force} 加本年废止件数 {repealed} 小于本年制发件数 {issued}"),),
    cross_year=(CrossYear("Y-VALID", "t2", _T2_VALID_ROWS, ("in_force", "repealed"), (PRIOR + "in_force", "issued")),),
    layout_notes=(LayoutNote("t3", FORMAT_2019, "t3.other.",
                             "表三（六）其他处理只有一行，2021年版格式应分列 1. 逾期不补正、"
                             "2. 逾期未缴纳费用、3. 其他 三项"),),
    amount_cell="t2.fees.amount", fee_statement=True))

register(Format(
    FORMAT_2019, "2019年版格式（国办公开办函〔2019〕60号）", "2019年版", "（国办公开办函〔2019〕60号）", 2019,
    layouts={"t2": T2_2019, "t3": T3_2019, "t4": T4_2019},
    fingerprints=("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量",
                  "其他对外管理服务事项", "第二十条第(九)项", "政府集中采购", "采购项目数量"),
    t3_marks=("其他处理",), t3_note="（六）其他处理为单行",
    inequalities=(Inequality("T2-PUB", "t2", _T2_VALID_ROWS, ("new_published",), "<=", ("total_published",),
                             ("new_published", "total_published"),
                             "{row}：本年新公开数量 {new_published} 大于对外公开总数量 {total_published}"),),
    cross_year=(CrossYear("Y-PUBTOT", "t2", _T2_VALID_ROWS, ("total_published",),
                          (PRIOR + "total_published", "new_published")),
                CrossYear("Y-ITEMS", "t2", _T2_ITEM_ROWS, ("prior_items",),
                          (PRIOR + "prior_items", PRIOR + "change"))),
    layout_notes=(LayoutNote("t3", FORMAT_2021, "t3.other_", "表三（六）其他处理分列三项，与2019年版格式不一致"),)))
