"""The demo's network, generated from a seed (STYLE.md 4): a Data Week of 32 events, apprentice meetups,
200 apprentices across the boroughs, 40 guidance documents, opportunities and recruitment placements.

Plain data relative to a London date the caller gives (the demo passes today, tests a fixed date), so the
Data Week is always a few weeks ahead. ``guidance_documents(n)`` also feeds the search benchmark.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from boroughhub.network.clock import london_wall_time

SEED = 21
DATA_WEEK_SLUG = "london-data-week"

STANDARDS = ("Data analyst", "Data technician", "Software developer", "Digital and technology solutions professional",
             "Cyber security technologist", "IT solutions technician", "Business analyst", "Digital support technician")
STANDARD_LEVELS = {"Data analyst": 4, "Data technician": 3, "Software developer": 4,
                   "Digital and technology solutions professional": 6, "Cyber security technologist": 4,
                   "IT solutions technician": 3, "Business analyst": 4, "Digital support technician": 3}
COHORTS = ("2025 autumn", "2026 spring", "2026 autumn")
FIRST_NAMES = ("Amara", "Ben", "Chloe", "Dev", "Ellie", "Femi", "Grace", "Hassan", "Isla", "Jamal", "Kira", "Leo",
               "Maya", "Nikhil", "Olu", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Victor", "Wen", "Yusuf", "Zara")
LAST_NAMES = ("Adeyemi", "Brown", "Chen", "Da Silva", "Evans", "Farah", "Green", "Hussain", "Ibrahim", "Jones",
              "Khan", "Lewis", "Mensah", "Nowak", "Okafor", "Patel", "Quayle", "Rahman", "Smith", "Taylor")
INTERESTS = ("data ethics", "mapping", "Python", "dashboards", "digital inclusion", "open data", "cyber security",
             "service design", "machine learning", "SQL")

DATA_WEEK_TALKS = (
    ("Opening: London's data, London's people", "public"), ("Open data for community groups", "public"),
    ("How the Mayor's Datastore works", "public"), ("Air quality sensors on your street", "public"),
    ("Rough sleeping: what the numbers say", "members"), ("Data ethics in council services", "public"),
    ("Generative AI: what councils should and should not do", "public"), ("Mapping London's trees", "public"),
    ("Digital inclusion: who is still offline", "public"), ("Data sharing agreements that work", "members"),
    ("Linking records without losing trust", "members"), ("Dashboards residents can read", "public"),
    ("Smart parking pilots: lessons learnt", "members"), ("Hack day: open transport data", "public"),
    ("Careers in public sector data", "apprentices"), ("Data visualisation masterclass", "public"),
    ("Privacy by design workshop", "members"), ("Climate data for councils", "public"),
    ("Community data stories", "public"), ("Cyber security for small councils", "members"),
    ("Python for analysts: a first afternoon", "apprentices"), ("Procuring AI responsibly", "members"),
    ("Data and the cost of living", "public"), ("Housing data: from waiting lists to insight", "members"),
    ("Young Londoners and data", "public"), ("Evaluating what works", "members"),
    ("Street works data, street by street", "public"), ("Information governance clinic", "members"),
    ("Accessible data for everyone", "public"), ("Meet the data teams: speed networking", "apprentices"),
    ("Data Week debate: should algorithms decide?", "public"), ("Closing: what next for London's data", "public"),
)
VENUES = ("City Hall, Kamal Chunchie Way, London E16 1ZE", "Camden Town Hall, Judd Street, London WC1H 9JE",
          "Lambeth Town Hall, Brixton Hill, London SW2 1RW", "Westminster City Hall, 64 Victoria Street, London SW1E 6QP",
          "Hillingdon Civic Centre, High Street, Uxbridge UB8 1UW")

GUIDANCE_TOPICS = ("smart city deployment", "data ethics", "generative ai", "information governance",
                   "digital inclusion", "cyber security", "open data", "procurement", "iot sensors", "accessibility")
GUIDANCE_TITLES = (
    ("Generative AI: safe use in council services", ("generative ai", "data ethics")),
    ("Deploying smart city sensors on the street", ("smart city deployment", "iot sensors")),
    ("A data ethics framework for London's councils", ("data ethics",)),
    ("Data protection impact assessment template", ("information governance",)),
    ("Data sharing agreement template (pan-London)", ("information governance",)),
    ("Privacy notices residents can read", ("information governance", "accessibility")),
    ("Publishing open data well", ("open data",)),
    ("Digital inclusion: reaching residents offline", ("digital inclusion",)),
    ("Cyber security basics for councils", ("cyber security",)),
    ("Buying technology: a procurement checklist", ("procurement",)),
    ("Accessible dashboards and charts", ("accessibility", "open data")),
    ("Records retention schedule template", ("information governance",)),
    ("Algorithmic transparency records", ("data ethics",)),
    ("Low-power wide-area networks for sensors", ("iot sensors", "smart city deployment")),
    ("Smart parking: a deployment guide", ("smart city deployment",)),
    ("Engaging residents on data use", ("data ethics", "digital inclusion")),
    ("Incident response for information security", ("cyber security", "information governance")),
    ("Supplier assurance for cloud services", ("procurement", "cyber security")),
    ("Data quality standards for submissions", ("open data", "information governance")),
    ("Using chatbots with residents", ("data ethics", "accessibility", "generative ai")),
)
PARAGRAPHS = {
    "generative ai": "Generative AI tools such as large language models can draft letters, summarise case notes and "
                     "answer questions. Staff must not paste residents' personal data into public generative AI "
                     "tools, must check every output, and must say when text was drafted with generative AI.",
    "data ethics": "Ask who benefits, who could be harmed and whether residents would expect this use of their "
                   "data. Record the answers, involve residents where you can and publish what you decide.",
    "smart city deployment": "Before a sensor goes on a lamp post, agree who owns the data, how long it is kept, "
                             "how residents are told and how the device is maintained and removed.",
    "information governance": "Complete a data protection impact assessment before processing starts, name the "
                              "lawful basis, and keep the assessment under review as the processing changes.",
    "digital inclusion": "One in six Londoners lacks basic digital skills. Offer every service by phone and in "
                         "person, and refer residents to Get Online London hubs for devices, data and skills.",
    "cyber security": "Turn on multi-factor authentication, patch within fourteen days, keep offline backups and "
                      "rehearse your incident response plan once a year.",
    "open data": "Publish data with a licence, a description of every column, the date it was last updated and "
                 "a contact. Use open formats such as CSV.",
    "procurement": "State your data, security and accessibility requirements in the specification, and make "
                   "sure the contract gives you your data back in an open format when it ends. The same applies "
                   "to software with generative AI features.",
    "iot sensors": "Choose devices with signed firmware updates, documented data formats and a battery life "
                   "that matches your maintenance plan.",
    "accessibility": "Meet WCAG 2.2 AA. Give every chart a table beside it, and never rely on colour alone.",
}


@dataclass(frozen=True)
class DemoEvent:
    title: str
    description: str
    audience: str
    online: bool
    venue: str
    capacity: int
    starts_at: datetime
    ends_at: datetime
    organisation_id: str
    in_data_week: bool


@dataclass(frozen=True)
class DemoApprentice:
    number: int
    name: str
    organisation_id: str
    standard: str
    level: int
    cohort: str
    end_date: date
    interests: str
    shared: tuple[str, ...]


@dataclass(frozen=True)
class DemoGuidance:
    title: str
    summary: str
    body: str
    topics: tuple[str, ...]
    review_on: date
    related_projects: str
    related_agreements: str


def data_week_start(today: date) -> date:
    """The Monday at least three weeks ahead: the demo's Data Week is always upcoming."""
    ahead = today + timedelta(days=21)
    return ahead + timedelta(days=(7 - ahead.weekday()) % 7)


