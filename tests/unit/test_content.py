"""The content packs and their loader: the shipped anakinra pack, a synthetic pack, broken packs."""

from __future__ import annotations

import dataclasses
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from journal.content import (
    Pack,
    PackError,
    Tier,
    Verdict,
    available_packs,
    clear_cache,
    load_pack,
    parse_spot_id,
    spot_distance_cm,
)
from journal.resources import content_root

REPO = Path(__file__).resolve().parents[2]
FIXTURE_PACKS = REPO / "tests" / "fixtures" / "packs"
ANAKINRA_DIR = content_root() / "anakinra"


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack("anakinra")


def pack_text() -> str:
    """Everything the anakinra pack says (TOML and Markdown), lower-case, single-spaced."""
    parts = [ANAKINRA_DIR.joinpath("pack.toml").read_text(encoding="utf-8")]
    parts += [p.read_text(encoding="utf-8") for p in sorted(ANAKINRA_DIR.glob("*.md"))]
    text = "\n".join(parts).replace("**", "").replace("\u2019", "'")
    return " ".join(text.lower().split())


# --- the shipped pack -------------------------------------------------------------------


def test_shipped_pack_is_available_and_loads(pack: Pack) -> None:
    assert "anakinra" in available_packs()
    assert pack.key == "anakinra"
    assert pack.directory == ANAKINRA_DIR.resolve()


def test_medication_facts(pack: Pack) -> None:
    med = pack.medication
    assert (med.key, med.generic, med.brands) == ("anakinra", "anakinra", ("Kineret",))
    assert med.drug_class == "interleukin antagonist"
    assert med.route == "subcutaneous"
    assert med.codes.rxnorm == "72435"
    assert med.codes.route_snomed == "34206005"
    assert med.schedule.doses_per_day == 1
    assert med.schedule.same_time_every_day is True
    assert med.display_name == "anakinra (Kineret)"
    assert med.key_warning.count(". ") == 0 and med.key_warning.endswith(".")


def test_source_and_disclaimer(pack: Pack) -> None:
    assert pack.source.name == "MedlinePlus"
    assert pack.source.publisher == "U.S. National Library of Medicine"
    assert any("FDA" in s for s in pack.source.also_from)
    assert "does not replace" in pack.source.disclaimer
    assert "MedlinePlus" in pack.source.citation and "FDA" in pack.source.citation


def test_supply(pack: Pack) -> None:
    assert pack.supply.units_per_box == 7
    assert pack.supply.unit == "syringe"
    assert pack.supply.single_use is True
    assert pack.supply.reorder_lead_days == 7


def test_numbers_the_journal_chose_are_labelled_as_settings(pack: Pack) -> None:
    assert pack.is_journal_setting("supply.reorder_lead_days")
    assert pack.is_journal_setting("side_effects.lingering_days")
    assert pack.is_journal_setting("sites.regions.0.rows")
    assert pack.is_journal_setting("sites.regions.7.cols")
    assert not pack.is_journal_setting("supply.units_per_box")
    assert not pack.is_journal_setting("sites.spacing_cm")
    assert all("journal setting" in s.note.lower() for s in pack.journal_settings)


@pytest.mark.parametrize(
    ("key", "verdict"),
    [
        ("clear", Verdict.USE),
        ("foamy", Verdict.WAIT),
        ("cloudy", Verdict.DISCARD),
        ("discolored", Verdict.DISCARD),
        ("particles", Verdict.DISCARD),
    ],
)
def test_inspection_verdicts_follow_the_leaflet(pack: Pack, key: str, verdict: Verdict) -> None:
    assert pack.appearance(key).verdict is verdict


def test_inspection_texts(pack: Pack) -> None:
    assert {a.key for a in pack.inspection.appearances} == {"clear", "foamy", "cloudy", "discolored", "particles"}
    assert "few minutes" in pack.appearance("foamy").advice
    assert "do not inject again" in pack.inspection.leftover.lower()
    assert "shake" in pack.inspection.do_not_shake.lower()
    with pytest.raises(KeyError, match="known: clear"):
        pack.appearance("sparkly")


