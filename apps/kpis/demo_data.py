"""The demo indicator system (指标体系) of 华辰科技, from the user's documents.

Each row: code, name, department code, unit, direction, frequency, year rule, first-year
target per period (range: (low, high)), yearly growth of the target, story, parent code,
responsible (username or "head"), plausible (min, max), definition, formula, data source.

Stories shape two years of figures: improve / slip (ends amber) / fall (ends red) / steady / volatile / recover; "late"
is steady but the last period has not been reported yet.
"""

M, Q, A = "monthly", "quarterly", "annual"
H, L, R = "higher", "lower", "range"
S, AV = "sum", "average"
PCT = (0, 100)

INDICATORS = [
    # --- company level (公司级) ---------------------------------------------------------
    ("C-SAL", "销售额", "sales", "万元", H, M, S, 800, 0.10, "improve", None, "head", (0, 5000),
     "公司当期确认的含税销售收入总额。", "当期各销售代表确认的合同收入之和。", "ERP 销售模块"),
    ("C-MS", "市场份额", "marketing", "%", H, Q, AV, 18, 0.05, "slip", None, "head", PCT,
     "本公司主营产品销售额占目标市场总规模的比例。", "本公司销售额 ÷ 行业协会公布的市场总规模 × 100%。", "行业协会季度报告"),
    ("C-CSAT", "客户满意度", "service", "分", H, Q, AV, 90, 0, "steady", None, "head", PCT,
     "客户对产品与服务的综合满意程度（百分制）。", "各部门满意度调查得分的平均值。", "季度客户满意度调查"),
    ("C-QUAL", "产品合格率", "quality", "%", H, M, AV, 98.5, 0, "recover", None, "head", PCT,
     "检验合格的产品数量占检验总数的比例。", "一次合格率与出厂检验合格率按 6:4 加权。", "质量管理系统"),
    ("C-OTD", "按时交付率", "production", "%", H, M, AV, 95, 0, "improve", None, "head", PCT,
     "按合同约定日期交付的订单占全部应交付订单的比例。", "按时交付订单数 ÷ 应交付订单数 × 100%。", "ERP 发货记录"),
    ("C-DSO", "回款周期", "finance", "天", L, M, AV, 45, 0, "fall", None, "head", (0, 365),
     "从开具发票到收回货款的平均天数。", "应收账款平均余额 ÷ 当期销售额 × 当期天数。", "财务应收台账"),
    ("C-EMP", "员工满意度", "hr", "分", H, A, AV, 85, 0, "slip", None, "head", PCT,
     "员工对工作环境、薪酬与发展的综合满意程度。", "年度员工满意度问卷的平均得分。", "年度员工满意度调查"),
    ("C-PROFIT", "净利润率", "finance", "%", H, Q, AV, 12, 0, "steady", None, "head", (-50, 60),
     "净利润占营业收入的比例。", "净利润 ÷ 营业收入 × 100%。", "季度财务报表"),
    # --- 销售部 ---------------------------------------------------------------------
    ("S-NEWCUST", "新客户数", "sales", "个", H, M, S, 8, 0.1, "improve", None, "sales-01", (0, 200),
     "当期首次签约的客户数量。", "CRM 中首次成交日期落在当期的客户数。", "CRM"),
    ("S-CONTRACT", "合同履约率", "sales", "%", H, M, AV, 97, 0, "steady", None, "head", PCT,
     "按约履行完毕的合同占到期合同的比例。", "履约合同数 ÷ 到期合同数 × 100%。", "合同台账"),
    ("S-CSAT", "销售服务满意度", "sales", "分", H, Q, AV, 90, 0, "slip", "C-CSAT", "head", PCT,
     "客户对销售人员服务的满意程度。", "销售环节满意度调查平均分。", "季度客户满意度调查"),
    ("S-COLLECT", "回款率", "sales", "%", H, M, AV, 95, 0, "fall", None, "sales-02", PCT,
     "当期实际回款占应回款的比例。", "实际回款额 ÷ 应回款额 × 100%。", "财务应收台账"),
    # --- 市场部 ---------------------------------------------------------------------
    ("M-LEADS", "市场线索数", "marketing", "条", H, M, S, 300, 0.1, "improve", None, "head", (0, 5000),
     "市场活动带来的有效销售线索数量。", "CRM 中来源为市场活动且通过初筛的线索数。", "CRM"),
    ("M-CONV", "线索转化率", "marketing", "%", H, M, AV, 12, 0, "slip", None, "head", PCT,
     "线索转化为成交客户的比例。", "成交客户数 ÷ 有效线索数 × 100%。", "CRM"),
    ("M-BRAND", "品牌曝光量", "marketing", "万次", H, M, S, 50, 0.15, "volatile", None, "staff", (0, 1000),
     "品牌内容在各渠道的曝光次数。", "各媒体平台后台统计的曝光量之和。", "媒体平台后台"),
    ("M-CHANNEL", "新增渠道数", "marketing", "个", H, Q, S, 6, 0, "recover", None, "head", (0, 100),
     "当期新签约的销售渠道与合作伙伴数量。", "渠道合作协议签订日期落在当期的数量。", "渠道台账"),
    # --- 客户服务部 -----------------------------------------------------------------
    ("SV-FEEDBACK", "用户反馈解决率", "service", "%", H, M, AV, 95, 0, "improve", None, "head", PCT,
     "已解决的用户反馈占全部反馈的比例。", "已关闭反馈工单数 ÷ 反馈工单总数 × 100%。", "工单系统"),
    ("SV-COMPLAINT", "投诉处理及时率", "service", "%", H, M, AV, 98, 0, "slip", None, "service-01", PCT,
     "在承诺时限内处理完毕的投诉占比。", "时限内办结投诉数 ÷ 投诉总数 × 100%。", "工单系统"),
    ("SV-CSAT", "客服满意度", "service", "分", H, Q, AV, 90, 0, "improve", "C-CSAT", "head", PCT,
     "客户对客服受理与回访的满意程度。", "客服回访满意度平均分。", "回访记录"),
    ("SV-RESP", "平均响应时长", "service", "分钟", L, M, AV, 30, 0, "improve", None, "head", (0, 600),
     "从客户来电或提交工单到首次响应的平均时长。", "首次响应时长之和 ÷ 工单数。", "工单系统"),
    # --- 生产部 ---------------------------------------------------------------------
    ("P-FPY", "一次合格率", "production", "%", H, M, AV, 98, 0, "recover", "C-QUAL", "head", PCT,
     "生产过程中一次检验即合格的产品比例。", "一次检验合格数 ÷ 送检总数 × 100%。", "MES"),
    ("P-INV", "库存周转天数", "production", "天", L, M, AV, 35, 0, "slip", None, "production-02", (0, 365),
     "库存从入库到出库平均停留的天数。", "平均库存金额 ÷ 当期销售成本 × 当期天数。", "ERP 库存模块"),
    ("P-CAPA", "产能利用率", "production", "%", R, M, AV, (75, 90), 0, "steady", None, "head", PCT,
     "实际产量占设计产能的比例，过低浪费、过高影响设备保养。", "实际产量 ÷ 设计产能 × 100%。", "MES"),
    ("P-COST", "单位生产成本", "production", "元/台", L, M, AV, 1200, -0.03, "improve", None, "head", (0, 10000),
     "每台产品的平均制造成本。", "当期制造成本 ÷ 当期产量。", "成本核算表"),
    ("P-SAFETY", "安全事故数", "production", "起", L, M, S, 0, 0, "zero", None, "head", (0, 20),
     "当期发生的可记录安全生产事故数量，目标为零。", "按安全事故登记台账统计。", "安全台账"),
    # --- 质量检验部 -----------------------------------------------------------------
    ("Q-OUT", "出厂检验合格率", "quality", "%", H, M, AV, 99, 0, "steady", "C-QUAL", "head", PCT,
     "出厂检验合格的批次比例。", "合格批次 ÷ 检验批次 × 100%。", "质量管理系统"),
    ("Q-IQC", "来料检验合格率", "quality", "%", H, M, AV, 97, 0, "fall", None, "quality-01", PCT,
     "供应商来料检验合格的批次比例。", "合格来料批次 ÷ 来料批次 × 100%。", "质量管理系统"),
    ("Q-RETURN", "客户退货率", "quality", "%", L, M, AV, 0.5, 0, "improve", None, "head", PCT,
     "因质量问题被客户退回的产品占发货量的比例。", "退货数量 ÷ 发货数量 × 100%。", "售后记录"),
    # --- 采购部 ---------------------------------------------------------------------
    ("PU-OTD", "供应商准时交货率", "purchasing", "%", H, M, AV, 95, 0, "slip", None, "head", PCT,
     "供应商按约定日期到货的订单比例。", "准时到货订单 ÷ 到期采购订单 × 100%。", "ERP 采购模块"),
    ("PU-SAVE", "采购成本降低率", "purchasing", "%", H, Q, AV, 3, 0, "volatile", None, "head", (-50, 50),
     "同类物资采购单价较上年的降低幅度。", "（上年均价 − 本期均价）÷ 上年均价 × 100%。", "采购台账"),
    # --- 人力资源部 -----------------------------------------------------------------
    ("H-RECRUIT", "招聘完成率", "hr", "%", H, Q, AV, 90, 0, "improve", None, "hr", (0, 200),
     "到岗人数占计划招聘人数的比例。", "实际到岗人数 ÷ 计划招聘人数 × 100%。", "招聘台账"),
    ("H-TRAIN", "培训覆盖率", "hr", "%", H, Q, AV, 95, 0, "steady", None, "hr-02", PCT,
     "参加培训（含制度宣贯）的员工占全体员工的比例。", "参训人数 ÷ 在岗人数 × 100%。", "培训签到记录"),
    ("H-TURNOVER", "员工流失率", "hr", "%", L, Q, AV, 3, 0, "fall", None, "head", PCT,
     "当期主动离职人数占平均在岗人数的比例。", "离职人数 ÷ 平均在岗人数 × 100%。", "人事档案"),
    # --- 财务部 ---------------------------------------------------------------------
    ("F-BUDGET", "预算执行偏差率", "finance", "%", R, M, AV, (-5, 5), 0, "slip", None, "head", (-100, 100),
     "实际费用与预算的偏差，超出 ±5% 需说明原因。", "（实际费用 − 预算费用）÷ 预算费用 × 100%。", "预算管理表"),
    ("F-CLOSE", "月结完成天数", "finance", "天", L, M, AV, 5, 0, "improve", None, "finance-01", (0, 31),
     "月末至完成结账并出具报表的工作日数。", "结账完成日 − 月末日（工作日）。", "财务结账记录"),
    # --- 研发部 ---------------------------------------------------------------------
    ("R-NPD", "新产品上市数", "rnd", "个", H, Q, S, 2, 0, "recover", None, "head", (0, 50),
     "当期正式发布上市的新产品数量。", "通过上市评审的新产品数。", "研发项目台账"),
    ("R-DEFECT", "上线缺陷率", "rnd", "%", L, M, AV, 2, 0, "improve", None, "rnd-01", PCT,
     "上线后发现的缺陷占测试用例的比例。", "上线后缺陷数 ÷ 测试用例数 × 100%。", "缺陷管理系统"),
    ("R-ONTIME", "研发项目按期完成率", "rnd", "%", H, Q, AV, 90, 0, "fall", None, "head", PCT,
     "按计划里程碑完成的研发项目比例。", "按期完成项目数 ÷ 到期项目数 × 100%。", "项目管理系统"),
    # --- 运营管理部 -----------------------------------------------------------------
    ("O-PROC", "流程审查完成率", "ops-process", "%", H, Q, AV, 100, 0, "steady", None, "ops", PCT,
     "按计划完成定期审查的流程占比。", "已完成审查流程数 ÷ 计划审查流程数 × 100%。", "流程目录"),
    ("O-POLICY", "制度宣贯覆盖率", "ops-planning", "%", H, Q, AV, 95, 0, "improve", None, "head", PCT,
     "已确认阅读最新版制度的员工比例。", "已确认人数 ÷ 应确认人数 × 100%。", "制度宣贯确认记录"),
    ("O-PROJ", "重点项目按期率", "ops-pmo", "%", H, Q, AV, 90, 0, "late", None, "head", PCT,
     "按里程碑计划推进的重点项目比例。", "按期项目数 ÷ 在建重点项目数 × 100%。", "项目周报"),
    ("O-DATA", "运营报告按时发布率", "ops-data", "%", H, M, AV, 100, 0, "late", None, "head", PCT,
     "月度运营分析报告在次月 5 日前发布的比例。", "按时发布报告数 ÷ 应发布报告数 × 100%。", "报告发布记录"),
    # --- 总经理办公室 ---------------------------------------------------------------
    ("G-DECISION", "会议决议督办完成率", "gm-office", "%", H, M, AV, 95, 0, "recover", None, "head", PCT,
     "周例会决议事项按期办结的比例。", "按期办结决议数 ÷ 到期决议数 × 100%。", "会议纪要督办台账"),
]

