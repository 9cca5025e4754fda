"""Employers of the demo postings: industry, ownership, a fictional name, and pay.

The industry of a posting follows from its occupation code (the 2022 occupational
classification lines up with the national industry classification, GB/T 4754-2017, closely
enough at the level of its middle categories). Employer names are generated and carry a
"(演示)" marker so no one mistakes them for real organisations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from matching.demo.geo import TIER_PAY, City
from matching.records import DegreeLevel, EmployerType

__all__ = ["Employer", "draw_employer_type", "industry_of", "make_employer", "salary_range"]

# Industry sections of GB/T 4754-2017 used by the demo.
_AGRI = "农、林、牧、渔业"
_MINING = "采矿业"
_MANUF = "制造业"
_UTIL = "电力、热力、燃气及水生产和供应业"
_BUILD = "建筑业"
_TRADE = "批发和零售业"
_TRANSPORT = "交通运输、仓储和邮政业"
_HOTEL = "住宿和餐饮业"
_IT = "信息传输、软件和信息技术服务业"
_FINANCE = "金融业"
_ESTATE = "房地产业"
_BUSINESS = "租赁和商务服务业"
_RESEARCH = "科学研究和技术服务业"
_ENV = "水利、环境和公共设施管理业"
_RESIDENT = "居民服务、修理和其他服务业"
_EDU = "教育"
_HEALTH = "卫生和社会工作"
_CULTURE = "文化、体育和娱乐业"
_PUBLIC = "公共管理、社会保障和社会组织"

# Occupation-code prefix -> industry; the longest matching prefix wins.
_INDUSTRY_BY_CODE: dict[str, str] = {
    "1": _PUBLIC,
    "1-06": _BUSINESS,
    "2-01": _RESEARCH,
    "2-01-04": _EDU,
    "2-02": _MANUF,
    "2-02-01": _MINING,
    "2-02-02": _RESEARCH,
    "2-02-03": _MINING,
    "2-02-04": _MINING,
    "2-02-10": _IT,
    "2-02-12": _UTIL,
    "2-02-13": _TRANSPORT,
    "2-02-14": _CULTURE,
    "2-02-15": _TRANSPORT,
    "2-02-16": _TRANSPORT,
    "2-02-17": _TRANSPORT,
    "2-02-18": _BUILD,
    "2-02-20": _AGRI,
    "2-02-21": _ENV,
    "2-02-22": _RESEARCH,
    "2-02-25": _RESEARCH,
    "2-02-26": _RESEARCH,
    "2-02-27": _ENV,
    "2-02-28": _RESEARCH,
    "2-02-29": _RESEARCH,
    "2-02-30": _BUSINESS,
    "2-02-31": _RESEARCH,
    "2-02-34": _RESEARCH,
    "2-02-37": _RESEARCH,
    "2-02-38": _IT,
    "2-02-38-05": _MANUF,
    "2-02-38-09": _MANUF,
    "2-02-38-10": _MANUF,
    "2-02-99": _RESEARCH,
    "2-03": _AGRI,
    "2-04": _TRANSPORT,
    "2-05": _HEALTH,
    "2-06": _BUSINESS,
    "2-06-02": _RESEARCH,
    "2-06-09": _FINANCE,
    "2-06-10": _FINANCE,
    "2-06-11": _FINANCE,
    "2-06-13": _PUBLIC,
    "2-06-14": _FINANCE,
    "2-07": _PUBLIC,
    "2-07-04": _BUSINESS,
    "2-07-05": _BUSINESS,
    "2-07-09": _BUSINESS,
    "2-07-11": _HEALTH,
    "2-08": _EDU,
    "2-09": _CULTURE,
    "2-10": _CULTURE,
    "2-99": _RESEARCH,
    "3": _PUBLIC,
    "3-01-02": _BUSINESS,
    "3-99": _BUSINESS,
    "4-01": _TRADE,
    "4-02": _TRANSPORT,
    "4-03": _HOTEL,
    "4-04": _IT,
    "4-05": _FINANCE,
    "4-06": _ESTATE,
    "4-07": _BUSINESS,
    "4-08": _RESEARCH,
    "4-09": _ENV,
    "4-10": _RESIDENT,
    "4-11": _UTIL,
    "4-12": _RESIDENT,
    "4-13": _CULTURE,
    "4-13-04": _EDU,
    "4-14": _HEALTH,
    "4-99": _RESIDENT,
    "5": _AGRI,
    "6": _MANUF,
    "6-16": _MINING,
    "6-28": _UTIL,
    "6-29": _BUILD,
    "6-30": _TRANSPORT,
}


def industry_of(code: str) -> str:
    """Industry section of an occupation code such as ``"2-02-10-03"``."""
    parts = code.split("-")
    for n in range(len(parts), 0, -1):
        hit = _INDUSTRY_BY_CODE.get("-".join(parts[:n]))
        if hit:
            return hit
    return _BUSINESS


@dataclass(frozen=True, slots=True)
class _Sector:
    """How an industry's employers look: ownership mix, name parts, pay level."""

    ownership: dict[EmployerType, float]
    words: tuple[str, ...]
    public_units: tuple[str, ...] = ()
    pay: float = 1.0
    key_sector_rate: float = 0.05


