"""The rule catalogue: every rule id with its severity, Chinese name and a
one-line description (ids follow domain.md §5).  The identity engine, the
code rules, the help menu and the exports read it; it reads nothing else."""
from __future__ import annotations

from dataclasses import dataclass

from .model import ERROR, WARNING

RULESET_VERSION = "2026.2"     # 2026.2: F-READ, C-OTHER in reviews

# ---------------------------------------------------------------------------
# The rule catalogue: id → severity and a Chinese name.  Ids follow domain.md §5.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleInfo:
    id: str
    severity: str
    name: str
    description: str


RULES: dict[str, RuleInfo] = {r.id: r for r in (
    RuleInfo("T3-ROW", ERROR, "表三行合计", "每一行：自然人与五类法人或其他组织之和等于总计"),
    RuleInfo("T3-BAL", ERROR, "表三勾稽关系", "每一栏：第一项加第二项之和等于第三项加第四项之和"),
    RuleInfo("T3-LEAF", ERROR, "表三办理结果合计", "每一栏：（七）总计等于各项办理结果之和"),
    RuleInfo("T3-BAL-LEAF", ERROR, "表三勾稽关系（按明细）",
             "每一栏：第一项加第二项之和等于各项办理结果之和加结转下年度"),
    RuleInfo("T3-NN", ERROR, "表三数值", "表三各栏应为非负整数"),
    RuleInfo("T4-SUM", ERROR, "表四合计", "结果维持、结果纠正、其他结果、尚未审结之和等于总计"),
    RuleInfo("T4-NN", ERROR, "表四数值", "表四各栏应为非负整数"),
    RuleInfo("T2-NN", ERROR, "表二数值", "件数为非负整数（2019年版本年增/减可为负），金额为非负数"),
    RuleInfo("T2-VALID", WARNING, "表二现行有效件数", "现行有效件数加本年废止件数不应小于本年制发件数"),
    RuleInfo("T2-PUB", WARNING, "表二公开数量", "本年新公开数量不应大于对外公开总数量"),
    RuleInfo("T2-UNIT", WARNING, "表二金额单位", "行政事业性收费金额以万元为单位"),
    RuleInfo("F-TEMPLATE", ERROR, "格式版本", "2021年及以后的报告应使用2021年版格式"),
    RuleInfo("F-ROWSET", WARNING, "表格行", "表格各行应与格式一致，无缺行、重复行"),
    RuleInfo("F-BLANK", WARNING, "空白单元格", "统计表中不应留空，无数据应填 0"),
    RuleInfo("F-READ", WARNING, "两种读法不一致",
             "PDF 表格单元格的两种独立读法（表格识别与文字层）不一致：可能是读取错误，需对照原文"),
    RuleInfo("F-BLANK-SUM", WARNING, "空白影响核对", "空白单元格使勾稽关系无法判断；给出空白按 0 计时的结果"),
    RuleInfo("F-PLACEHOLDER", WARNING, "占位符", "统计表中以“/”“—”等代替数字"),
    RuleInfo("F-UNREADABLE", WARNING, "无法识读", "单元格内容无法识读为数字，需人工核对原文"),
    RuleInfo("F-UNREADABLE-MOST", ERROR, "表格大多无法识读",
             "统计表中有内容的单元格过半无法识读为数字，报告无法核对，不能视为通过"),
    RuleInfo("F-DECODE", WARNING, "字符编码", "文件中有字节无法按其字符编码解码，已替换，相关文字需对照原文核对"),
    RuleInfo("F-OCR", WARNING, "文字识别存疑", "扫描件中识别置信度低或有字迹未能识别的单元格，需对照原文核对"),
    RuleInfo("F-FEE", WARNING, "信息处理费", "2021年版格式要求在“其他需要报告的事项”中说明信息处理费收取情况"),
    RuleInfo("D-YEAR", WARNING, "报告年度", "标题年度与统计期限年度应一致"),
    RuleInfo("D-DEADLINE", WARNING, "发布时限", "部门应于次年1月31日前、本级政府应于3月31日前发布（时限可在 deadlines.json 中按地方规定修改）"),
    RuleInfo("D-SIGN", WARNING, "落款日期", "落款日期应在报告年度的次年"),
    RuleInfo("D-STRAY", WARNING, "往年年份", "正文以往年年份叙述本年工作，可能沿用了上年的文字"),
    RuleInfo("D-MODIFIED", WARNING, "发布后有变动", "PDF 的修改日期晚于发布时限"),
    RuleInfo("N-RECEIVED", WARNING, "正文收到申请数", "正文所称收到申请数应等于表三新收（或新收加上年结转）"),
    RuleInfo("N-PROCESSED", WARNING, "正文办结数", "正文所称办结数应等于表三（七）总计"),
    RuleInfo("N-CARRIED", WARNING, "正文结转数", "正文所称上年结转、结转下年度数应与表三一致"),
    RuleInfo("N-GRANTED", WARNING, "正文予以公开数", "正文所称予以公开及部分公开数应与表三一致"),
    RuleInfo("N-WITHHELD", WARNING, "正文不予公开数", "正文所称不予公开数应等于表三不予公开各项之和"),
    RuleInfo("N-UNAVAILABLE", WARNING, "正文无法提供数", "正文所称无法提供数应等于表三无法提供各项之和"),
    RuleInfo("N-DECLINED", WARNING, "正文不予处理数", "正文所称不予处理数应等于表三不予处理各项之和"),
    RuleInfo("N-OTHER", WARNING, "正文其他处理数", "正文所称其他处理数应等于表三其他处理各项之和"),
    RuleInfo("N-PERCENT", WARNING, "正文百分比", "正文所称占比应等于表三该项除以（七）总计"),
    RuleInfo("N-REVIEW", WARNING, "正文行政复议数", "正文所称行政复议数应等于表四行政复议总计"),
    RuleInfo("N-SUIT", WARNING, "正文行政诉讼数", "正文所称行政诉讼数应等于表四两类行政诉讼总计之和"),
    RuleInfo("N-INFORCE", WARNING, "正文现行有效件数", "正文所称现行有效规章、行政规范性文件件数应与表二一致"),
    RuleInfo("N-ALL", WARNING, "正文“均已”表述", "“均获维持”“均已办结”与表四纠正、尚未审结或表三结转不符"),
    RuleInfo("S-PARTS", WARNING, "六个部分", "报告应包括格式规定的六个部分"),
    RuleInfo("S-ORDER", WARNING, "部分顺序与编号", "六个部分应按顺序排列、各编号一次"),
    RuleInfo("S-PROBLEMS", WARNING, "存在的主要问题", "“存在的主要问题及改进情况”应写明具体问题和改进措施"),
    RuleInfo("S-FEE", WARNING, "信息处理费与表三", "“其他需要报告的事项”中的收费通知、收费金额应与表三一致"),
    RuleInfo("C-PROBLEMS", WARNING, "改进措施与上年相同", "“存在的主要问题及改进情况”与上年报告基本相同"),
    RuleInfo("C-PRIOR", WARNING, "与上年雷同", "某一部分与上年报告的同一部分高度相似"),
    RuleInfo("C-OTHER", WARNING, "与其他机关雷同", "有段落与其他机关的报告完全相同"),
    RuleInfo("Y-CARRY", ERROR, "上年结转衔接", "每一栏：本年“上年结转”等于上年报告“结转下年度继续办理”"),
    RuleInfo("Y-VALID", WARNING, "现行有效件数衔接",
             "现行有效件数等于上年现行有效件数加本年制发件数减本年废止件数（2021年版→2021年版）"),
    RuleInfo("Y-PUBTOT", WARNING, "对外公开总数量衔接",
             "对外公开总数量等于上年对外公开总数量加本年新公开数量（2019年版→2019年版）"),
    RuleInfo("Y-ITEMS", WARNING, "项目数量衔接",
             "上一年项目数量等于上年报告的上一年项目数量加本年增/减（2019年版→2019年版）"),
)}