# The sales cascade: 销售额 split to the sales representatives (sum roll-up).
SALES_REPS = [("sales-01", 0.24, "improve"), ("sales-02", 0.22, "steady"), ("sales-03", 0.20, "slip"),
              ("sales-04", 0.18, "recover"), ("sales-05", 0.16, "improve")]
# Month weights of the yearly sales target (set by hand: Q4 is the busy season).
SALES_SEASON = [0.06, 0.05, 0.08, 0.08, 0.08, 0.09, 0.08, 0.08, 0.09, 0.09, 0.10, 0.12]
# The marketing brand specialist's own KPI.
PERSONAL = [("P-STAFF-CONTENT", "品牌内容发布数", "staff", "篇", 12, "improve")]

# Indicator -> the processes it measures (process codes of the process catalogue's demo).
PROCESS_LINKS = {
    "C-OTD": ["PRD-PL-01"], "P-INV": ["WH-IN-01", "PRD-PL-01"], "C-QUAL": ["QA-IN-01"], "Q-IQC": ["QA-IN-01", "PUR-01"],
    "PU-OTD": ["PUR-01"], "PU-SAVE": ["PUR-01"], "S-CONTRACT": ["SAL-CT-01"], "S-COLLECT": ["SAL-CT-01"],
    "SV-COMPLAINT": ["SVC-CP-01"], "SV-FEEDBACK": ["SVC-CP-01"], "H-RECRUIT": ["HR-RC-01"], "H-TRAIN": ["HR-TR-01"],
    "O-PROC": ["OPS-PI-01"], "O-PROJ": ["PMO-IN-01"], "M-CHANNEL": ["MKT-CH-01"], "R-NPD": ["OPS-PL-01"],
    "F-BUDGET": ["FIN-EX-01"],
}