SERIOUS = {"rash", "flu-like", "fever", "sore-throat", "chills", "infection", "cough", "wheezing", "chest-pain"}
SERIOUS |= {"hot-red-skin", "allergic-reaction"}
COMMON = {"injection-site", "headache", "nausea", "diarrhea", "runny-nose", "stomach-pain"}


def test_side_effect_tiers_follow_the_leaflet(pack: Pack) -> None:
    tiers = {s.key: s.tier for s in pack.side_effects.symptoms}
    assert {k for k, t in tiers.items() if t is Tier.SERIOUS} == SERIOUS
    assert {k for k, t in tiers.items() if t is Tier.COMMON} == COMMON
    site = [s for s in pack.side_effects.symptoms if s.injection_site]
    assert [s.key for s in site] == ["injection-site"]
    assert site[0].tier is Tier.COMMON
    assert pack.side_effects.lingering_days == 7
    assert [s.key for s in pack.side_effects.symptoms if s.emergency] == ["allergic-reaction"]


def test_tier_advice(pack: Pack) -> None:
    assert "immediately" in pack.side_effects.advice_for(Tier.SERIOUS)
    assert "severe or does not go away" in pack.side_effects.advice_for("common")
    assert "unusual problem" in pack.side_effects.advice_for("other")
    with pytest.raises(ValueError):
        pack.side_effects.advice_for("mild")


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("rash", "rash"),
        ("  Hives ", "allergic-reaction"),
        ("ITCHY RASH", "rash"),
        ("itchy   rash.", "rash"),
        ("temperature", "fever"),
        ("Fever", "fever"),
        ("shivers", "chills"),
        ("sore arm", "injection-site"),
        ("bruising", "injection-site"),
        ("injection-site", "injection-site"),
        ("Runny nose", "runny-nose"),
        ("runny-nose", "runny-nose"),
        ("tummy ache", "stomach-pain"),
        ("feeling sick", "nausea"),
        ("diarrhoea", "diarrhea"),
        ("flu-like symptoms", "flu-like"),
        ("wheezy", "wheezing"),
        ("chest pains", "chest-pain"),
        ("Hot, red, swollen area on the skin", "hot-red-skin"),
        ("signs of infection", "infection"),
    ],
)
def test_find_symptom(pack: Pack, typed: str, key: str) -> None:
    found = pack.find_symptom(typed)
    assert found is not None and found.key == key


@pytest.mark.parametrize("typed", ["", "   ", "purple toes", "rash and fever", "redness"])
def test_find_symptom_unknown(pack: Pack, typed: str) -> None:
    assert pack.find_symptom(typed) is None


INTERACTIONS = {
    "etanercept": ["Enbrel"],
    "infliximab": ["Remicade"],
    "azathioprine": ["Imuran"],
    "cyclosporine": ["Neoral", "Sandimmune"],
    "methotrexate": ["Rheumatrex"],
    "sirolimus": ["Rapamune"],
    "tacrolimus": ["Prograf"],
}
IMMUNE_SUPPRESSING = {"azathioprine", "cyclosporine", "methotrexate", "sirolimus", "tacrolimus"}


def test_interactions_list_matches_the_leaflet(pack: Pack) -> None:
    assert {i.generic: list(i.brands) for i in pack.interactions} == INTERACTIONS
    assert {i.generic for i in pack.interactions if i.group} == IMMUNE_SUPPRESSING
    for interaction in pack.interactions:
        assert "dose" in interaction.advice and "side effects" in interaction.advice


@pytest.mark.parametrize("generic", sorted(INTERACTIONS))
def test_every_interacting_medicine_found_by_any_name_in_any_case(pack: Pack, generic: str) -> None:
    for name in [generic, *INTERACTIONS[generic]]:
        for variant in (name, name.upper(), name.lower(), name.title(), f"  {name} "):
            found = pack.find_interaction(variant)
            assert found is not None and found.generic == generic, variant


@pytest.mark.parametrize(
    ("typed", "generic"),
    [
        ("Methotrexate 2.5 mg", "methotrexate"),
        ("methotrexate tablets (weekly)", "methotrexate"),
        ("NEORAL 100mg capsules", "cyclosporine"),
        ("Enbrel pen 50 mg", "etanercept"),
        ("my Prograf", "tacrolimus"),
    ],
)
def test_find_interaction_in_a_longer_name(pack: Pack, typed: str, generic: str) -> None:
    found = pack.find_interaction(typed)
    assert found is not None and found.generic == generic


