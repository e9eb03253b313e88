"""Name variant maps used to standardise person names before linkage.

Two maps, both from a variant to a canonical form, applied to names that are already
lower-cased, accent-free and punctuation-free (see ``standardise.py``):

- ``TRANSLITERATIONS``: spellings of one name that arise from writing it in the Latin
  alphabet (Arabic, Cyrillic, Somali, Tigrinya, ...), common in London's street population.
  Applied to first and last names.
- ``NICKNAMES``: short and familiar forms of English first names. Applied to first names only.

The maps are deliberately small and conservative: a variant maps to one canonical name only
when the two are rarely different people. Ambiguous short forms (``sam``, ``alex``, ``jo``)
map to one canonical name; the model's other evidence (date of birth, gender) decides.
"""

from __future__ import annotations

from collections.abc import Iterable

# canonical: variants
_TRANSLITERATION_GROUPS: dict[str, tuple[str, ...]] = {
    "mohammed": (
        "mohammed", "muhammad", "mohamed", "mohammad", "muhammed", "mohamad", "mohamud",
        "mahamed", "mohd", "muhamed", "mohamod", "mahomed", "mehmet", "mehmed",
    ),
    "ahmed": ("ahmed", "ahmad", "ahmet", "ahmmed", "achmed"),
    "abdul": ("abdul", "abdel", "abdal", "abdool", "abdoul"),
    "abdullah": ("abdullah", "abdalla", "abdallah", "abdulla", "abdellah"),
    "abdi": ("abdi", "abdy"),
    "ali": ("ali", "aly", "alli"),
    "hussein": ("hussein", "husain", "hussain", "husein", "hossein", "houssein", "husayn"),
    "hassan": ("hassan", "hasan", "hassen", "hasaan"),
    "ibrahim": ("ibrahim", "ebrahim", "ibraheem", "ibrahima", "brahim"),
    "ismail": ("ismail", "ismael", "ismaeel", "esmail"),
    "yusuf": ("yusuf", "youssef", "yousef", "yousuf", "yusef", "youssouf", "yosef", "yousif"),
    "omar": ("omar", "umar", "omer", "ommar"),
    "osman": ("osman", "usman", "othman", "uthman", "osmaan"),
    "mustafa": ("mustafa", "mustapha", "moustafa", "mostafa", "mustefa"),
    "mahmoud": ("mahmoud", "mahmood", "mahmud", "mehmood"),
    "khalid": ("khalid", "khaled", "khaalid"),
    "abdirahman": ("abdirahman", "abdurahman", "abdulrahman", "abdelrahman", "abdurrahman"),
    "said": ("said", "saeed", "saied", "sayed", "sayid", "syed", "sayyid"),
    "hamid": ("hamid", "hameed", "hamed"),
    "rashid": ("rashid", "rasheed", "rachid"),
    "tariq": ("tariq", "tarik", "tarek", "tareq"),
    "faisal": ("faisal", "faysal", "feisal"),
    "fatima": ("fatima", "fatimah", "fatma", "fatuma", "fadumo", "faduma"),
    "aisha": ("aisha", "ayesha", "aysha", "aishah", "ayshe", "asha"),
    "khadija": ("khadija", "khadijah", "khadeeja", "hadija"),
    "maryam": ("maryam", "mariam", "meryem", "maryan", "mariama"),
    "amina": ("amina", "aminah", "ameena"),
    "yasmin": ("yasmin", "yasmine", "jasmin", "yasmeen"),
    "tesfaye": ("tesfaye", "tesfay", "tesfai"),
    "haile": ("haile", "hailu", "haylu"),
    "aleksandr": ("aleksandr", "alexander", "aleksander", "alexandr", "aleksandar", "alexandru"),
    "sergei": ("sergei", "sergey", "serhii", "serhiy", "sergiy"),
    "andrei": ("andrei", "andrey", "andrii", "andriy", "andrej"),
    "dmitri": ("dmitri", "dmitry", "dmitrii", "dmytro", "dimitri", "dimitar"),
    "yuri": ("yuri", "yury", "iurii", "yuriy", "jurij"),
    "nikolai": ("nikolai", "nikolay", "mykola", "nicolae", "nikola"),
    "yevgeny": ("yevgeny", "evgeny", "evgenii", "yevhen", "eugeniu"),
    "mikhail": ("mikhail", "mykhailo", "mihail", "mihai"),
    "vladimir": ("vladimir", "volodymyr", "wladimir", "wlodzimierz"),
    "oleksandr": ("oleksandr", "olexandr", "oleksander"),
    "tatiana": ("tatiana", "tatyana", "tetiana", "tatjana"),
    "natalia": ("natalia", "natalya", "nataliya", "natalija", "natalie", "nathalie"),
    "olga": ("olga", "olha"),
    "elena": ("elena", "yelena", "olena", "jelena", "helena"),
    "iulian": ("iulian", "julian", "iulianus"),
    "ionut": ("ionut", "ionutz"),
    "gheorghe": ("gheorghe", "georghe", "gheorge"),
    "krzysztof": ("krzysztof", "kristof", "krzystof", "krysztof"),
    "wojciech": ("wojciech", "wojtek"),
    "piotr": ("piotr", "petr", "pyotr"),
    "pawel": ("pawel", "pavel", "paval"),
    "tomasz": ("tomasz", "tomas", "tamas"),
    "jozef": ("jozef", "jozsef", "josef"),
    "jakub": ("jakub", "jacub"),
    "mateusz": ("mateusz", "matej", "matei"),
    "mohan": ("mohan", "mohun"),
    "singh": ("singh", "sing"),
    "kaur": ("kaur", "kour"),
    "chowdhury": ("chowdhury", "choudhury", "chaudhry", "chaudhary", "choudhry", "chowdhary", "chaudry"),
    "rahman": ("rahman", "rehman", "rahmen"),
    "begum": ("begum", "begom", "begam"),
    "islam": ("islam", "eslam"),
    "khan": ("khan", "kahn"),
    "patel": ("patel", "pattel"),
    "nguyen": ("nguyen", "nguyn", "ngyuen"),
    "mcdonald": ("mcdonald", "macdonald"),
    "mckenzie": ("mckenzie", "mackenzie"),
}

