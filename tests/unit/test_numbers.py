import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import make_report
from workers.pipeline import actors, numbers, segment
from workers.pipeline.document import Document
from workers.pipeline.numbers import parse_number


def tolls(text):
    doc = Document.from_report(make_report(text))
    for stage in (segment.split, actors.find, numbers.find):
        doc = stage(doc)
    return [(t.label, t.value.count, t.value.update, t.value.subset) for t in doc.tolls]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قتل ما لا يقل عن 15 من عناصر التنظيم", [("killed", 15, False, False)]),
        ("لقي ستة من مقاتلي المعارضة السورية على الأقل مصرعهم", [("killed", 6, False, False)]),
        ("وسقط 20 قتيلا على الأقل في بلدة", [("killed", 20, False, False)]),
        ("ما أدى إلى مقتل شخصين وجرح آخرين", [("killed", 2, False, False)]),
        ("قُتل ١٨ شخصًا وأصيب ١٢ آخرون", [("killed", 18, False, False), ("injured", 12, False, False)]),
        ("كما سقط 6 قتلى بينهم 4 أطفال", [("killed", 6, False, False), ("killed", 4, False, True)]),
        ("ليرتفع إلى 9 عدد القتلى", [("killed", 9, True, False)]),
        ("ما أدى لمقتل عنصر على الأقل من حزب الله", [("killed", 1, False, False)]),
        ("مقتل اثنين من كبار قادة تنظيم داعش", [("killed", 2, False, False)]),
        ("قصف على القرية، وراح ضحيته ثمانية أشخاص من عائلة واحدة", [("killed", 8, False, False)]),
        # Executions: the count after the verb, its subject and day between; or the object pronoun (dual = 2).
        ("وأعدم تنظيم داعش أمس رجلين في مدينة الباب", [("killed", 2, False, False)]),
        ("وأعدم التنظيم 12 شخصا في ساحة المدينة", [("killed", 12, False, False)]),
        ("واقتادوا الأسيرين إلى ساحة البلدة ثم أعدموهما أمس", [("killed", 2, False, False)]),
        # One death told by a singular verb and the fighting it happened in.
        ("وقال المصدر إن عنصراً من الفصائل قتل خلال المواجهات", [("killed", 1, False, False)]),
        # A second noun in the same accusative is counted by the same count, not one more person.
        ("وأعدم التنظيم ما لا يقل عن 19 رجلاً وشاباً رمياً بالرصاص", [("killed", 19, False, False)]),
        # The dual of «martyr» is a count of the dead.
        ("لقصف عنيف راح ضحيته شهيدين و12 جريحا", [("killed", 2, False, False), ("injured", 12, False, False)]),
        # The noun «إعدام» right before its count.
        ("وأقدم التنظيم على إعدام 10 رجال في ريف المدينة", [("killed", 10, False, False)]),
    ],
)
def test_tolls(text, expected):
    assert tolls(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ألقى الطيران المروحي 28 برميلا متفجرا على الزبداني",
        "أطلقت فصائل المعارضة أكثر من 300 قذيفة على قرى",
        "نفذ الطيران الحربي 16 غارة",
        "منذ الـ 10 من شباط",
    ],
)
def test_counts_of_weapons_and_dates_are_not_tolls(text):
    assert [t for t in tolls(text) if t[1]] == []


def test_vague_toll_has_no_count():
    assert tolls("قتل عشرات المدنيين") == [("killed", None, False, False)]


@pytest.mark.parametrize(
    "text",
    [
        "ألقى براميل على بلدة تل شهاب من دون أنباء عن إصابات",
        "قصف بلدات كنصفرة والبارة، ولم ترد أنباء عن وقوع إصابات بشرية",
        "سقط صاروخان على حي جب القبة، ولم تسجل إصابات",
        "قصف الطيران البلدة، واقتصر الأمر على خسائر مادية",
    ],
)
def test_no_casualties_is_zero(text):
    assert ("killed", 0, False, False) in tolls(text)


def test_pathological_numbers_are_ignored():
    assert tolls("قتل 999999999999 شخصا") == []


@given(st.integers(min_value=0, max_value=10**6))
def test_digit_numbers_round_trip(n):
    assert parse_number(str(n)) == n