@pytest.mark.parametrize("typed", ["aspirin", "", "methotrexates", "Enbrelx", "ibuprofen 200 mg"])
def test_find_interaction_none(pack: Pack, typed: str) -> None:
    assert pack.find_interaction(typed) is None


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("E. coli", ["e-coli-proteins"]),
        ("e coli proteins", ["e-coli-proteins"]),
        ("Allergic to KINERET", ["anakinra"]),
        ("anakinra", ["anakinra"]),
        ("latex gloves", ["latex"]),
        ("Latex, E.coli", ["e-coli-proteins", "latex"]),
        ("penicillin", []),
        ("", []),
    ],
)
def test_match_allergy(pack: Pack, text: str, keys: list[str]) -> None:
    assert [p.key for p in pack.match_allergy(text)] == keys


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("an infection", ["infection"]),
        ("Asthma", ["asthma"]),
        ("HIV infection", ["hiv"]),
        ("AIDS", ["hiv"]),
        ("kidney disease", ["kidney-disease"]),
        ("pregnant", ["pregnancy"]),
        ("planning a pregnancy", ["planning-pregnancy"]),
        ("I plan to become pregnant", ["planning-pregnancy"]),
        ("breastfeeding", ["breast-feeding"]),
        ("Breast-feeding", ["breast-feeding"]),
        ("asthma and kidney disease", ["asthma", "kidney-disease"]),
        ("high blood pressure", []),
    ],
)
def test_match_condition(pack: Pack, text: str, keys: list[str]) -> None:
    assert [p.key for p in pack.match_condition(text)] == keys


def test_precaution_lists_follow_the_leaflet(pack: Pack) -> None:
    assert {p.key for p in pack.precautions.allergies} == {"anakinra", "e-coli-proteins", "latex"}
    assert {p.key for p in pack.precautions.conditions} == {
        "infection",
        "asthma",
        "hiv",
        "kidney-disease",
        "pregnancy",
        "planning-pregnancy",
        "breast-feeding",
    }
    pregnancy = next(p for p in pack.precautions.conditions if p.key == "pregnancy")
    assert re.search(r"become pregnant while (you are )?using anakinra, call your doctor", pregnancy.advice)


def test_appointment_advice(pack: Pack) -> None:
    vaccination = pack.appointments.advice_for("vaccination")
    assert vaccination is not None and "measles" in vaccination and "flu" in vaccination
    assert "anakinra" in (pack.appointments.advice_for("surgery") or "")
    assert "dentist" in (pack.appointments.advice_for("dental") or "")
    assert "before and during treatment" in (pack.appointments.advice_for("lab") or "")
    assert pack.appointments.advice_for("checkin") is None


def test_steps_in_order(pack: Pack) -> None:
    steps = [s.lower() for s in pack.steps]
    assert len(steps) == 8
    order = ["alcohol wipe", "needle cover", "pinch", "45 to 90", "plunger", "gauze", "bandage", "puncture-resistant"]
    for step, phrase in zip(steps, order, strict=True):
        assert phrase in step
    assert "at least halfway" in steps[3]
    assert "do not recap" in steps[5] and "not an alcohol wipe" in steps[5]


# --- sites and spots ----------------------------------------------------------------------


def test_regions(pack: Pack) -> None:
    keys = [r.key for r in pack.sites.regions]
    assert keys == [
        "thigh-left",
        "thigh-right",
        "stomach-left",
        "stomach-right",
        "arm-left",
        "arm-right",
        "buttock-left",
        "buttock-right",
    ]
    for region in pack.sites.regions:
        assert region.self_allowed is (region.part in {"thigh", "stomach"}), region.key
    assert pack.region("thigh-left").label == "Left outer thigh"
    assert pack.sites.spacing_cm == 2.5
    assert {r.key for r in pack.sites.self_regions()} == {"thigh-left", "thigh-right", "stomach-left", "stomach-right"}
    with pytest.raises(KeyError):
        pack.region("knee")


def test_avoid_notes_name_their_source(pack: Pack) -> None:
    notes = {n.text: n.source for n in pack.sites.avoid}
    assert any("vein" in t and "MedlinePlus" in s for t, s in notes.items())
    assert any("5 cm" in t and "navel" in t and "General" in s for t, s in notes.items())
    assert any("bruised, tender, red or hard" in t for t in notes)


