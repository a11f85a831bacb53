"""Plausible demo staff: Vietnamese names, ages, personal ID numbers and categories.

Personal ID numbers follow the CCCD layout (RULES.md §11): 3-digit place-of-registration code,
century/sex digit (0/1 = 1900s male/female, 2/3 = 2000s), two birth-year digits, 6 random
digits. Everything is drawn from one seeded random generator, so a seed always gives the same
people.
"""

import datetime
import random
from bisect import bisect
from itertools import accumulate

from personnel.demo.names import GIVEN_NAMES, MIDDLE_NAMES, SURNAMES
from personnel.models import OrgUnit, Staff

# Ages and statuses are computed against a fixed date so a seed gives the same data every year.
REFERENCE_DATE = datetime.date(2026, 7, 1)
# Birth-registration codes of this and neighbouring provinces (most staff are local).
BIRTH_PLACE_CODES = [
    ("037", 55),
    ("036", 12),
    ("035", 10),
    ("034", 8),
    ("038", 7),
    ("001", 5),
    ("079", 3),
]
STATUSES = [
    (Staff.Status.ACTIVE, 955),
    (Staff.Status.LEAVE_WITHOUT_PAY, 10),
    (Staff.Status.RETIRED, 25),
    (Staff.Status.RESIGNED, 7),
    (Staff.Status.DECEASED, 3),
]


class WeightedChoice:
    """Draw from (value, weight) pairs with a given random generator."""

    def __init__(self, pairs):
        self.values = [value for value, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))

    def draw(self, rng: random.Random):
        return self.values[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


_SURNAMES = WeightedChoice(SURNAMES)
_MIDDLE = {sex: WeightedChoice(pairs) for sex, pairs in MIDDLE_NAMES.items()}
_BIRTH_PLACES = WeightedChoice(BIRTH_PLACE_CODES)
_STATUSES = WeightedChoice(STATUSES)


def full_name(rng: random.Random, sex: str) -> str:
    return f"{_SURNAMES.draw(rng)} {_MIDDLE[sex].draw(rng)} {rng.choice(GIVEN_NAMES[sex])}"


def personal_id(rng: random.Random, sex: str, born: datetime.date, taken: set[str]) -> str:
    """A fresh CCCD-shaped number consistent with sex and birth year."""
    century = 0 if born.year < 2000 else 2
    digit = century + (1 if sex == Staff.Sex.FEMALE else 0)
    head = f"{_BIRTH_PLACES.draw(rng)}{digit}{born.year % 100:02d}"
    while True:
        number = f"{head}{rng.randrange(1_000_000):06d}"
        if number not in taken:
            taken.add(number)
            return number


def birth_date(rng: random.Random, youngest: int, oldest: int) -> datetime.date:
    age_days = rng.randint(youngest * 365 + 10, oldest * 365 - 10)
    return REFERENCE_DATE - datetime.timedelta(days=age_days)


def category_for(rng: random.Random, unit: OrgUnit) -> str:
    """Public-service units employ viên chức; agencies employ công chức (and some cán bộ)."""
    roll = rng.random()
    if unit.kind == OrgUnit.Kind.PUBLIC_SERVICE_UNIT:
        return Staff.Category.PUBLIC_EMPLOYEE if roll < 0.92 else Staff.Category.CONTRACT
    if unit.kind == OrgUnit.Kind.PEOPLES_COMMITTEE and roll < 0.3:
        return Staff.Category.CADRE
    return Staff.Category.CIVIL_SERVANT if roll < 0.93 else Staff.Category.CONTRACT


def make_person(rng: random.Random, *, number: int, unit: OrgUnit, taken_ids: set[str]) -> Staff:
    """One unsaved staff record in ``unit``."""
    female_share = 0.72 if unit.kind == OrgUnit.Kind.PUBLIC_SERVICE_UNIT else 0.5
    sex = Staff.Sex.FEMALE if rng.random() < female_share else Staff.Sex.MALE
    status = _STATUSES.draw(rng)
    if status == Staff.Status.RETIRED:
        born = birth_date(rng, 58, 66)
    else:
        born = birth_date(rng, 23, 57 if sex == Staff.Sex.FEMALE else 61)
    return Staff(
        staff_number=f"HA{number:06d}",
        full_name=full_name(rng, sex),
        sex=sex,
        date_of_birth=born,
        personal_id=personal_id(rng, sex, born, taken_ids),
        unit=unit,
        category=category_for(rng, unit),
        status=status,
    )


def apportion(total: int, weights: dict[int, int]) -> dict[int, int]:
    """Split ``total`` people over units in proportion to their weights (largest remainder)."""
    weight_sum = sum(weights.values())
    exact = {key: total * weight / weight_sum for key, weight in weights.items()}
    counts = {key: int(value) for key, value in exact.items()}
    short = total - sum(counts.values())
    by_remainder = sorted(weights, key=lambda key: (-(exact[key] - counts[key]), key))
    for key in by_remainder[:short]:
        counts[key] += 1
    return counts
