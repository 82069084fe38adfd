"""The FHIR bundle follows the rules of the International Patient Summary (HL7 IPS 1.1, the FSH
profiles in HL7/fhir-ips input/fsh/profiles) that a consumer checks, and still validates as R4."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from journal import models as m
from journal.export.fhir import render_fhir
from journal.summary.model import VisitSummary

IPS = "http://hl7.org/fhir/uv/ips/StructureDefinition/"
DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
# Composition-uv-ips: each section slice's LOINC code and the resource types its entries may point at
# (the Patient Story section allows any resource type).
SECTION_ENTRIES: dict[str, set[str] | None] = {
    "10160-0": {"MedicationStatement", "MedicationRequest", "MedicationAdministration", "MedicationDispense"},
    "48765-2": {"AllergyIntolerance", "DocumentReference"},
    "11450-4": {"Condition", "DocumentReference"},
    "30954-2": {"Observation", "DiagnosticReport", "Media", "DocumentReference"},
    "81338-6": None,
}
REQUIRED_SECTIONS = {"10160-0", "48765-2", "11450-4"}
PROFILES = {
    "Bundle": "Bundle-uv-ips",
    "Composition": "Composition-uv-ips",
    "Patient": "Patient-uv-ips",
    "MedicationStatement": "MedicationStatement-uv-ips",
    "AllergyIntolerance": "AllergyIntolerance-uv-ips",
    "Condition": "Condition-uv-ips",
}
# R4 AdverseEvent: required bindings.
AE_SEVERITY = ("http://terminology.hl7.org/CodeSystem/adverse-event-severity", {"mild", "moderate", "severe"})
AE_OUTCOME = (
    "http://terminology.hl7.org/CodeSystem/adverse-event-outcome",
    {"resolved", "recovering", "ongoing", "resolvedWithSequelae", "fatal", "unknown"},
)


@pytest.fixture(params=["demo", "empty"])
def bundle(request: pytest.FixtureRequest, demo_summary: VisitSummary, empty_summary: VisitSummary) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(render_fhir(demo_summary if request.param == "demo" else empty_summary))
    return parsed


def _by_url(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["fullUrl"]: e["resource"] for e in bundle["entry"]}


def _absent(element: Any) -> bool:
    return any(x.get("url") == DATA_ABSENT for x in (element or {}).get("extension", []))


def test_it_still_validates_as_r4(bundle: dict[str, Any]) -> None:
    assert Bundle.model_validate(bundle).type == "document"


def test_every_section_has_its_ips_code_a_narrative_and_entries_of_the_allowed_types(bundle: dict[str, Any]) -> None:
    resources = _by_url(bundle)
    sections = bundle["entry"][0]["resource"]["section"]
    codes = []
    for section in sections:
        (coding,) = section["code"]["coding"]
        assert coding["system"] == "http://loinc.org" and coding["code"] in SECTION_ENTRIES
        codes.append(coding["code"])
        assert section["title"] and section["text"]["div"].startswith('<div xmlns="http://www.w3.org/1999/xhtml">')
        assert ("entry" in section) != ("emptyReason" in section)  # ips-comp-1
        allowed = SECTION_ENTRIES[coding["code"]]
        for entry in section.get("entry", []):
            kind = resources[entry["reference"]]["resourceType"]
            assert allowed is None or kind in allowed, (coding["code"], kind)
    assert set(codes) >= REQUIRED_SECTIONS and len(codes) == len(set(codes))
    # Every clinical resource of the bundle is reachable from a section.
    listed = {e["reference"] for s in sections for e in s.get("entry", [])}
    for url, resource in resources.items():
        if resource["resourceType"] not in {"Composition", "Patient", "Practitioner", "Organization"}:
            assert url in listed, resource["resourceType"]


def test_the_ips_resources_claim_their_profiles(bundle: dict[str, Any]) -> None:
    assert bundle["meta"]["profile"] == [IPS + PROFILES["Bundle"]]
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] in PROFILES:
            assert resource["meta"]["profile"] == [IPS + PROFILES[resource["resourceType"]]]
    composition = bundle["entry"][0]["resource"]
    assert composition["event"][0]["code"][0]["coding"][0]["code"] == "PCPR"


def test_the_patient_has_a_name_and_a_birth_date_or_says_why_not(bundle: dict[str, Any]) -> None:
    patient = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    assert bundle["entry"][1]["resource"] is patient
    names = patient["name"]
    assert names and all(n.get("text") or n.get("family") or n.get("given") for n in names)  # ips-pat-1
    assert "birthDate" in patient or _absent(patient.get("_birthDate"))


def test_the_empty_journal_patient_is_not_empty(empty_summary: VisitSummary) -> None:
    patient = json.loads(render_fhir(empty_summary))["entry"][1]["resource"]
    assert _absent(patient["name"][0]) and _absent(patient["_birthDate"])


def test_every_medication_statement_has_effective_or_its_absent_reason(bundle: dict[str, Any]) -> None:
    statements = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "MedicationStatement"]
    for statement in statements:
        present = [k for k in statement if k.startswith("effective")]
        assert present or _absent(statement.get("_effectiveDateTime")), statement["id"]


def test_a_medicine_without_a_start_date_says_it_is_unknown(demo_summary: VisitSummary) -> None:
    undated = replace(demo_summary, medicines=[replace(med, started=None) for med in demo_summary.medicines])
    bundle = json.loads(render_fhir(undated))
    statements = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "MedicationStatement"]
    assert statements and all(_absent(s["_effectiveDateTime"]) for s in statements)
    assert Bundle.model_validate(bundle).type == "document"


def test_adverse_events_use_the_r4_value_sets(demo_summary: VisitSummary) -> None:
    bundle = json.loads(render_fhir(demo_summary))
    events = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "AdverseEvent"]
    assert events
    for event in events:
        for key, (system, codes) in (("severity", AE_SEVERITY), ("outcome", AE_OUTCOME)):
            if key in event:
                assert all(c["system"] == system and c["code"] in codes for c in event[key]["coding"]), event[key]
        assert "outcome" in event


def test_lab_results_are_laboratory_observations_in_the_results_section_with_ucum_units(
    demo_summary: VisitSummary,
) -> None:
    at = demo_summary.generated_at
    results = [
        m.LabResult(test="Neutrophils", value=1.8, unit="x10^9/L", range_low=2.0, range_high=7.5, at=at, tz="UTC"),
        m.LabResult(test="ALT", value=31.0, unit="U/L", range_high=45.0, at=at, tz="UTC"),
        m.LabResult(test="Ferritin", value=80.0, unit="nanograms per mL", at=at, tz="UTC"),
    ]
    data = replace(demo_summary, records=replace(demo_summary.records, lab_results=results))
    bundle = json.loads(render_fhir(data))
    assert Bundle.model_validate(bundle).type == "document"
    resources = _by_url(bundle)
    section = next(s for s in bundle["entry"][0]["resource"]["section"] if s["code"]["coding"][0]["code"] == "30954-2")
    observations = [resources[e["reference"]] for e in section["entry"]]
    assert [o["code"]["text"] for o in observations] == ["Neutrophils", "ALT", "Ferritin"]
    for observation in observations:
        assert observation["meta"]["profile"] == [IPS + "Observation-results-laboratory-pathology-uv-ips"]
        assert observation["category"][0]["coding"][0]["code"] == "laboratory"
        assert observation["effectiveDateTime"] and observation["performer"] and observation["subject"]
    neutrophils, alt, ferritin = (o["valueQuantity"] for o in observations)
    assert (neutrophils["system"], neutrophils["code"], neutrophils["unit"]) == (
        "http://unitsofmeasure.org",
        "10*9/L",
        "x10^9/L",
    )
    assert observations[0]["interpretation"][0]["coding"][0]["code"] == "L"
    assert observations[0]["referenceRange"][0]["low"]["value"] == 2.0
    assert alt["code"] == "U/L" and "low" not in observations[1]["referenceRange"][0]
    assert "system" not in ferritin and "code" not in ferritin and ferritin["unit"] == "nanograms per mL"
    assert "Neutrophils: 1.8 x10^9/L (low)" in section["text"]["div"]


def test_two_documents_made_in_the_same_second_have_their_own_identifiers(demo_summary: VisitSummary) -> None:
    first, second = (json.loads(render_fhir(demo_summary)) for _ in range(2))
    assert first["timestamp"] == second["timestamp"]
    assert first["identifier"]["value"] != second["identifier"]["value"]
    assert first["entry"][0]["resource"]["id"] != second["entry"][0]["resource"]["id"]
    # Inside one document, the identifier is the bundle's own.
    assert first["identifier"]["value"].endswith(first["id"])


def test_allergies_are_active_and_reported_by_the_patient_and_conditions_active(demo_summary: VisitSummary) -> None:
    bundle = json.loads(render_fhir(demo_summary))
    allergies = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "AllergyIntolerance"]
    conditions = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Condition"]
    assert allergies and conditions
    for allergy in allergies:
        assert allergy["clinicalStatus"]["coding"][0]["code"] == "active"
        assert allergy["verificationStatus"]["coding"][0] == {
            "system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
            "code": "unconfirmed",
        }
    for condition in conditions:
        assert condition["clinicalStatus"]["coding"][0] == {
            "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
            "code": "active",
        }


def test_no_side_effect_names_a_suspect_medicine_the_patient_did_not_link(demo_summary: VisitSummary) -> None:
    # "Hives after ibuprofen?" must not name anakinra: the journal records no link to a medicine.
    bundle = json.loads(render_fhir(demo_summary))
    events = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "AdverseEvent"]
    assert events
    assert all("suspectEntity" not in event for event in events)