def test_spots_and_coordinates(pack: Pack) -> None:
    spots = pack.spots("thigh-left")
    assert len(spots) == pack.region("thigh-left").rows * pack.region("thigh-left").cols
    assert spots[0].id == "thigh-left:A1" and (spots[0].x_cm, spots[0].y_cm) == (0.0, 0.0)
    b2 = pack.sites.spot("thigh-left:B2")
    assert (b2.row, b2.col, b2.x_cm, b2.y_cm) == (1, 1, 2.5, 2.5)
    assert pack.region("thigh-left").spot_ids() == tuple(s.id for s in spots)
    for region in pack.sites.regions:
        for spot in pack.spots(region.key):
            assert re.fullmatch(r"[a-z-]+:[A-Z][1-9][0-9]*", spot.id)
            assert parse_spot_id(spot.id) == (region.key, spot.row, spot.col)


def test_neighbouring_spots_are_spacing_apart(pack: Pack) -> None:
    for region in pack.sites.regions:
        for spot in pack.spots(region.key):
            for dr, dc in ((0, 1), (1, 0)):
                if spot.row + dr < region.rows and spot.col + dc < region.cols:
                    other = f"{region.key}:{chr(65 + spot.row + dr)}{spot.col + dc + 1}"
                    assert spot_distance_cm(pack, spot.id, other) == pytest.approx(2.5)
    assert spot_distance_cm(pack, "thigh-left:A1", "thigh-left:A1") == 0.0
    assert spot_distance_cm(pack, "thigh-left:A1", "thigh-left:B2") == pytest.approx(math.hypot(2.5, 2.5))
    assert spot_distance_cm(pack.sites, "stomach-left:A1", "stomach-left:C1") == pytest.approx(5.0)


def test_spots_in_other_regions_are_infinitely_far(pack: Pack) -> None:
    assert spot_distance_cm(pack, "thigh-left:A1", "thigh-right:A1") == math.inf
    assert spot_distance_cm(pack, "stomach-left:A1", "arm-left:A1") > 1000


@pytest.mark.parametrize("bad", ["thigh-left", "thigh-left:Z1", "thigh-left:A9", "knee:A1", "thigh-left:1A", ""])
def test_bad_spot_ids(pack: Pack, bad: str) -> None:
    with pytest.raises(ValueError):
        spot_distance_cm(pack, bad, "thigh-left:A1")


def test_spot_ids_are_case_tolerant(pack: Pack) -> None:
    assert pack.sites.spot(" Thigh-Left:b2 ").id == "thigh-left:B2"


# --- sections ---------------------------------------------------------------------------------


def test_sections(pack: Pack) -> None:
    assert pack.topics == (
        "uses",
        "side-effects",
        "warnings",
        "inject",
        "sites",
        "syringes",
        "supply",
        "labs",
        "med-list",
        "about",
    )
    listed = {s.file for s in pack.sections}
    assert listed == {p.name for p in ANAKINRA_DIR.glob("*.md")}, "every Markdown file is a section"
    for topic in pack.topics:
        text = pack.section_text(topic)
        assert text.startswith("# "), topic
        assert "<" not in text and "|" not in text, f"{topic}: plain Markdown only"
    with pytest.raises(KeyError, match="topics: uses"):
        pack.section_text("dosage")


def test_every_section_names_the_source_and_the_limit(pack: Pack) -> None:
    for topic in pack.topics:
        text = " ".join(pack.section_text(topic).split()).replace("**", "")
        assert "MedlinePlus" in text, topic
        assert "does not replace, your doctor's advice" in text, topic


def test_pack_is_frozen(pack: Pack) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        pack.supply.units_per_box = 6  # type: ignore[misc]


# --- every fact of the leaflet is in the pack ------------------------------------------------------

