"""Names, streets and variant spellings of the second corruption model.

Written for this model alone: nothing here comes from ``boroughhub.synthetic`` or from the
linkage model's own name maps (``boroughhub.linkage.names``), so the linkage model meets variants
it was not written around. Each variant list starts with the form the person was registered under.
"""

from __future__ import annotations

# Given names by rough origin, so households get names that go together.
GIVEN_NAMES: dict[str, tuple[str, ...]] = {
    "english": (
        "katherine", "william", "margaret", "elizabeth", "jonathan", "christopher", "rebecca", "nicholas",
        "victoria", "timothy", "harriet", "frederick", "eleanor", "matthew", "jennifer", "daniel", "abigail",
        "samuel", "charlotte", "edward", "lucy", "oliver", "amelia", "harry", "isla", "george", "freya", "jack",
    ),
    "west_african": (
        "oluwaseun", "oluwadamilola", "chukwuemeka", "adebayo", "folasade", "olumide", "ngozi", "chidinma",
        "babatunde", "temitope", "kwame", "abena", "kofi", "ama", "yewande", "obinna", "funmilayo", "ifeoma",
    ),
    "south_asian": (
        "mohammed", "abdulrahman", "farhana", "nusrat", "rahim", "sultana", "imran", "shabnam", "tanvir",
        "rukhsana", "habib", "nasrin", "priya", "rajesh", "sunita", "arjun", "deepa", "vikram", "anjali",
    ),
    "east_european": (
        "aleksandra", "malgorzata", "katarzyna", "tomasz", "krzysztof", "agnieszka", "sergei", "natalia",
        "aleksandr", "olga", "dmitri", "yulia", "andrei", "ioana", "bogdan", "mihaela", "vasile", "elena",
    ),
    "somali_arabic": (
        "abdirahman", "yusuf", "fatima", "hodan", "mohamud", "khadija", "abdullahi", "amina", "hussein",
        "sahra", "ayaan", "ismail", "zainab", "mustafa", "hawa", "omar", "asha", "bilal", "layla",
    ),
}

SURNAMES: dict[str, tuple[str, ...]] = {
    "english": (
        "thompson", "whitfield", "ashworth", "pemberton", "holloway", "fairbairn", "kettering", "blackwood",
        "harrington", "lockwood", "castleton", "underwood", "pennington", "aldridge", "greenhalgh", "marsden",
        "clarke", "wright", "walker", "hughes", "green", "hall", "wood", "harris", "lewis", "martin",
    ),
    "west_african": (
        "adeyemi", "okonkwo", "babatunde", "oyelaran", "nwachukwu", "adebayo", "mensah", "asante", "owusu",
        "oladipo", "eze", "okafor", "adeleke", "boateng", "akinola", "obi",
    ),
    "south_asian": (
        "rahman", "chowdhury", "hossain", "begum", "uddin", "miah", "ahmed", "islam", "patel", "sharma",
        "khan", "singh", "ali", "akhtar", "siddique", "kaur",
    ),
    "east_european": (
        "kowalczyk", "wisniewski", "nowakowska", "zielinski", "szymanski", "popescu", "ionescu", "ivanov",
        "petrova", "smirnov", "dumitru", "wojcik", "lewandowski", "kaminska",
    ),
    "somali_arabic": (
        "abdi", "warsame", "farah", "hassan", "jama", "osman", "mohamud", "ibrahim", "egal", "aden", "nur",
        "yusuf", "hersi", "duale",
    ),
}