_PRIVATE, _STATE, _FOREIGN = EmployerType.PRIVATE, EmployerType.STATE_OWNED, EmployerType.FOREIGN
_INST, _GOV, _NGO = EmployerType.PUBLIC_INSTITUTION, EmployerType.GOVERNMENT, EmployerType.NONPROFIT

# Ownership shares and pay multipliers are rough national pictures (private firms dominate
# graduate hiring; health, education and research are mostly public institutions; pay is highest
# in IT and finance), enough to make the structured fields hang together.
_SECTORS: dict[str, _Sector] = {
    _AGRI: _Sector(
        {_PRIVATE: 0.5, _STATE: 0.2, _INST: 0.3},
        ("农业科技", "生态农业", "种业", "农牧"),
        ("农业技术推广中心", "畜牧兽医站", "林业工作站", "农业农村服务中心"),
        0.8,
        0.35,
    ),
    _MINING: _Sector({_STATE: 0.7, _PRIVATE: 0.3}, ("矿业", "能源", "资源勘探"), (), 1.05, 0.3),
    _MANUF: _Sector(
        {_PRIVATE: 0.62, _STATE: 0.22, _FOREIGN: 0.16},
        ("精密制造", "电子", "新材料", "装备制造", "机械", "化工", "生物医药", "汽车零部件"),
        (),
        1.0,
        0.35,
    ),
    _UTIL: _Sector({_STATE: 0.8, _PRIVATE: 0.2}, ("电力", "新能源", "燃气", "水务"), (), 1.1, 0.4),
    _BUILD: _Sector(
        {_STATE: 0.45, _PRIVATE: 0.55}, ("建设工程", "建筑", "路桥", "工程设计"), (), 1.0, 0.15
    ),
    _TRADE: _Sector(
        {_PRIVATE: 0.85, _FOREIGN: 0.1, _STATE: 0.05},
        ("商贸", "电子商务", "供应链", "贸易"),
        (),
        0.85,
        0.03,
    ),
    _TRANSPORT: _Sector(
        {_STATE: 0.5, _PRIVATE: 0.5}, ("物流", "运输", "航运", "快递", "交通"), (), 0.95, 0.12
    ),
    _HOTEL: _Sector(
        {_PRIVATE: 0.85, _FOREIGN: 0.1, _STATE: 0.05},
        ("酒店管理", "餐饮管理", "文旅"),
        (),
        0.75,
        0.02,
    ),
    _IT: _Sector(
        {_PRIVATE: 0.78, _FOREIGN: 0.1, _STATE: 0.12},
        ("信息技术", "网络科技", "软件", "智能科技", "数据科技", "云计算"),
        (),
        1.45,
        0.3,
    ),
    _FINANCE: _Sector(
        {_STATE: 0.45, _PRIVATE: 0.4, _FOREIGN: 0.15},
        ("金融服务", "证券", "保险代理", "资产管理", "融资租赁"),
        (),
        1.3,
        0.1,
    ),
    _ESTATE: _Sector(
        {_PRIVATE: 0.8, _STATE: 0.2}, ("置业", "物业服务", "房地产开发"), (), 0.9, 0.02
    ),
    _BUSINESS: _Sector(
        {_PRIVATE: 0.8, _FOREIGN: 0.1, _STATE: 0.1},
        ("企业管理咨询", "人力资源服务", "会计师事务所", "知识产权代理", "商务服务"),
        (),
        1.0,
        0.05,
    ),
    _RESEARCH: _Sector(
        {_INST: 0.4, _PRIVATE: 0.45, _STATE: 0.15},
        ("检测技术", "工程技术研究", "生物技术", "设计研究"),
        ("科学技术研究院", "检验检测中心", "气象台", "测绘院", "地质调查院"),
        1.1,
        0.4,
    ),
    _ENV: _Sector(
        {_INST: 0.45, _STATE: 0.3, _PRIVATE: 0.25},
        ("环保科技", "水务", "园林绿化"),
        ("水利局水文站", "生态环境监测站", "城市管理服务中心", "园林绿化中心"),
        0.9,
        0.3,
    ),
    _RESIDENT: _Sector(
        {_PRIVATE: 0.9, _NGO: 0.1}, ("家政服务", "维修服务", "生活服务"), (), 0.75, 0.02
    ),
    _EDU: _Sector(
        {_INST: 0.65, _PRIVATE: 0.35},
        ("教育科技", "培训学校"),
        ("实验中学", "第二小学", "中心幼儿园", "职业技术学校", "特殊教育学校"),
        0.9,
        0.1,
    ),
    _HEALTH: _Sector(
        {_INST: 0.7, _PRIVATE: 0.25, _NGO: 0.05},
        ("医疗健康", "康复医院", "养老服务"),
        ("人民医院", "中医院", "疾病预防控制中心", "社区卫生服务中心", "乡镇卫生院", "妇幼保健院"),
        1.0,
        0.15,
    ),
    _CULTURE: _Sector(
        {_PRIVATE: 0.6, _INST: 0.3, _STATE: 0.1},
        ("文化传媒", "影视", "体育发展", "出版"),
        ("文化馆", "图书馆", "融媒体中心", "体育运动学校"),
        0.9,
        0.05,
    ),
    _PUBLIC: _Sector(
        {_GOV: 0.45, _INST: 0.4, _NGO: 0.15},
        ("社会服务",),
        (
            "人力资源和社会保障局",
            "市场监督管理局",
            "街道办事处",
            "乡镇人民政府",
            "政务服务中心",
            "社会福利院",
        ),
        0.85,
        0.1,
    ),
}