def data_week_events(today: date, organisers: list[str]) -> list[DemoEvent]:
    rng = random.Random(SEED)
    monday = data_week_start(today)
    events = []
    for number, (title, audience) in enumerate(DATA_WEEK_TALKS):
        day = monday + timedelta(days=number % 5)
        hour = (9, 11, 14, 16, 18)[number // 5 % 5] if number < 30 else (10, 17)[number - 30]
        online = rng.random() < 0.3
        events.append(DemoEvent(
            title, f"Part of London Data Week. {title}: a session for {audience_words(audience)}.", audience, online,
            "" if online else rng.choice(VENUES), rng.choice((20, 30, 40, 60, 80, 120)),
            london_wall_time(day, hour), london_wall_time(day, hour + 1, 30), rng.choice(organisers), True))
    for month in range(1, 4):  # apprentice meetups after the Data Week
        day = monday + timedelta(days=28 * month + 2)
        events.append(DemoEvent(f"Apprentice meetup {month}", "Talks from an industry speaker, then time to meet "
                                 "apprentices from other boroughs.", "apprentices", False, VENUES[0], 50,
                                 london_wall_time(day, 17), london_wall_time(day, 19), organisers[0], False))
    return events


def audience_words(audience: str) -> str:
    return {"public": "anyone interested in London's data", "members": "member organisations' staff",
            "apprentices": "apprentices"}[audience]


def apprentices(today: date, boroughs: list[str], count: int = 200) -> list[DemoApprentice]:
    rng = random.Random(SEED + 1)
    made = []
    for number in range(count):
        standard = rng.choice(STANDARDS)
        # The first apprentice (apprentice@camden.example in the demo) is weeks from the end: career support shows.
        end = today + timedelta(days=45) if number == 0 else today + timedelta(days=rng.randint(-30, 720))
        shared = {"borough", "standard", "level", "cohort"} - ({"standard"} if rng.random() < 0.1 else set())
        if rng.random() < 0.85:
            shared.add("name")
        if rng.random() < 0.4:
            shared.update({"email", "interests"})
        if rng.random() < 0.3:
            shared.add("end_date")
        made.append(DemoApprentice(
            number, f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", boroughs[0] if number == 0 else
            boroughs[number % len(boroughs)], standard, STANDARD_LEVELS[standard], rng.choice(COHORTS), end,
            ", ".join(rng.sample(INTERESTS, 2)), tuple(sorted(shared))))
    return made


def guidance_documents(today: date, count: int = 40, seed: int = SEED + 2) -> list[DemoGuidance]:
    """``count`` documents: the 20 titled ones first, then variations (regional editions, annexes) of them."""
    rng = random.Random(seed)
    documents = []
    for number in range(count):
        if number < len(GUIDANCE_TITLES):
            title, topics = GUIDANCE_TITLES[number]
        else:  # variations of the others: the generative AI guidance stays the one document of its title
            title, topics = GUIDANCE_TITLES[1 + number % (len(GUIDANCE_TITLES) - 1)]
            title = f"{title}: {rng.choice(('annex', 'worked example', 'checklist', 'edition'))} {number}"
        extra = tuple(t for t in rng.sample(GUIDANCE_TOPICS, 1) if t not in topics and t != "generative ai")
        paragraphs = [PARAGRAPHS[topic] for topic in (*topics, *extra)]
        paragraphs.append(f"This guidance was co-designed with officers from {rng.randint(3, 12)} boroughs. "
                          "Tell the owner if anything here is out of date.")
        review = today + timedelta(days=rng.randint(-60, 400))
        documents.append(DemoGuidance(
            title, f"{PARAGRAPHS[topics[0]].split('.')[0]}.", "\n\n".join(paragraphs), (*topics, *extra), review,
            rng.choice(("", "Smart parking pilot", "Air quality sensors", "Rough sleeping insights")),
            rng.choice(("", "Pan-London rough sleeping DSA", "Sensor data sharing agreement"))))
    return documents


@dataclass(frozen=True)
class DemoVacancy:
    role: str
    grade: str
    organisation_id: str
    opened_on: date
    filled_after_days: int | None
    salary: int
    candidates: tuple[tuple[str, str, str], ...]


def vacancies(today: date, boroughs: list[str], count: int = 12) -> list[DemoVacancy]:
    rng = random.Random(SEED + 3)
    roles = (("Data analyst", "PO3", 38000), ("Senior data engineer", "PO6", 52000), ("GIS officer", "PO2", 36000),
             ("Cyber security analyst", "PO4", 44000), ("Product manager", "PO7", 58000))
    made = []
    for number in range(count):
        role, grade, salary = rng.choice(roles)
        filled = rng.randint(20, 75) if number < count * 2 // 3 else None
        people = tuple((f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                        rng.choice(("apprentice network", "member network")),
                        "appointed" if filled and i == 0 else rng.choice(("shortlisted", "interviewed", "not appointed")))
                       for i in range(rng.randint(2, 4)))
        made.append(DemoVacancy(role, grade, boroughs[number % len(boroughs)],
                                today - timedelta(days=rng.randint(90, 400)), filled, salary, people))
    return made