# (fact, patterns that must all appear in the pack's text, case-insensitive), in leaflet order.
LEAFLET_FACTS: list[tuple[str, list[str]]] = [
    # Uses
    ("used for rheumatoid arthritis pain and swelling", ["pain and swelling", "rheumatoid arthritis"]),
    ("alone or with other medicines", [r"on its own|alone", "other medicines"]),
    ("class", ["interleukin antagonists?"]),
    ("how it works", [r"block\w* (what )?interleukin", "protein", "joint damage"]),
    # Side effects
    ("common tier advice", ["severe or does not go away"]),
    ("injection-site reaction", [r"redness, swelling, bruising,? or pain"]),
    ("headache", ["headache"]),
    ("nausea", ["nausea"]),
    ("diarrhea", ["diarrhea"]),
    ("runny nose", ["runny nose"]),
    ("stomach pain", ["stomach pain"]),
    ("serious tier is uncommon", ["uncommon"]),
    ("serious tier advice", [r"call your doctor (immediately|at once)"]),
    ("rash", ["rash"]),
    ("flu-like symptoms", ["flu-like symptoms"]),
    ("signs of infection", ["fever", "sore throat", "chills", r"other signs? of infection"]),
    ("breathing and chest", ["coughing", "wheezing", "chest pain"]),
    ("hot red swollen skin", [r"hot, red, swollen area on the skin"]),
    ("other side effects", ["other side effects", "unusual problem"]),
    # Warnings and precautions
    ("allergy to anakinra", ["allergic to anakinra"]),
    ("allergy to E. coli proteins", ["proteins made from bacterial cells", r"e\. coli"]),
    ("allergy to latex", ["latex"]),
    ("allergy to other medicines", ["any other medicine"]),
    ("tell about all products", ["prescription and nonprescription", "vitamin", "nutritional supplement", "herbal"]),
    ("etanercept", ["etanercept", "enbrel"]),
    ("infliximab", ["infliximab", "remicade"]),
    ("immune-suppressing medicines", ["suppress(es)? the immune system"]),
    ("azathioprine", ["azathioprine", "imuran"]),
    ("cyclosporine", ["cyclosporine", "neoral", "sandimmune"]),
    ("methotrexate", ["methotrexate", "rheumatrex"]),
    ("sirolimus", ["sirolimus", "rapamune"]),
    ("tacrolimus", ["tacrolimus", "prograf"]),
    (
        "doses may change or monitoring",
        [r"change the doses|doses .{0,30}need changing", r"watch(ing)? you (carefully|closely)"],
    ),
    ("conditions", ["an infection", "asthma", "hiv infection or aids", "kidney disease"]),
    ("pregnancy", ["are pregnant", "plan to become pregnant", "breast-feeding"]),
    ("pregnant while using", [r"become pregnant while (you are )?using anakinra, call your doctor"]),
    ("surgery and dental surgery", ["including dental surgery", r"doctor or dentist"]),
    ("vaccinations", ["vaccination", "measles", "flu shot", "without talking to your doctor"]),
    # Administration
    ("solution under the skin", ["solution", "subcutaneous", "under the skin"]),
    ("once a day same time", ["once a day", "same time every day"]),
    ("follow the label", ["prescription label", r"any part (you do not understand|of them is unclear)", "explain"]),
    ("exactly as directed", ["exactly as directed", r"more or less|no more and no less", "more often"]),
    ("prefilled glass syringes", ["prefilled glass syringes"]),
    ("7 per box", [r"7 (prefilled )?syringes", "one for each day of the week"]),
    ("single use", ["only once", r"inject all (the solution|of it)"]),
    ("leftover", ["left", "do not inject again"]),
    (
        "disposal",
        ["puncture-resistant container", r"how to (dispose of|get rid of) the (puncture-resistant )?container"],
    ),
    ("do not shake", ["do not shake"]),
    ("foamy: wait", ["foamy", "few minutes", "until (it|the solution) clears"]),
    ("do not use if", ["cloudy", "discolored", "floating"]),
    ("self sites", ["outer thigh", "stomach"]),
    ("sites for someone else", ["someone else", "back of the arms", "buttocks"]),
    ("rotate", ["different site for each injection", "soreness or redness"]),
    ("body part", [r"stay on the same part of the body from one day to the next"]),
    ("spacing", [r"1 inch \(2\.5 centimeters\)", "previous"]),
    ("veins", ["vein you can see"]),
    ("read manufacturer's information", ["manufacturer's information for the patient", "first time"]),
    ("be shown how", ["show you how to inject"]),
    # Steps
    ("clean the site", ["alcohol wipe", "circular motion", "middle", "outwards", "dry completely"]),
    ("needle cover", ["needle cover", "twisting", "do not touch the needle"]),
    ("hold and pinch", ["hand you inject with", "pinch a fold of skin", r"do not (put|lay) the syringe down"]),
    ("needle touches nothing", ["needle touch anything"]),
    ("steady control", ["thumb and fingers", "steady control"]),
    ("insert", ["quick, short", r"45 to 90 degrees", "at least halfway"]),
    ("let go and push", ["let go of the skin", r"needle (stays|remains) in", "plunger", "until it stops"]),
    ("remove", ["do not recap", "dry gauze", r"not (use )?an alcohol wipe"]),
    ("bandage", ["small adhesive bandage"]),
    ("used syringe to container", [r"(whole|entire) used syringe"]),
    ("benefit takes time", ["several weeks", "full benefit"]),
    # Appointments, supply, medicine list
    ("appointments", ["keep all appointments", "laboratory"]),
    ("lab tests", ["lab tests", "before and during treatment", r"body'?s? respon"]),
    ("do not share", ["do not let anyone else use your medicine"]),
    ("refills", ["pharmacist", "refilling your prescription"]),
    ("written list", ["written list", "prescription medicines", "over-the-counter", "vitamins", "minerals"]),
    ("supplements", ["dietary supplements"]),
    ("bring the list", ["visit a doctor", "admitted to a hospital", "emergency"]),
    # Source, disclaimer and the other facts the journal may use
    ("source", ["medlineplus", "national library of medicine", r"\bfda\b"]),
    ("disclaimer", ["does not replace"]),
    ("navel and scars (general guidance)", ["5 cm", "navel", "scars", "healthwise"]),
    ("skin to avoid (general guidance)", ["bruised, tender, red or hard"]),
    ("codes", ["72435", "34206005", "rxnorm", "snomed"]),
    ("journal settings are labelled", ["journal setting"]),
]