_NICKNAME_GROUPS: dict[str, tuple[str, ...]] = {
    "robert": ("rob", "robbie", "bob", "bobby", "bert"),
    "william": ("will", "bill", "billy", "willie", "willy", "liam"),
    "james": ("jim", "jimmy", "jamie", "jimbo"),
    "michael": ("mike", "mick", "micky", "mickey", "mikey", "mich"),
    "david": ("dave", "davey", "davy"),
    "thomas": ("tom", "tommy"),
    "anthony": ("tony", "ant", "antony"),
    "christopher": ("chris", "kit", "christoph"),
    "stephen": ("steve", "stevie", "steven", "stephan"),
    "daniel": ("dan", "danny"),
    "joseph": ("joe", "joey"),
    "john": ("jack", "johnny", "jon", "johnnie"),
    "jonathan": ("jonathon", "jonny"),
    "peter": ("pete",),
    "andrew": ("andy", "drew"),
    "nicholas": ("nick", "nicky", "nicolas", "nickolas"),
    "matthew": ("matt", "matty"),
    "samuel": ("sam", "sammy"),
    "benjamin": ("ben", "benny", "benji"),
    "aleksandr": ("alex", "sasha", "sacha", "alec", "xander"),
    "edward": ("ed", "eddie", "eddy", "ted", "teddy", "ned"),
    "frederick": ("fred", "freddie", "freddy"),
    "henry": ("harry", "hal", "hank"),
    "charles": ("charlie", "chas", "chuck", "chaz"),
    "richard": ("rich", "richie", "rick", "ricky", "dick", "dickie"),
    "timothy": ("tim", "timmy"),
    "kenneth": ("ken", "kenny"),
    "ronald": ("ron", "ronnie"),
    "donald": ("don", "donny"),
    "gregory": ("greg",),
    "jeffrey": ("jeff", "geoff", "geoffrey"),
    "gerald": ("gerry", "jerry"),
    "lawrence": ("larry", "laurence", "laurie"),
    "leonard": ("len", "lenny"),
    "philip": ("phil", "phillip", "pip"),
    "raymond": ("ray",),
    "stanley": ("stan",),
    "victor": ("vic",),
    "walter": ("wally", "walt"),
    "terence": ("terry", "terrance", "terrence"),
    "patrick": ("pat", "paddy"),
    "francis": ("frank", "frankie", "franky"),
    "douglas": ("doug", "dougie"),
    "alan": ("allan", "allen", "al"),
    "nathaniel": ("nathan", "nat", "nate"),
    "zachary": ("zach", "zack", "zak"),
    "katherine": ("kate", "katie", "kathy", "cathy", "kat", "catherine", "kathryn", "katharine", "kathleen"),
    "elizabeth": ("liz", "lizzie", "lizzy", "beth", "betty", "bess", "eliza", "elisabeth", "libby"),
    "margaret": ("maggie", "meg", "peggy", "marge", "margo", "greta"),
    "susan": ("sue", "susie", "suzy", "suzanne", "susanne"),
    "jennifer": ("jenny", "jen", "jenna"),
    "rebecca": ("becky", "becca", "bex"),
    "victoria": ("vicky", "vicki", "tori"),
    "deborah": ("debbie", "deb", "debra"),
    "patricia": ("patty", "tricia", "trish", "patsy"),
    "sandra": ("sandi", "sandy"),
    "amanda": ("mandy",),
    "joanne": ("joanna", "jo-anne", "joann"),
    "josephine": ("josie",),
    "christine": ("chrissie", "chrissy", "christina", "kristina", "kristine"),
    "jacqueline": ("jackie", "jacqui"),
    "barbara": ("barb", "babs"),
    "dorothy": ("dot", "dottie", "dolly"),
    "abigail": ("abby", "abbie", "gail"),
    "samantha": ("sammie",),
    "alexandra": ("lexi", "alexa", "alex-andra"),
    "jessica": ("jess", "jessie"),
    "danielle": ("dani",),
    "nicola": ("nicole", "nikki", "nicky-anne"),
    "gillian": ("gill", "jill", "gilly"),
    "pamela": ("pam",),
    "theresa": ("teresa", "tess", "tessa", "terri"),
}


