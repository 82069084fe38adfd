"""The FHIR export is a valid R4 International Patient Summary document whose references all resolve."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from journal import models as m
from journal.export.fhir import render_fhir
from journal.summary.model import VisitSummary


@pytest.fixture(scope="module")
def bundle(demo_summary: VisitSummary) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(render_fhir(demo_summary))
    return parsed


def _references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference" and isinstance(value, str):
                yield value
            else:
                yield from _references(value)
    elif isinstance(node, list):
        for item in node:
            yield from _references(item)


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_bundle_validates_against_the_r4_models(bundle: dict[str, Any]) -> None:
    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "document"
    assert parsed.identifier is not None and parsed.timestamp is not None


def test_composition_comes_first_with_the_ips_sections(bundle: dict[str, Any]) -> None:
    composition = bundle["entry"][0]["resource"]
    assert composition["resourceType"] == "Composition"
    assert composition["type"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "60591-5",
        "display": "Patient summary Document",
    }
    codes = [s["code"]["coding"][0]["code"] for s in composition["section"]]
    assert codes == ["10160-0", "48765-2", "11450-4", "30954-2", "81338-6"]
    for section in composition["section"]:
        assert section["text"]["div"].startswith('<div xmlns="http://www.w3.org/1999/xhtml">')
        assert ("entry" in section) != ("emptyReason" in section)


def test_every_reference_resolves_inside_the_bundle(bundle: dict[str, Any]) -> None:
    full_urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(full_urls) == len(set(full_urls))
    references = list(_references(bundle))
    assert references
    assert set(references) <= set(full_urls)


def test_one_statement_per_active_medicine_and_codes_only_where_reliable(
    bundle: dict[str, Any], demo_summary: VisitSummary
) -> None:
    statements = _resources(bundle, "MedicationStatement")
    assert sorted(s["medicationCodeableConcept"]["text"] for s in statements) == sorted(
        med.label for med in demo_summary.medicines
    )
    coded = [s for s in statements if "coding" in s["medicationCodeableConcept"]]
    assert [c["medicationCodeableConcept"]["coding"][0]["code"] for c in coded] == ["72435"]
    assert coded[0]["dosage"][0]["route"]["coding"][0] == {
        "system": "http://snomed.info/sct",
        "code": "34206005",
        "display": "Subcutaneous route",
    }
    systems = {c["system"] for r in bundle["entry"] for c in _codings(r["resource"])}
    assert systems <= {
        "http://loinc.org",
        "http://www.nlm.nih.gov/research/umls/rxnorm",
        "http://snomed.info/sct",
        "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
        "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
        "http://terminology.hl7.org/CodeSystem/condition-clinical",
        # Required or IPS-fixed codes with no clinical judgement in them.
        "http://terminology.hl7.org/CodeSystem/adverse-event-severity",
        "http://terminology.hl7.org/CodeSystem/adverse-event-outcome",
        "http://terminology.hl7.org/CodeSystem/observation-category",
        "http://terminology.hl7.org/CodeSystem/v3-ActClass",
        "http://unitsofmeasure.org",
        "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
    }


def _codings(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "coding":
                yield from value
            else:
                yield from _codings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _codings(item)


def test_each_dose_and_discarded_syringe_is_an_administration(
    bundle: dict[str, Any], demo_summary: VisitSummary
) -> None:
    given = _resources(bundle, "MedicationAdministration")
    doses = demo_summary.records.doses
    statuses = Counter(a["status"] for a in given)
    taken = sum(1 for d in doses if d.status is m.DoseStatus.TAKEN)
    assert statuses["completed"] == taken
    assert statuses["not-done"] == len(doses) - taken + len(demo_summary.discarded)
    reasons = [a["statusReason"][0]["text"] for a in given if a["status"] == "not-done"]
    assert any(r.startswith("skipped dose: fever") for r in reasons)
    assert any("syringe discarded, it looked cloudy" in r for r in reasons)
    assert all("site" in a["dosage"] for a in given if a["status"] == "completed")


def test_side_effects_and_check_ins_are_carried(bundle: dict[str, Any], demo_summary: VisitSummary) -> None:
    events = _resources(bundle, "AdverseEvent")
    assert [e["event"]["text"] for e in events] == [e.symptom for e in demo_summary.side_effects]
    assert events[0]["severity"]["text"] == "moderate"
    observations = _resources(bundle, "Observation")
    assert len(observations) == len(demo_summary.records.checkins)
    assert any(o.get("note", [{}])[0].get("text") == "<script>alert(1)</script>" for o in observations)


def test_user_text_in_the_narrative_is_escaped(bundle: dict[str, Any]) -> None:
    divs = " ".join(s["text"]["div"] for s in bundle["entry"][0]["resource"]["section"])
    assert "<script>" not in divs
