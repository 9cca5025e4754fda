"""The rules of the fair-recruitment check: what each looks for, and what it leaves alone.

Each :class:`Rule` has patterns over a posting's text (Chinese and English; matched on a
length-preserving normal form, so that spans index the original text), and what makes a match
lawful: a negation before it in the same clause ("不收取任何费用"), words in the clause that show
a benefit rather than a condition ("解决户口", "婚假"), or, for physical standards, an
occupation that really has them (cabin crew, pilots, models). The rules follow the national
rules on equal employment (the Employment Promotion Law and the notices on fair recruitment of
graduates): conditions unrelated to the job on gender, age, marital or child-bearing status,
ethnicity, household registration or origin, health (hepatitis B carriers among them),
appearance or height, and school tier; and the signs of fraudulent postings: fees or deposits
asked of applicants, and moving applicants to private contact. Pay far outside the market is
checked apart (:mod:`matching.compliance.pay`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["RULES", "Category", "Rule"]

Category = Literal["discrimination", "fraud"]


@dataclass(frozen=True)
class Rule:
    """One check.

    Attributes
    ----------
    name : str
        The rule's id in flags (``gender``, ``age``, ``fee`` ...).
    category : {"discrimination", "fraud"}
    patterns : tuple of re.Pattern
        What a flagged span looks like (on the normal form: ASCII lower-cased, full-width
        forms folded).
    lawful_in_clause : re.Pattern, optional
        Words that, anywhere in the clause, make the match a benefit or a description.
    lawful_before : re.Pattern, optional
        Words right before the match (the same clause) that make it lawful (negations).
    lawful_after : re.Pattern, optional
        Words right after the match that make it lawful ("男女不限" after "男女").
    message_zh, message_en : str
        Why the span is flagged.
    fix_zh, fix_en : str
        The suggested fix.
    """

    name: str
    category: Category
    patterns: tuple[re.Pattern[str], ...]
    message_zh: str
    message_en: str
    fix_zh: str
    fix_en: str
    lawful_in_clause: re.Pattern[str] | None = None
    lawful_before: re.Pattern[str] | None = None
    lawful_after: re.Pattern[str] | None = None
    genuine_occupations: re.Pattern[str] | None = field(default=None)


def _c(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


_NEGATION_ZH = r"(?:不|无|非|免|未|勿|没有|无需|无须|不需|不必|不会|不得|不要求|不限|不收|禁止|拒绝|谨防|警惕|严禁|绝不|从不|概不)"
_NEGATION_EN = r"(?:\bno\b|\bnot\b|\bnever\b|\bwithout\b|\bfree of\b|n't|\bregardless of\b|\birrespective of\b|\bdo not\b|\bdon't\b|\bwon't\b)"
_NEGATION = re.compile(rf"(?:{_NEGATION_ZH}|{_NEGATION_EN})[^，,。；;]{{0,12}}$")


def _place_names() -> str:
    """Provinces and cities of the shipped table, longest first, as one alternation."""
    from matching.lexicon.places import CityTable

    table = CityTable.default()
    cities = [table.get(name) for name in table.names]
    names = {c.name for c in cities if c} | {c.province for c in cities if c}
    return "(?:" + "|".join(sorted((n for n in names if len(n) >= 2), key=len, reverse=True)) + ")"


_PLACES = _place_names()
_AGE_NUM = r"(?:[1-6]\d)"
_DASH = r"\s*(?:-|~|～|至|到|—|－|–|to)\s*"

RULES: tuple[Rule, ...] = (
    Rule(
        name="gender",
        category="discrimination",
        patterns=_c(
            r"\b(?:seeking|looking for|hiring|recruiting)\s+(?:a\s+|an\s+)?(?:young\s+)?(?:female|male|lady|ladies|girls?|boys?|woman|women|man|men|gentleman)\b",
            r"\b(?:suitable|ideal|reserved)\s+for\s+(?:a\s+)?(?:women|men|woman|man|females?|males?|ladies|girls)\b",
            r"\b(?:females?|males?|women|men|girls?|boys?|ladies|gentlemen)\s+(?:wanted|needed|required|only|preferred|applicants? only|candidates? only)\b",
            r"(?:^|[.;:!?]\s*)(?:male|female)\s*[,;/]",
            r"(?:仅限|只限|限|只招|只要|仅招|要求|招聘?)\s*(?:男|女)(?:性|生|士)?(?![女男]不限|女均可|士优先之外)",
            r"(?:男|女)(?:性|生|士)\s*(?:优先|者优先|为主|更佳|最佳)",
            r"(?:性别|性别要求)\s*[:：]?\s*(?:限)?\s*(?:男|女)(?![女男]不限|女均可|女皆可)",
            r"(?:适合|更适合)\s*(?:男|女)(?:性|生|士)",
            r"\b(?:male|female|men|women)\s+(?:only|preferred|candidates only|applicants only)\b",
            r"\bonly\s+(?:male|female|men|women)\b",
            r"\b(?:must|should)\s+be\s+(?:a\s+)?(?:male|female|man|woman)\b",
            r"\bgender\s*[:：]\s*(?:male|female)\b",
        ),
        lawful_after=re.compile(r"^\s*[女男]?\s*(?:不限|均可|皆可|都可)"),
        lawful_in_clause=re.compile(
            r"男女不限|性别不限|不限性别|男女均可|regardless of gender|any gender|all genders|男女比例|女性朋友|妇女节|三八|产假|女神节"
        ),
        message_zh="以性别为招聘条件或优先条件，属于就业性别歧视",
        message_en="makes gender a condition or a preference of the job",
        fix_zh="删除性别要求，写明“男女不限”，或只写工作本身的要求",
        fix_en="remove the gender condition; state the job's own requirements instead",
    ),
    Rule(
        name="age",
        category="discrimination",
        patterns=_c(
            r"\bbetween\s+(?:the\s+ages?\s+of\s+)?\d{2}\s*(?:and|-|to)\s*\d{2}\b",
            r"\b\d{2}\s*(?:-|to)\s*\d{2}\s+years?\s+(?:old|of age)\b",
            r"\b(?:maximum|max\.?|upper)\s+age\b|\bage\s+limit\b",
            r"\bin\s+(?:their|your)\s+(?:early\s+|mid\s+|late\s+)?(?:20s|30s|40s|twenties|thirties|forties)\b",
            r"\byoung\b[^.;]{0,25}\b(?:wanted|needed|only|preferred|required)\b",
            r"\b(?:over|above|under|below|older than|younger than)\s+\d{2}\b[^.;]{0,25}\b(?:need not apply|not be considered|not eligible|will not be considered|are not accepted)\b",
            r"\b(?:applicants|candidates|people|persons)\s+(?:over|above|under|below|older than|younger than)\s+\d{2}\b",
            rf"(?:年龄|年纪)\s*(?:要求|限制|范围)?\s*[:：]?\s*(?:在)?\s*{_AGE_NUM}\s*(?:周岁|岁)?{_DASH}{_AGE_NUM}\s*(?:周岁|岁)(?:之间|以内|以下)?",
            rf"(?:年龄|年纪)?\s*(?<!\d){_AGE_NUM}\s*(?:周岁|岁)?{_DASH}{_AGE_NUM}\s*(?:周岁|岁)",
            rf"(?:年龄|年纪)\s*(?:要求|限制)?\s*[:：]?\s*(?:在)?\s*{_AGE_NUM}\s*(?:周岁|岁)?\s*(?:以下|以内|之下|及以下|以上|及以上|之上)",
            r"(?<!\d)(?:[2-6]\d)\s*(?:周岁|岁)\s*(?:以下|以内|之下|及以下|以上|及以上)",
            r"不(?:超过|高于|大于)\s*(?:[2-6]\d)\s*(?:周岁|岁)",
            rf"(?:年龄|年纪)\s*(?:不|未|须不|需不)(?:超过|高于|大于|得超过|满)\s*{_AGE_NUM}\s*(?:周岁|岁)?",
            r"(?<!\d)(?:[789]0|[09]5|00)后\s*(?:优先|者优先|为主|以上|以下|以内|最佳|均可)",
            r"(?:限|仅限|要求|只招|只要|招)\s*(?:[789]0|[09]5|00)后",
            r"\b(?:aged|age(?:d)? between)\s+\d{2}\s*(?:-|to|and)\s*\d{2}\b",
            r"\bage\s*[:：]?\s*\d{2}\s*(?:-|to)\s*\d{2}\b",
            r"\b(?:under|below|younger than|not older than|no older than|not over)\s+(?:the\s+age\s+of\s+)?\d{2}\b(?!\s*(?:hours|hrs|people|employees|students|staff|members|kg|%))",
            r"\b(?:over|above|older than)\s+(?:the\s+age\s+of\s+)?(?:[2-6]\d)\b(?=\s*(?:years|yrs|y/o|\.|,|;|$))",
        ),
        # a legal minimum working age, or the ages of the people the job serves
        lawful_before=re.compile(
            r"(?:students|children|kids|pupils|patients|learners|儿童|学生|孩子|学员|幼儿|老人|患者)\s*(?:aged?|年龄|of ages?|between)?\s*$"
        ),
        lawful_after=re.compile(
            r"^[^，,。；;]{0,6}(?:儿童|孩子|小朋友|青少年|学生|学员|幼儿|老人|患者|用户|客户|children|kids|students|pupils|patients)"
        ),
        lawful_in_clause=re.compile(
            r"年满\s*1[68]\s*周?岁|1[68]\s*周?岁(?:以上|及以上)|(?:at least|aged?|over)\s+1[68]\b(?!\s*(?:-|to|~)\s*\d)|1[68]\s*(?:\+|or older|years or older)|退休|养老"
        ),
        message_zh="以年龄为招聘条件，属于与工作无关的年龄限制",
        message_en="limits the applicants' age, which the job does not require",
        fix_zh="删除年龄限制（法定最低就业年龄除外），改写工作所需的能力或经验",
        fix_en="remove the age limit (the legal minimum working age aside); describe the skills needed",
    ),
    Rule(
        name="marital_status",
        category="discrimination",
        patterns=_c(
            r"\b(?:married|single|unmarried)\s+(?:women|men|candidates|applicants|persons|people)\b",
            r"\bno\s+(?:plans?|intentions?)\s+to\s+(?:have|start)\s+(?:a\s+family|children|kids)\b",
            r"\b(?:childless|without\s+children)\b(?=[^.;]{0,20}(?:preferred|only|required|candidates|applicants))",
            r"(?:已婚已育|已婚未育|已婚|未婚|已育|未育|婚育|单身)(?:者|人士|女性|男性)?(?:优先|为佳|者优先)?",
            r"(?:无|没有|暂无|近[一二两三四五1-5]年内?(?:无|不))\s*(?:生育|怀孕|要孩子|生孩子|婚育)\s*(?:计划|打算)?",
            r"(?:生育|二胎|三胎|要孩子)\s*(?:计划|打算)",
            r"\bmarital status\b",
            r"\b(?:must be|should be|are)\s+(?:single|married|unmarried)\b",
            r"\b(?:single|married|unmarried)\s+(?:applicants|candidates|women|men)\s+(?:only|preferred)\b",
            r"\bno\s+(?:plans?|intention)\s+(?:to|for)\s+(?:have\s+)?(?:children|kids|a child|a baby|pregnancy)\b",
            r"\bnot\s+(?:be\s+)?pregnant\b",
        ),
        lawful_in_clause=re.compile(
            r"宿舍|公寓|婚假|产假|陪产|育儿假|贺礼|贺金|礼金|慰问|福利|补贴|关怀|津贴|哺乳|生育保险|生育津贴|maternity|paternity|parental leave|benefit"
        ),
        message_zh="以婚姻或生育状况为招聘条件，属于就业歧视",
        message_en="makes marital or child-bearing status a condition of the job",
        fix_zh="删除婚育要求；婚姻、生育状况不得作为录用条件",
        fix_en="remove the marital or child-bearing condition",
    ),
    Rule(
        name="ethnicity",
        category="discrimination",
        patterns=_c(
            r"(?:仅限|只限|限|只招|要求)\s*汉族",
            r"汉族(?:优先|者优先|为主)",
            r"民族\s*[:：]\s*汉族?",
            r"少数民族\s*(?:除外|不要|勿扰|谢绝|免谈|不考虑|慎投)",
            r"(?:维吾尔族|藏族|回族|蒙古族|彝族|壮族)(?:人)?\s*(?:不要|勿扰|谢绝|免谈|除外|慎投)",
            r"\b(?:han|caucasian|white|black|asian|chinese)\s+(?:only|candidates only|applicants only|preferred)\b",
            r"\b(?:race|ethnicity)\s*[:：]\s*\w+",
        ),
        lawful_in_clause=re.compile(
            r"民族不限|不限民族|regardless of (?:race|ethnicity)|equal opportunity"
        ),
        message_zh="以民族为招聘条件，属于民族歧视",
        message_en="makes ethnicity a condition or a preference of the job",
        fix_zh="删除民族要求",
        fix_en="remove the ethnic condition",
    ),
    Rule(
        name="household_registration",
        category="discrimination",
        patterns=_c(
            r"\blocal\s+(?:residents?|people|candidates|applicants|natives?)\s+(?:only|preferred|first)\b",
            r"\b(?:must|should)\s+be\s+(?:a\s+)?(?:native|local|resident)s?\s+of\b|\bborn\s+in\s+[A-Z]?[a-z]+\s+(?:only|preferred)\b",
            r"\b(?:hukou|household registration)\b[^.;]{0,25}\b(?:required|a must|needed|mandatory|only)\b",
            rf"(?:仅限|只限|限|只招|要求|须为|需为|必须是|必须为)?\s*(?:本地|本市|本省|本县|本区|本镇|本乡|当地|外地|[京沪津渝]|{_PLACES})\s*(?:户口|户籍|籍)\s*(?:优先|者优先|人员|人士|者)?",
            rf"(?:仅限|只限|限|只招|只要|要求)\s*(?:本地|本市|本省|本县|本区|当地|{_PLACES})\s*(?:人|生源|籍)",
            rf"(?:自行解决|已有|具有|持有|拥有)\s*(?:本地|本市|{_PLACES})?\s*(?:户口|户籍)",
            r"(?:本地|本市|当地)\s*(?:人|生源|户口|户籍)?\s*(?:优先|者优先)",
            r"外地(?:人|户口|户籍|生源)?\s*(?:勿扰|不要|免谈|谢绝|除外|慎投)",
            r"(?:非农业?|农业|农村)\s*户口",
            r"籍贯\s*(?:要求|限|为|[:：])",
            r"(?:户口|户籍)\s*(?:要求|所在地|限制|须|需|必须)\s*[:：]?",
            r"\blocal\s+(?:hukou|household registration|residents? only|candidates only|applicants only)\b",
            r"\b(?:hukou|household registration)\s+(?:is\s+)?(?:required|needed|a must)\b",
            r"\blocals only\b",
            r"\b(?:must|should)\s+(?:be|hold|have)\s+[^.,;]{0,20}\b(?:hukou|household registration|natives? of)\b",
        ),
        # what a posting offers, not what it asks: help with residence registration
        lawful_before=re.compile(
            r"(?:(?<!自行)解决|办理|协助|帮助|申报|提供|落|入|可入|可落|可解决|不解决|不提供|留京|迁入|迁移|assist(?:ance)? with|help with)\s*[^，,。；;]{0,10}$"
        ),
        lawful_after=re.compile(r"^\s*(?:指标|落户|迁入|办理|申报|政策|福利)|^\s*口碑"),
        lawful_in_clause=re.compile(
            r"落户|人才引进|积分落户|(?<!自行)解决[^，,。；;]{0,8}户口|户口[^，,。；;]{0,4}(?:办理|指标|申报)|(?:assist|help)[^.]{0,20}(?:hukou|registration)"
        ),
        message_zh="以户籍或地域出身为招聘条件，属于户籍歧视",
        message_en="makes household registration or place of origin a condition of the job",
        fix_zh="删除户籍、籍贯、生源地要求；确需本地工作的，写明工作地点",
        fix_en="remove the registration or origin condition; give the place of work instead",
    ),
    Rule(
        name="health",
        category="discrimination",
        patterns=_c(
            r"\b(?:candidates|applicants|people|persons|those)\s+with\s+(?:a\s+|any\s+)?(?:disabilit(?:y|ies)|hepatitis|hiv|illness(?:es)?|chronic\s+\w+)\b[^.;]{0,20}\b(?:need not|cannot|may not|will not|should not|are not)\b",
            r"\bhepatitis\b|\bhbsag\b",
            r"\bdisabled\s+(?:persons|people|applicants|candidates)\s+(?:need not|cannot|may not|should not)\b",
            r"\b(?:no|without)\s+(?:physical\s+)?disabilit(?:y|ies)\b|\bin\s+perfect\s+health\b",
            r"\b(?:free of|no)\s+(?:any\s+)?(?:chronic|infectious|contagious|mental|serious)\s+(?:diseases?|illness(?:es)?|conditions?)\b",
            r"乙肝|乙型肝炎|大三阳|小三阳|澳抗|hbsag|(?:肝炎|病毒)\s*携带者?|乙肝五项|两对半",
            r"艾滋病?|\bhiv\b(?:\s*(?:携带|阳性|negative|positive))?",
            r"(?:无|没有|不得有)\s*(?:任何)?\s*(?:传染病|遗传病|慢性病|精神病|重大疾病|疾病史|病史|残疾|身体缺陷)",
            r"残疾(?:人)?\s*(?:勿扰|不要|免谈|谢绝|除外|慎投)",
            r"(?:肢体|五官|身体)\s*(?:健全|无缺陷)",
            r"\bhepatitis\s*b\b|\bhbv\b",
            r"\b(?:free of|no)\s+(?:any\s+)?(?:disease|illness|disabilit(?:y|ies)|medical history|chronic conditions?)\b",
            r"\bable[- ]bodied\b",
        ),
        lawful_in_clause=re.compile(
            r"\bassays?\b|\btesting\b|\btests?\b|diagnos|laborator|\blab\b|research|vaccin|clinic|patients?|treatment|检测|检验|防治|防控|疾控|治疗|研究|科普|宣教|残疾人(?:优先|就业|岗位|友好)|无障碍|疫苗|保险|医疗服务|患者|病人|药|研发|检测试剂|诊断|临床|avoid discrimination"
        ),
        message_zh="以与工作无关的健康状况为招聘条件（如乙肝携带、残疾）",
        message_en="makes a health condition unrelated to the job a condition (hepatitis B status, disability)",
        fix_zh="删除健康状况要求；法律规定的岗位体检标准除外，且不得检测乙肝项目",
        fix_en="remove the health condition (statutory medical standards of the job aside)",
    ),
    Rule(
        name="appearance",
        category="discrimination",
        patterns=_c(
            r"\b(?:pleasing|pleasant|attractive|good)\s+(?:appearance|figure|looks)\b|\bwell[- ]proportioned\b",
            r"\bat\s+least\s+1[5-9]\d\s*cm\b|\bheight\s+requirement\b",
            r"\b(?:attractive|beautiful|handsome|pretty)\s+(?:and\s+\w+\s+)?(?:females?|males?|wom[ae]n|m[ae]n|girls?|boys?|ladies|candidates?|applicants?|persons?|people|staff|hostess(?:es)?|waitress(?:es)?|appearance|looks?)\b",
            r"\b(?:young|slim|tall)\s+and\s+(?:attractive|beautiful|handsome|pretty)\b|\bgood looks\b",
            r"\b(?:pretty|slim|slender)\b(?=[^.;]{0,20}(?:,|\.|;|$| and ))",
            r"\bno (?:visible )?tattoos?\b|无(?:纹身|文身)",
            r"身高\s*(?:要求|须|需|在)?\s*[:：]?\s*(?:男|女)?\s*(?:1[4-9]\d|2[0-2]\d)\s*(?:cm|厘米|公分|m)?\s*(?:以上|及以上|左右|之间|以下)?",
            r"(?:男|女)\s*(?:1[5-9]\d)\s*(?:cm|厘米|公分)\s*(?:以上|及以上)?",
            r"体重\s*(?:要求|须|需|在|不超过)?\s*[:：]?\s*\d{2,3}\s*(?:kg|公斤|斤)",
            r"形象\s*(?:气质|礼仪)?\s*(?:佳|好|良好|端正|端庄|姣好|出众|较好|优秀|大方)",
            r"气质\s*(?:佳|好|出众|优雅)",
            r"五官端正|相貌端[正庄]|长相\s*(?:甜美|端正|清秀|好|出众|可爱)|颜值\s*(?:高|在线)?|貌美|面容姣好|外[形貌表]\s*(?:好|佳|靓丽|出众|端正|姣好|俊朗)|身材\s*(?:好|高挑|匀称|苗条)|体型\s*(?:匀称|偏瘦|苗条)",
            r"\b(?:good[- ]looking|attractive appearance|pleasant appearance|physically attractive|beautiful|handsome)\b",
            r"\bheight\s*(?:of|above|over|at least|[:：])\s*\d",
            r"\b1[5-9]\d\s*cm\s*(?:or\s+)?(?:tall|taller|above|or above)\b",
            r"\b(?:slim|slender)\s+(?:figure|build|body)\b",
        ),
        # "企业形象好" is the company's image, not the applicant's
        lawful_before=re.compile(
            r"(?:企业|品牌|公司|产品|城市|视觉|整体|专业|职业|行业|社会|服务|店面|门店|终端|个人品牌)$"
        ),
        genuine_occupations=re.compile(
            r"空乘|乘务员|空中乘务|空姐|空少|飞行员|飞行学员|模特|礼仪(?:小姐|人员|接待|迎宾)|仪仗|消防员|特警|民航安检|演员|cabin crew|flight attendants?|airline pilots?|fashion models?"
        ),
        lawful_in_clause=re.compile(
            r"同事|团队|氛围|帅哥美女|美女帅哥|colleagues|team|不限身高|身高不限|外形设计|形象设计|形象照|造型设计|工业设计|产品外观"
        ),
        message_zh="以外貌、身高或体重为与工作无关的招聘条件",
        message_en="makes appearance, height or weight a condition the job does not need",
        fix_zh="删除外貌、身高、体重要求；岗位确有法定身体标准的，写明依据",
        fix_en="remove the appearance condition; cite the rule where the job has a statutory standard",
    ),
    Rule(
        name="school_tier",
        category="discrimination",
        patterns=_c(
            r"\bgraduates?\s+(?:of|from)\s+(?:a\s+)?(?:top|elite|prestigious|tier[- ]?1|first[- ]tier|key|985|211|ivy)\b",
            r"\b(?:prestigious|elite|top[- ]ranked)\s+universit(?:y|ies)\b|\bc9\s+(?:league|universit)",
            r"(?:仅限|只限|限|只招|只要|要求)?\s*(?:985|211|双一流)(?:\s*[/、,，和及或与]\s*(?:985|211|双一流))*\s*(?:工程)?\s*(?:院校|高校|大学|学校|名校|毕业|本科|硕士|博士|学历|以上|优先|者优先|背景)?",
            r"(?:重点|名牌|知名|一流|顶尖|top)\s*(?:大学|院校|高校|名校)\s*(?:毕业|优先|者优先|背景|以上)?",
            r"(?:一本|二本)\s*(?:及以上|以上)?\s*(?:院校|学历|毕业|本科)",
            r"\bqs\s*(?:排名)?\s*(?:前|top)?\s*\d{2,3}\b|qs\s*前\s*\d{2,3}",
            r"海外(?:知名|名校|顶尖)(?:高校|院校|大学)?",
            r"\b(?:985|211)\s*(?:/\s*(?:985|211))?\s*(?:universit(?:y|ies)|colleges?|graduates?)\b",
            r"\b(?:ivy league|target schools?|top[- ]tier universit(?:y|ies)|elite universit(?:y|ies)|top\s+\d{1,3}\s+universit(?:y|ies))\b",
        ),
        lawful_before=re.compile(
            r"(?:不|无需|无须|不必|并不|不一定|not|no)\s*(?:要求|限|限制|看重|require[sd]?|need)?\s*$"
        ),
        lawful_in_clause=re.compile(
            r"不限院校|院校不限|不限学校|学校不限|不看(?:学校|院校|出身)|不唯(?:学历|名校)|不论(?:院校|学校)|无论是否|非985|非211|(?:985|211|高校|大学|院校)[^，,。；;]{0,8}(?:合作|共建|联合实验室|战略伙伴)|regardless of (?:school|university)|any university"
        ),
        message_zh="以毕业院校层次（985/211/双一流等）为招聘条件或优先条件",
        message_en="makes the tier of the applicant's university a condition or a preference",
        fix_zh="删除院校层次限制，改写岗位所需的专业、能力或学历",
        fix_en="remove the school-tier condition; state the field, skills or degree the job needs",
    ),
    Rule(
        name="fee",
        category="fraud",
        patterns=_c(
            r"\b(?:must|required to|need to|have to|asked to)\s+(?:first\s+)?(?:pay|deposit|remit|transfer)\s+(?:[$¥€£]?\d[\d,.]*|a|an|the|us)\b",
            r"\b(?:refundable|security|registration|processing|activation|enrollment|enrolment|placement)\s+(?:deposit|fee)s?\b",
            r"\bpay\s+for\s+(?:your\s+|the\s+|a\s+)?(?:own\s+)?(?:training|uniform|kit|equipment|background check|certification|visa|laptop)\b",
            r"\b(?:paid|payable|borne|covered)\s+by\s+(?:the\s+)?(?:applicants?|candidates?|you|yourself|the\s+employee)\b",
            r"\b(?:gift\s+cards?|wire\s+transfer)\b",
            r"(?:需|须|要|必须)\s*(?:自费|自行)?\s*(?:购买|购置|认购)[^，,。；;]{0,12}(?:\d+\s*元|手机|设备|服装|工装|产品|套餐|会员|课程)",
            r"\b(?:starter kit|kit|materials?|uniform|equipment|training)\s+(?:costs?|fees?)\b[^.;]{0,30}\d",
            r"\bpayable\s+(?:before|prior to|upon)\s+(?:training|starting|hiring|joining|the first)",
            r"\b(?:buy|purchase)\s+(?:a|an|the|our)?\s*(?:starter kit|kit|uniform|equipment|phone|package|course)\b",
            r"(?:交|缴|收|付|预付|缴纳|交纳|收取|支付|先交|需交|须交|自付|自交)\s*(?:取|纳)?\s*[^，,。；;]{0,8}?(?:押金|保证金|培训费|服装费|工装费|报名费|资料费|材料费|体检费|办卡费|中介费|介绍费|管理费|考试费|认证费|上岗费|入职费|建档费|工本费|住宿押金)",
            r"(?:押金|保证金|培训费|服装费|工装费|报名费|中介费|介绍费|上岗费|入职费|建档费)\s*[:：]?\s*\d+\s*(?:元|块)?",
            r"(?:押金|保证金|培训费|服装费|报名费|中介费|介绍费|上岗费|入职费|体检费)[^，,。；;]{0,6}(?:自理|自付|自交|个人承担|本人承担|由(?:个人|应聘者|本人|求职者|员工)(?:自行)?承担|从工资(?:中)?扣)",
            r"(?:扣押|押)\s*(?:身份证|证件|毕业证|学历证|学位证)",
            r"培训贷|贷款(?:培训|学习)|先交钱|交钱(?:入职|上岗|培训)|费用自理",
            r"\b(?:pay|deposit|remit)\s+(?:a|an|the)?\s*(?:[$¥€£]?\d[\d,.]*\s+|\w+\s+){0,3}(?:fee|deposit|charge)s?\b",
            r"\b(?:application|registration|training|uniform|placement|processing|onboarding|security)\s+(?:fee|deposit)s?\b",
            r"\bupfront\s+(?:fee|payment|cost)s?\b",
        ),
        lawful_before=_NEGATION,
        lawful_after=re.compile(
            r"^[^，,。；;]{0,10}(?:由公司|公司承担|公司负责|公司报销|报销|全免|免费|退还后|包)|^[^.;]{0,20}(?:paid by the company|covered by us|reimbursed|refunded)"
        ),
        lawful_in_clause=re.compile(
            r"不收取?任何|无需(?:缴纳|支付)?任何|不需要?(?:缴纳|支付)任何|免费(?:培训|提供)|公司承担|公司报销|谨防|诈骗|骗子|警惕|we never|we do not charge|no fees?\b|free of charge|free training"
        ),
        message_zh="向求职者收取费用或押金，或扣押证件：常见的招聘欺诈",
        message_en="asks applicants for a fee or a deposit, or to hand over documents: a sign of fraud",
        fix_zh="删除收费、押金和扣押证件的内容；招聘不得向求职者收取任何费用",
        fix_en="remove any fee or deposit: employers may not charge applicants",
    ),
    Rule(
        name="private_contact",
        category="fraud",
        patterns=_c(
            r"\b(?:whatsapp|telegram)\b\s*[@+][a-z0-9_]{4,}|\b(?:whatsapp|telegram|signal)\s*[:：]\s*[@+]?[a-z0-9_]{5,}",
            r"\b(?:dm|text|message)\s+me\b",
            r"(?:加|添加|联系|私聊|私信|咨询)\s*(?:我|本人|个人|hr|HR|负责人|招聘官)?\s*(?:的)?\s*(?:微信|v信|vx|wx|weixin|威信|薇信|微\s*信|qq|扣扣|企鹅号?|telegram|电报|whatsapp|line)",
            r"(?:微信|v信|vx|wx|weixin|威信|薇信|qq|扣扣)\s*(?:号|群)?\s*[:：]\s*[a-z0-9_\-*]{5,}",
            r"(?:微信|v信|vx|qq)\s*(?:详聊|联系|沟通|私聊|面谈|咨询)",
            r"私聊|私信我|加好友|添加好友",
            r"\b(?:add|contact|message|text|dm)\s+(?:me|us|our recruiter|the recruiter)?\s*(?:on|via|at|through)\s+(?:wechat|whatsapp|telegram|qq|line|signal)\b",
            r"\b(?:wechat|whatsapp|telegram|qq)\s*(?:id|number|no\.?)?\s*[:：]\s*[@+]?[a-z0-9_\-]{5,}",
        ),
        # contacting the job's own clients over WeChat is work, not a channel for applicants
        lawful_before=re.compile(
            r"(?:勿|不要|请勿|不用|无需|禁止|严禁|切勿|谨防|不会|不得|never|do not|don't)\s*$"
        ),
        lawful_after=re.compile(r"^\s*(?:客户|用户|学员|顾客|家长|商家|粉丝|clients|customers)"),
        lawful_in_clause=re.compile(
            r"公众号|小程序|微信支付|微信开发|微信生态|微信平台开发|qq音乐|企业微信开发|official account|mini[- ]program"
        ),
        message_zh="要求求职者转到私人联系方式（微信、QQ等）：常见的招聘欺诈",
        message_en="moves applicants to a private channel (WeChat, QQ, WhatsApp): a sign of fraud",
        fix_zh="删除私人联系方式，通过平台或单位官方渠道接收简历",
        fix_en="remove the private contact; receive applications through the platform",
    ),
)