# Trade-name characters common in Chinese company names; two of them make a name such as 启衡.
_NAME_CHARS = tuple(
    "启恒瀚博泰智云华创盛远鼎睿源峰信达锦弘宇澜晟拓新航联汇诚凯嘉明致越腾润辰朗川益和"
)
_ORG_FORMS = ("有限公司", "股份有限公司", "集团有限公司")
_MARK = "（演示）"


@dataclass(frozen=True, slots=True)
class Employer:
    """A generated employer of a posting."""

    name: str
    type: EmployerType
    industry: str
    key_sector_rate: float
    pay: float


# Trade words that follow from the occupation itself, checked before the industry's generic
# words, so a silicate engineer works for a building-materials firm rather than a drug maker.
_HINT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("银行", ("银行",)),
    ("证券|基金|期货|投资", ("证券", "资产管理")),
    ("保险|精算|核保|理赔", ("保险",)),
    ("翻译", ("翻译服务", "语言服务")),
    ("编辑|记者|出版", ("传媒", "出版")),
    ("体育|健身|教练", ("体育发展", "健身管理")),
    ("演员|导演|编导|剧|影视|摄影|播音|主持", ("影视传媒", "文化传媒")),
    ("建材|硅酸盐|玻璃|陶瓷|混凝土", ("新型建材",)),
    ("化工|化学", ("化工", "新材料")),
    ("集成电路|半导体|电子", ("电子科技", "半导体")),
    ("汽车|底盘", ("汽车零部件", "汽车科技")),
    ("医药|药|疫苗|生物", ("生物医药", "药业")),
    ("纺织|服装|印染", ("纺织服饰",)),
    ("食品|饮料|粮油", ("食品",)),
    ("冶金|金属|钢", ("金属材料",)),
    ("航空|飞行器", ("航空科技",)),
    ("船舶", ("船舶工程",)),
    ("电气|电工|电池|照明", ("电气", "新能源科技")),
    ("机械|设备|模具|焊接|自动控制|机器人", ("智能装备", "机械")),
    ("会计|审计|税", ("会计师事务所", "财务咨询")),
    ("律师|法律", ("律师事务所",)),
    ("人力资源|招聘", ("人力资源服务",)),
    ("物流|仓储|快递", ("供应链", "物流")),
    ("设计", ("设计", "创意设计")),
    ("建筑|土木|市政|道路|桥", ("建设工程", "工程设计")),
)