@pytest.mark.parametrize(("fact", "patterns"), LEAFLET_FACTS, ids=[f for f, _ in LEAFLET_FACTS])
def test_every_leaflet_fact_is_in_the_pack(fact: str, patterns: list[str]) -> None:
    text = pack_text()
    missing = [p for p in patterns if not re.search(p, text)]
    assert not missing, f"{fact}: not found in content/anakinra: {missing}"


def test_no_invented_storage_facts() -> None:
    text = pack_text()
    for invented in [
        r"refrigerat",
        r"fridge",
        r"freez",
        r"room temperature",
        r"°",
        r"degrees [cf]\b",
        r"\bstore (it|them) ",
    ]:
        assert not re.search(invented, text), invented


# --- broken packs ---------------------------------------------------------------------------------


def copy_pack(tmp_path: Path, name: str = "anakinra") -> Path:
    """A private copy of the shipped pack under tmp_path/<name>; returns its pack.toml."""
    shutil.copytree(ANAKINRA_DIR, tmp_path / name)
    return tmp_path / name / "pack.toml"


def edit(path: Path, old: str, new: str, nth: int = 0) -> None:
    """Replace the nth occurrence (0-based) of `old` in a file."""
    text = path.read_text(encoding="utf-8")
    at = -1
    for _ in range(nth + 1):
        at = text.index(old, at + 1)
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")


def load_error(tmp_path: Path, key: str = "anakinra") -> PackError:
    with pytest.raises(PackError) as caught:
        load_pack(key, tmp_path)
    return caught.value


def test_wrong_tier_names_file_and_field(tmp_path: Path) -> None:
    toml = copy_pack(tmp_path)
    edit(toml, 'tier = "common"', 'tier = "severe"', nth=3)
    error = load_error(tmp_path)
    assert str(error).startswith(f"{toml}: side_effects.symptoms.3.tier: Input should be 'common' or 'serious'")
    assert "'severe'" in str(error)
    assert error.field == "side_effects.symptoms.3.tier"
    assert error.path == toml.resolve()
    assert "\n" not in str(error)


def test_wrong_verdict(tmp_path: Path) -> None:
    toml = copy_pack(tmp_path)
    edit(toml, 'verdict = "discard"', 'verdict = "toss"')
    error = load_error(tmp_path)
    assert "pack.toml: inspection.appearances.2.verdict: Input should be 'use', 'wait' or 'discard'" in str(error)