# Familiar forms a person gives instead of their registered name.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "katherine": ("kate", "kathy", "kat", "katie"), "william": ("will", "bill", "liam"),
    "margaret": ("maggie", "peggy", "meg"), "elizabeth": ("liz", "beth", "lizzie", "eliza"),
    "jonathan": ("jon", "jonny"), "christopher": ("chris", "kit"), "rebecca": ("becky", "becca"),
    "nicholas": ("nick", "nicky"), "victoria": ("vicky", "tori"), "timothy": ("tim",),
    "harriet": ("hattie",), "frederick": ("fred", "freddie"), "eleanor": ("ellie", "nell"),
    "matthew": ("matt",), "jennifer": ("jen", "jenny"), "daniel": ("dan", "danny"), "abigail": ("abbie",),
    "samuel": ("sam", "sammy"), "charlotte": ("lottie", "charlie"), "edward": ("ed", "eddie", "ted"),
    "oluwaseun": ("seun",), "oluwadamilola": ("dami", "lola"), "chukwuemeka": ("emeka",),
    "babatunde": ("tunde",), "temitope": ("tope",), "folasade": ("sade", "shade"), "olumide": ("mide",),
    "funmilayo": ("funmi",), "abdulrahman": ("abdul",), "aleksandra": ("ola", "sasha"),
    "malgorzata": ("gosia",), "katarzyna": ("kasia",), "tomasz": ("tomek",), "krzysztof": ("krzys",),
    "agnieszka": ("aga",), "aleksandr": ("sasha",), "natalia": ("natasha",), "dmitri": ("dima",),
    "yulia": ("julia",), "abdirahman": ("abdi",), "abdullahi": ("abdi",), "vikram": ("vik",),
}

# Other romanisations of one name (the first is the registered spelling).
TRANSLITERATIONS: dict[str, tuple[str, ...]] = {
    "mohammed": ("muhammed", "mohamed", "mohd", "mohammad"), "abdulrahman": ("abdurrahman", "abdul rahman"),
    "farhana": ("farhanah",), "rahim": ("raheem",), "habib": ("habeeb",), "nasrin": ("nasreen",),
    "sultana": ("sultanah",), "tanvir": ("tanveer",), "imran": ("emran",),
    "sergei": ("sergey", "serhiy"), "aleksandr": ("alexandr", "oleksandr"), "olga": ("olha",),
    "dmitri": ("dmitry", "dmytro"), "yulia": ("yuliya", "iuliia"), "andrei": ("andriy", "andrey"),
    "natalia": ("nataliya", "natalya"), "abdirahman": ("abdurahman", "cabdiraxmaan"),
    "yusuf": ("yousef", "yusef"), "fatima": ("fatimah", "faadumo"), "hodan": ("xodan",),
    "mohamud": ("mahmoud", "maxamuud"), "khadija": ("khadijah", "khadiija"), "abdullahi": ("cabdullaahi",),
    "hussein": ("husein", "xuseen"), "sahra": ("sahro", "zahra"), "ismail": ("ismaaciil",),
    "mustafa": ("mustaf",), "hawa": ("xaawo",), "omar": ("cumar",),
    "rahman": ("rehman", "rahmaan"), "chowdhury": ("choudhury", "chaudhry", "chowdhry"),
    "hossain": ("hussain", "hosain"), "uddin": ("udin", "ud din"), "miah": ("mia", "meah"),
    "siddique": ("siddiqui", "sidique"), "ivanov": ("ivanow",), "petrova": ("petrowa",),
    "smirnov": ("smirnoff",), "farah": ("faarax",), "jama": ("jaamac",), "warsame": ("warsama",),
    "hersi": ("xirsi",), "ibrahim": ("ibraahim",), "aden": ("aadan",),
    "wisniewski": ("wisnievski",), "szymanski": ("shimanski",),
}

STREETS = (
    "albion", "balaclava", "cranbrook", "dalston", "elmore", "fieldgate", "greenwood", "holbrook", "ivydale",
    "jubilee", "kingsland", "lavender", "malvern", "northwold", "oakfield", "pellerin", "queensbridge",
    "rectory", "stanhope", "tollington", "upton", "victoria", "wellington", "yarrow", "zennor", "ashgrove",
    "beresford", "carlton", "devonshire", "eversholt",
)
STREET_KINDS = {"road": "rd", "street": "st", "avenue": "ave", "gardens": "gdns", "lane": "ln", "close": "cl"}
TOWNS = ("hackney", "walthamstow", "tottenham", "lewisham", "peckham", "ilford", "croydon", "brixton", "acton")
OUTWARD_CODES = ("E8", "E17", "N17", "SE13", "SE15", "IG1", "CR0", "SW9", "W3", "E5", "N15", "SE6")