# Public units that follow from the occupation (a preschool teacher works in a kindergarten).
_UNIT_HINTS: tuple[tuple[str, str], ...] = (
    ("幼儿", "中心幼儿园"),
    ("特殊教育|感统", "特殊教育学校"),
    ("小学", "第二小学"),
    ("中学|初中|高中", "实验中学"),
    ("职业学校|中等职业", "职业技术学校"),
    ("疾病|公共卫生|防疫|卫生监督", "疾病预防控制中心"),
    ("妇|产|儿科", "妇幼保健院"),
    ("乡村|全科", "乡镇卫生院"),
    ("社区", "社区卫生服务中心"),
    ("医师|医生|护士|护理|技师|药", "人民医院"),
    ("中医|针灸|推拿", "中医院"),
    ("农业|农艺|植物|土壤|作物|园艺", "农业技术推广中心"),
    ("兽|畜牧|动物", "畜牧兽医站"),
    ("林|草", "林业工作站"),
    ("水文|水资源|水利", "水利局水文站"),
    ("环境|监测", "生态环境监测站"),
    ("气象|天气", "气象台"),
    ("测绘|测量|地理信息", "测绘院"),
    ("地质|矿产", "地质调查院"),
    ("检验|检测|计量|质量", "检验检测中心"),
    ("图书|档案|文献", "图书馆"),
    ("文化|群众", "文化馆"),
    ("记者|编辑|播音|主持|全媒体", "融媒体中心"),
    ("体育|教练", "体育运动学校"),
    ("劳动|社会保障|人力资源", "人力资源和社会保障局"),
    ("市场|价格|质量", "市场监督管理局"),
    ("社区|村|网格", "街道办事处"),
    ("政务", "政务服务中心"),
    ("社会工作|福利|养老", "社会福利院"),
)


def draw_employer_type(industry: str, rng: np.random.Generator) -> EmployerType:
    """Ownership of an employer in ``industry``, from the industry's ownership mix."""
    sector = _SECTORS[industry]
    kinds = list(sector.ownership)
    probs = np.array([sector.ownership[k] for k in kinds])
    return kinds[int(rng.choice(len(kinds), p=probs / probs.sum()))]


def make_employer(
    industry: str,
    city: City,
    rng: np.random.Generator,
    *,
    kind: EmployerType,
    hint: str = "",
) -> Employer:
    """An employer of ``industry`` located in ``city``, with a generated name.

    Public institutions and government bodies are named after a local unit
    (``"某市疾病预防控制中心"``); companies get a two-character trade name, a trade word (from
    ``hint``, the occupation, when it names a trade) and a legal form.
    """
    sector = _SECTORS[industry]
    if kind in (_INST, _GOV) and not sector.public_units:
        kind = _STATE
    if kind in (_INST, _GOV, _NGO) and sector.public_units:
        units = [u for cue, u in _UNIT_HINTS if u in sector.public_units and re.search(cue, hint)]
        unit = (
            units[0] if units else sector.public_units[int(rng.integers(len(sector.public_units)))]
        )
        name = f"{city.name}市{unit}"
    else:
        trade = "".join(rng.choice(np.array(_NAME_CHARS), size=2, replace=False))
        words = next((w for cue, w in _HINT_WORDS if re.search(cue, hint)), sector.words)
        word = words[int(rng.integers(len(words)))]
        if kind is _FOREIGN:
            form = "（中国）有限公司"
        else:
            form = _ORG_FORMS[int(rng.choice(3, p=[0.7, 0.2, 0.1]))]
        name = f"{city.name}{trade}{word}{form}"
    return Employer(
        name=name + _MARK,
        type=kind,
        industry=industry,
        key_sector_rate=sector.key_sector_rate,
        pay=sector.pay,
    )


# Typical monthly starting pay (CNY) of a fresh graduate by degree, in a second-tier city.
_BASE_PAY = {
    DegreeLevel.ASSOCIATE: 4800,
    DegreeLevel.BACHELOR: 6500,
    DegreeLevel.MASTER: 9500,
    DegreeLevel.DOCTOR: 14000,
}


def salary_range(
    degree: DegreeLevel,
    city: City,
    pay: float,
    experience: float,
    internship: bool,
    rng: np.random.Generator,
) -> tuple[int, int]:
    """Monthly salary range in CNY, rounded to 500.

    Pay grows with the degree asked for, the city tier, the industry and the experience
    asked for (about 8 % a year); internships pay a fraction of a full salary.
    """
    centre = _BASE_PAY[degree] * TIER_PAY[city.tier] * pay * (1.08 ** min(experience, 10))
    centre *= float(rng.lognormal(0.0, 0.18))
    if internship:
        centre *= 0.45
    low = max(2000, int(round(centre * 0.85 / 500.0)) * 500)
    spread = float(rng.uniform(1.25, 1.8))
    high = max(low + 500, int(round(low * spread / 500.0)) * 500)
    return low, high