def test_missing_field(tmp_path: Path) -> None:
    toml = copy_pack(tmp_path)
    edit(toml, "units_per_box = 7", "")
    error = load_error(tmp_path)
    assert str(error) == f"{toml}: supply.units_per_box: Field required"


def test_unknown_field(tmp_path: Path) -> None:
    toml = copy_pack(tmp_path)
    edit(toml, "units_per_box = 7", "units_per_box = 7\nstorage = 'cold'")
    assert "supply.storage: Extra inputs are not permitted" in str(load_error(tmp_path))


def test_wrong_type(tmp_path: Path) -> None:
    toml = copy_pack(tmp_path)
    edit(toml, "units_per_box = 7", 'units_per_box = "seven"')
    assert "supply.units_per_box: Input should be a valid integer" in str(load_error(tmp_path))


def test_grid_must_be_positive(tmp_path: Path) -> None:
    toml = copy_pack(tmp_path)
    edit(toml, "rows = 4", "rows = 0")
    assert "sites.regions.0.rows: Input should be greater than 0" in str(load_error(tmp_path))


def test_several_problems_are_counted_in_one_message(tmp_path: Path) -> None:
    toml = copy_pack(tmp_path)
    edit(toml, "rows = 4", "rows = 0")
    edit(toml, "cols = 2", "cols = -1")
    message = str(load_error(tmp_path))
    assert "sites.regions.0.rows" in message and "(and 1 more problem)" in message


def test_bad_toml_names_the_line(tmp_path: Path) -> None:
    toml = copy_pack(tmp_path)
    lines = toml.read_text(encoding="utf-8").splitlines()
    lines.insert(4, "this is not toml")
    toml.write_text("\n".join(lines), encoding="utf-8")
    message = str(load_error(tmp_path))
    assert message.startswith(f"{toml}: TOML syntax error")
    assert "line 5" in message


def test_missing_markdown_file(tmp_path: Path) -> None:
    toml = copy_pack(tmp_path)
    (toml.parent / "sites.md").unlink()
    error = load_error(tmp_path)
    assert str(error).startswith(f"{toml}: sections.4.file: section file ")
    assert "sites.md does not exist" in str(error)


def test_section_file_must_stay_beside_the_pack(tmp_path: Path) -> None:
    toml = copy_pack(tmp_path)
    edit(toml, 'file = "about.md"', 'file = "../about.md"')
    assert "sections.9.file: '../about.md' should be a plain file name" in str(load_error(tmp_path))


def test_ambiguous_synonym(tmp_path: Path) -> None:
    toml = copy_pack(tmp_path)
    edit(toml, '"hives",', '"hives", "headache",')
    assert "side_effects.symptoms: 'headache' names both 'headache' and 'allergic-reaction'" in str(
        load_error(tmp_path)
    )


def test_synonyms_must_be_lower_case(tmp_path: Path) -> None:
    toml = copy_pack(tmp_path)
    edit(toml, '"itchy rash"', '"Itchy rash"')
    message = str(load_error(tmp_path))
    assert "side_effects.symptoms.6.synonyms.0: 'Itchy rash' should be lower-case" in message


def test_a_condition_sign_must_be_a_side_effect_of_the_pack(tmp_path: Path) -> None:
    toml = copy_pack(tmp_path)
    edit(toml, 'signs = ["fever",', 'signs = ["fevr",')
    assert "precautions: 'infection': signs 'fevr' are not side effects of this pack" in str(load_error(tmp_path))


def test_only_a_serious_symptom_can_be_an_emergency(tmp_path: Path) -> None:
    toml = copy_pack(tmp_path)
    edit(
        toml,
        'key = "headache"\nlabel = "Headache"\ntier = "common"\n',
        'key = "headache"\nlabel = "Headache"\ntier = "common"\nemergency = true\n',
    )
    assert "'headache': only a serious symptom can be an emergency" in str(load_error(tmp_path))


def test_journal_setting_must_name_a_field(tmp_path: Path) -> None:
    toml = copy_pack(tmp_path)
    edit(toml, 'field = "supply.reorder_lead_days"', 'field = "supply.reorder_days"')
    assert "journal_settings: item 0: 'supply.reorder_days' is not a field" in str(load_error(tmp_path))


