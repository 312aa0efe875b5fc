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

from dataclasses import dataclass
from functools import lru_cache

FORMAT_2021 = "2021"
FORMAT_2019 = "2019"
FORMATS = (FORMAT_2021, FORMAT_2019)

FORMAT_NAMES = {
    FORMAT_2021: "2021年版格式（国办公开办函〔2021〕30号）",
    FORMAT_2019: "2019年版格式（国办公开办函〔2019〕60号）",
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # Alternative header texts seen in real reports (normalised match).
    aliases: tuple[str, ...] = ()
    # "count": integer >= 0; "signed": integer, may be negative (2019 本年增/减);
    # "amount": decimal >= 0.
    kind: str = "count"
    unit: str | None = None


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    # Phrases that identify the row inside a (possibly garbled) label, after
    # normalisation (see text.normalize_label).  The most specific (longest)
    # phrase found wins across all rows of a table.
    phrases: tuple[str, ...] = ()
    # Labels that identify the row only when the whole label equals them
    # (short labels such as 其他, 规章), after numbering is stripped.
    exact: tuple[str, ...] = ()
    group: str | None = None          # the merged group cell it sits under
    role: str = "data"                # data · leaf · total
    short: str = ""                   # short Chinese name for messages


@dataclass(frozen=True)
class Block:
    """A block of table 二: one 第二十条 item with its own columns."""
    key: str
    heading: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class TableLayout:
    table: str                        # t2 · t3 · t4
    layout: str                       # 2021 · 2019
    title: str
    blocks: tuple[Block, ...] = ()    # t2 only
    rows: tuple[Row, ...] = ()        # t3 rows, t4 groups (as rows)
    columns: tuple[Column, ...] = ()  # t3 / t4 columns
    header_note: str = ""

    def cell_keys(self) -> list[str]:
        if self.blocks:
            return [f"{self.table}.{r.key}.{c.key}" for b in self.blocks
                    for r in b.rows for c in b.columns]
        return [f"{self.table}.{r.key}.{c.key}" for r in self.rows for c in self.columns]

    def row_columns(self, row_key: str) -> tuple[Column, ...]:
        if self.blocks:
            for b in self.blocks:
                for r in b.rows:
                    if r.key == row_key:
                        return b.columns
            raise KeyError(row_key)
        return self.columns

    def all_rows(self) -> tuple[Row, ...]:
        if self.blocks:
            return tuple(r for b in self.blocks for r in b.rows)
        return self.rows

    def row(self, row_key: str) -> Row:
        for r in self.all_rows():
            if r.key == row_key:
                return r
        raise KeyError(row_key)

    @property
    def leaves(self) -> tuple[str, ...]:
        return tuple(r.key for r in self.rows if r.role == "leaf")


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

LAYOUTS: dict[tuple[str, str], TableLayout] = {
    ("t2", FORMAT_2021): T2_2021, ("t2", FORMAT_2019): T2_2019,
    ("t3", FORMAT_2021): T3_2021, ("t3", FORMAT_2019): T3_2019,
    ("t4", FORMAT_2021): T4_2021, ("t4", FORMAT_2019): T4_2019,
}
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

# Fingerprints that decide the format (domain.md §2), normalised.
FINGERPRINTS = {
    FORMAT_2019: ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量",
                  "其他对外管理服务事项", "第二十条第(九)项", "政府集中采购", "采购项目数量"),
    FORMAT_2021: ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额"),
}


def layout(table: str, fmt: str) -> TableLayout:
    return LAYOUTS[(table, fmt)]


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
    for fmt in FORMATS:
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