@pytest.mark.parametrize(("words", "value"), [("سبعه", 7), ("خمسه وعشرين", 25), ("ثلاثين", 30), ("اثني عشر", 12)])
def test_number_words(words, value):
    assert parse_number(words) == value


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        # A list of people after the verb: each noun counts, a possessive is one more person.
        ("قتل رجل وزوجته وأطفالهما الثلاثة في قصف", [1, 1, 3]),
        ("أسفر القصف عن مقتل امرأة وطفلها", [1, 1]),
        ("قضى طفلاه في الغارة", [2]),
        # One more person after the counted noun and its complement.
        ("قتل 7 من عناصر الفصائل وقائد ميداني في اشتباكات", [7, 1]),
        ("سقوط ضابط وأربعة قتلى من الجنود", [1, 4]),
        # The verb shared by a second list after a comma (gapping).
        ("سقط طفلان في غارة على بلدة، ورجل وابنه في قصف على قرية", [2, 1, 1]),
        # Subject first: the people named before a count joined by «و» head its list; «and N others» adds.
        ("إن قياديا في تنظيم داعش وخمسة متطرفين آخرين قتلوا في غارة", [1, 5]),
        ("إن 28 عنصرا من الجيش و18 مقاتلا من التنظيم قتلوا في معارك", [28, 18]),
        ("قتل قيادي في التنظيم و3 عناصر آخرين في غارة", [1, 3]),
        # The accusative singular counts; a dual in construct («ضابطا شرطة») is not one person.
        ("قتل طفلا في القصف", [1]),
        ("قتل ضابطا شرطة في هجوم", []),
    ],
)
def test_lists_of_people_are_counted(text, counts):
    assert [t[1] for t in tolls(text) if t[0] == "killed"] == counts


def test_a_list_of_people_follows_the_verb_it_continues():
    assert tolls("أصيب شاب وزوجته بجروح") == [("injured", 1, False, False), ("injured", 1, False, False)]


@pytest.mark.parametrize(
    "text",
    [
        "زار الوزير ابنه وزوجته في المستشفى",  # no verb of death or injury
        "وصل رجل وطفلها إلى المخيم",
        "مقتل 5 مدنيين في قصف على حي الشعار، وطفل يبكي أمه",  # a new clause that is not a list of the dead
    ],
)
def test_people_outside_a_toll_are_not_counted(text):
    assert [t for t in tolls(text) if t[1] not in (None, 5)] == []


def test_members_of_a_subset_list_stay_in_the_subset():
    assert [t for t in tolls("مقتل 9 أشخاص بينهم 3 أطفال وامرأة") if not t[3]] == [("killed", 9, False, False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وأعلنت الجماعة أن قائدها العسكري أبو محمد قتل في غارة جوية", [("killed", 1, False, False)]),
        ("لقي القيادي في التنظيم مصرعه برصاص قناص", [("killed", 1, False, False)]),
        ("لقي الشقيقان مصرعهما جراء انفجار لغم", [("killed", 2, False, False)]),
        # A verb-first clause with its count, or a plural told by its count: nothing extra.
        ("حيث قتل في القصف 5 أشخاص", [("killed", 5, False, False)]),
        ("لقي ستة من المقاتلين مصرعهم", [("killed", 6, False, False)]),
    ],
)
def test_one_death_told_without_a_count(text, expected):
    assert tolls(text) == expected


def test_per_side_counts_of_one_verb_add_up():
    from workers.pipeline.run import extract

    text = "قتل عنصران من قوات النظام وثلاثة من الفصائل في اشتباكات في بلدة مورك بريف حماة أمس."
    assert [e.fatalities for e in extract(make_report(text))] == [5]


def test_a_comma_may_close_the_first_side_before_the_other_side_s_count():
    from workers.pipeline.run import extract

    text = (
        "وأضاف المرصد أن المعارك في محيط مطار أبو الظهور تسببت في مقتل 16 عنصراً من قوات النظام والمسلحين "
        "الموالين لها، و18 عنصراً من جبهة النصرة وحلفائها."
    )
    assert [e.fatalities for e in extract(make_report(text))] == [34]


def test_one_dead_with_others_adds_up():
    from workers.pipeline.run import extract

    text = "قتل قيادي في الفصائل مع ثلاثة آخرين في قصف على بلدة سراقب بريف إدلب أمس."
    assert [e.fatalities for e in extract(make_report(text))] == [4]


def test_a_later_number_of_another_noun_is_not_more_dead():
    from workers.pipeline.run import extract

    text = "قتل عنصران من قوات النظام في اشتباكات في بلدة مورك بريف حماة، ودمرت ثلاث آليات من الفصائل."
    assert [e.fatalities for e in extract(make_report(text))] == [2]


@pytest.mark.parametrize(
    "text",
    [
        "قال المرصد في 2 شباط 2015 إن 15 مواطنا قتلوا",
        "قال المرصد اليوم الإثنين (2 شباط/ فبراير 2015) إنه قُتل 15 مواطنا",
        "وفي كانون الثاني (يناير) عام 2015 قتل 15 مواطنا",
    ],
)
def test_the_day_and_year_of_a_date_are_no_tolls(text):
    assert tolls(text) == [("killed", 15, False, False)]


def test_a_figure_like_a_year_is_a_toll_when_no_month_or_year_word_precedes_it():
    assert tolls("قتل أكثر من 2000 شخص في المدينة") == [("killed", 2000, False, False)]