def _invert(groups: dict[str, tuple[str, ...]]) -> dict[str, str]:
    inverted: dict[str, str] = {}
    for canonical, variants in groups.items():
        for variant in (canonical, *variants):
            inverted.setdefault(variant, canonical)
    return inverted


TRANSLITERATIONS: dict[str, str] = _invert(_TRANSLITERATION_GROUPS)
NICKNAMES: dict[str, str] = _invert(_NICKNAME_GROUPS)

# Letters that Unicode decomposition (``strip_accents``) leaves alone.
UNDECOMPOSABLE_LETTERS: dict[str, str] = {
    "ł": "l", "đ": "d", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th", "ð": "d",
}


def first_name_map_rows() -> list[tuple[str, str]]:
    """(variant, canonical) rows for first names: transliteration first, then nickname."""
    rows: dict[str, str] = {}
    for variant, canonical in TRANSLITERATIONS.items():
        rows[variant] = NICKNAMES.get(canonical, canonical)
    for variant, canonical in NICKNAMES.items():
        rows.setdefault(variant, TRANSLITERATIONS.get(canonical, canonical))
    return sorted(rows.items())


def last_name_map_rows() -> list[tuple[str, str]]:
    """(variant, canonical) rows for last names: transliteration only."""
    return sorted(TRANSLITERATIONS.items())


def canonical_first_name(name: str) -> str:
    """The canonical form of one standardised first-name token (for tests and docs)."""
    return dict(first_name_map_rows()).get(name, name)


def translate_table(letters: Iterable[tuple[str, str]] = UNDECOMPOSABLE_LETTERS.items()) -> tuple[str, str]:
    """Single-character source and target strings for SQL ``translate`` (multi-char targets excluded)."""
    pairs = [(a, b) for a, b in letters if len(b) == 1]
    return "".join(a for a, _ in pairs), "".join(b for _, b in pairs)