def test_pack_key_must_match_folder(tmp_path: Path) -> None:
    toml = copy_pack(tmp_path, "kineret")
    error = load_error(tmp_path, "kineret")
    assert str(error) == f"{toml}: medication.key: 'anakinra' should match the folder name 'kineret'"


def test_missing_pack(tmp_path: Path) -> None:
    copy_pack(tmp_path)
    message = str(load_error(tmp_path, "aspirin"))
    assert "no content pack 'aspirin'" in message and "available: anakinra" in message
    assert "is not a content pack name" in str(load_error(tmp_path, "../anakinra"))


def test_not_utf8(tmp_path: Path) -> None:
    toml = copy_pack(tmp_path)
    toml.write_bytes(b"steps = ['\xff']\n")
    assert "not UTF-8" in str(load_error(tmp_path))


def test_relative_path_in_messages_inside_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_pack(tmp_path)
    edit(tmp_path / "anakinra" / "pack.toml", "units_per_box = 7", "")
    monkeypatch.chdir(tmp_path.parent)
    clear_cache()
    message = str(load_error(tmp_path))
    assert message.startswith(f"{tmp_path.name}/anakinra/pack.toml: supply.units_per_box")


def test_section_file_removed_after_loading(tmp_path: Path) -> None:
    toml = copy_pack(tmp_path)
    loaded = load_pack("anakinra", tmp_path)
    (toml.parent / "labs.md").unlink()
    with pytest.raises(PackError, match=re.escape("labs.md: cannot read section 'labs'")):
        loaded.section_text("labs")


# --- caching ----------------------------------------------------------------------------------------


def test_loaded_packs_are_cached_until_the_file_changes(tmp_path: Path) -> None:
    toml = copy_pack(tmp_path)
    first = load_pack("anakinra", tmp_path)
    assert load_pack("anakinra", tmp_path) is first
    edit(toml, "reorder_lead_days = 7", "reorder_lead_days = 10")
    stat = toml.stat()
    os.utime(toml, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load_pack("anakinra", tmp_path).supply.reorder_lead_days == 10


# --- a second, synthetic pack through the same code ---------------------------------------------------


def test_synthetic_pack_loads_through_the_same_code() -> None:
    assert available_packs(FIXTURE_PACKS) == ["testamab"]
    other = load_pack("testamab", FIXTURE_PACKS)
    assert other.medication.brands == ("Testix", "Probara")
    assert other.medication.codes.rxnorm is None
    assert other.medication.schedule.doses_per_day == 2
    assert other.supply.units_per_box == 5 and other.supply.unit == "pen"
    assert other.appearance("yellow").verdict is Verdict.DISCARD
    assert other.sites.spacing_cm == 3.0
    assert spot_distance_cm(other, "abdomen-upper:A1", "abdomen-upper:A2") == pytest.approx(3.0)
    assert spot_distance_cm(other, "abdomen-upper:A1", "shoulder:A1") == math.inf
    assert [r.key for r in other.sites.self_regions()] == ["abdomen-upper"]
    dizzy = other.find_symptom("Light-headed")
    assert dizzy is not None and dizzy.key == "dizziness" and dizzy.tier is Tier.COMMON
    assert other.find_symptom("rash") is None
    found = other.find_interaction("FAKERIN 10 mg")
    assert found is not None and found.generic == "fakeprofen"
    assert other.find_interaction("methotrexate") is None
    assert [p.key for p in other.match_allergy("peanuts")] == ["peanuts"]
    assert other.match_allergy("latex") == ()
    assert other.topics == ("about",)
    assert other.section_text("about").startswith("# About testamab")
    assert other.is_journal_setting("supply.reorder_lead_days")


def test_loader_hard_codes_no_medicine() -> None:
    for source in (REPO / "journal" / "content").glob("*.py"):
        text = source.read_text(encoding="utf-8").lower()
        for word in ("anakinra", "kineret", "methotrexate", "thigh"):
            assert word not in text, f"{source.name} mentions {word!r}"


def test_loading_content_does_not_import_textual() -> None:
    code = "import sys, journal.content as c; c.load_pack('anakinra'); print('textual' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO, check=True)
    assert result.stdout.strip() == "False"
