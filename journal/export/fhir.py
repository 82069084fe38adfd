"""The visit summary as a FHIR R4 document Bundle following the International Patient Summary (IPS 1.1).

Composition first (LOINC 60591-5), then the resources its sections point at. Every section
has its IPS LOINC code and a narrative: Medication Summary (10160-0) with the medicines
and the period's doses and discarded syringes (MedicationAdministration is allowed
there); Allergies (48765-2); Problems (11450-4); Results (30954-2) with the laboratory
results; Patient Story (81338-6, any resource type) with the side effects and check-ins
the patient recorded. The IPS resources carry their profile in meta.profile; what the
profiles require and the journal does not know (a start date, a birth date) carries a
data-absent-reason. Clinical codes appear only where reliable (the pack's RxNorm code,
the SNOMED CT route code, UCUM units); everything else is text.
Every reference is a `urn:uuid:` that some entry's fullUrl carries.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from html import escape
from typing import Any

from journal import models as m
from journal.export._escape import plain
from journal.summary.model import MedicineEntry, VisitSummary
from journal.when import format_local, iso_utc

LOINC = "http://loinc.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
SNOMED = "http://snomed.info/sct"
# The one non-clinical code system used: an R4 invariant (ait-1) requires an allergy's clinicalStatus.
ALLERGY_CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
ALLERGY_VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
# R4 binds AdverseEvent.severity and .outcome to these value sets (required).
AE_SEVERITY = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
AE_OUTCOME = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"
DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
ACT_CLASS = "http://terminology.hl7.org/CodeSystem/v3-ActClass"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
IPS_PROFILE = "http://hl7.org/fhir/uv/ips/StructureDefinition/"
UCUM = "http://unitsofmeasure.org"
# Units as people type them on lab reports -> their UCUM code. Only these are sent as UCUM;
# any other unit goes as text alone (a wrong UCUM code is worse than none).
_UCUM = {
    typed.casefold(): code
    for code, forms in {
        "g/L": ["g/L"],
        "g/dL": ["g/dL"],
        "mg/dL": ["mg/dL"],
        "mg/L": ["mg/L"],
        "ug/L": ["ug/L", "µg/L", "μg/L", "mcg/L"],
        "ng/mL": ["ng/mL"],
        "pg/mL": ["pg/mL"],
        "mmol/L": ["mmol/L"],
        "umol/L": ["umol/L", "µmol/L", "μmol/L"],
        "nmol/L": ["nmol/L"],
        "pmol/L": ["pmol/L"],
        "mol/L": ["mol/L"],
        "mEq/L": ["mEq/L"],
        "U/L": ["U/L"],
        "[IU]/L": ["IU/L", "[IU]/L"],
        "[IU]/mL": ["IU/mL", "[IU]/mL"],
        "10*9/L": ["10*9/L", "10^9/L", "x10^9/L", "×10^9/L", "x 10^9/L", "G/L", "10⁹/L", "×10⁹/L"],
        "10*12/L": ["10*12/L", "10^12/L", "x10^12/L", "×10^12/L", "T/L", "10¹²/L", "×10¹²/L"],
        "10*3/uL": ["10*3/uL", "10^3/uL", "x10^3/uL", "K/uL", "10^3/µL", "x10^3/µL"],
        "10*6/uL": ["10*6/uL", "10^6/uL", "x10^6/uL", "M/uL"],
        "%": ["%"],
        "fL": ["fL"],
        "pg": ["pg"],
        "mm/h": ["mm/h", "mm/hr"],
        "mL/min": ["mL/min"],
        "mL/min/{1.73_m2}": ["mL/min/1.73m2", "mL/min/1.73 m2", "mL/min/1.73m²", "mL/min/{1.73_m2}"],
        "s": ["s", "sec"],
        "{ratio}": ["ratio", "INR"],
    }.items()
    for typed in forms
}

# The IPS section codes used here (Composition-uv-ips).
SECTIONS = {
    "medications": ("10160-0", "History of Medication use Narrative"),
    "allergies": ("48765-2", "Allergies and adverse reactions Document"),
    "problems": ("11450-4", "Problem list - Reported"),
    "results": ("30954-2", "Relevant diagnostic tests/laboratory data Narrative"),
    "story": ("81338-6", "Patient Goals, preferences, and priorities for care experience"),
}
_NAMESPACE = uuid.UUID("6f1f8a52-8c55-4a0b-9a5e-3c1e8d2b7a10")


def _profiled(resource: dict[str, Any], profile: str) -> dict[str, Any]:
    """`resource` claiming an IPS profile (its meta.profile), the id first."""
    resource["meta"] = {"profile": [IPS_PROFILE + profile]}
    return resource


def _absent(reason: str = "unknown") -> dict[str, Any]:
    """The extension of a primitive the journal does not know (`_birthDate`, `_effectiveDateTime`)."""
    return {"extension": [{"url": DATA_ABSENT, "valueCode": reason}]}


def _urn(value: str) -> str:
    return f"urn:uuid:{value}"


def _id_for(record_id: str | None, fallback: str) -> str:
    # Record ids are UUID hex: reuse them, so the same record keeps its id across exports.
    if record_id:
        try:
            return str(uuid.UUID(hex=record_id))
        except ValueError:
            return str(uuid.uuid5(_NAMESPACE, record_id))
    return str(uuid.uuid5(_NAMESPACE, fallback))


def _text(value: str) -> str:
    return plain(value)


def _narrative(lines: list[str]) -> dict[str, str]:
    items = "".join(f"<li>{escape(_text(line))}</li>" for line in lines)
    body = f"<ul>{items}</ul>" if lines else "<p>No information recorded in the journal.</p>"
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'}


def _loinc(code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": LOINC, "code": code, "display": display}], "text": display}


def _medication_concept(med: MedicineEntry) -> dict[str, Any]:
    concept: dict[str, Any] = {"text": _text(med.label)}
    if med.rxnorm:
        concept["coding"] = [{"system": RXNORM, "code": med.rxnorm, "display": med.generic or med.name}]
    return concept


def _route(med: MedicineEntry | None) -> dict[str, Any] | None:
    if med is None or not med.route:
        return None
    route: dict[str, Any] = {"text": _text(med.route)}
    if med.route_snomed:
        route["coding"] = [{"system": SNOMED, "code": med.route_snomed, "display": "Subcutaneous route"}]
    return route


class _Bundle:
    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    def add(self, resource: dict[str, Any]) -> str:
        reference = _urn(resource["id"])
        self.entries.append({"fullUrl": reference, "resource": resource})
        return reference


def build_bundle(data: VisitSummary) -> dict[str, Any]:
    """The IPS document Bundle as plain JSON-ready data."""
    bundle = _Bundle()
    meds_by_id = {med.id: med for med in data.medicines}
    all_meds = {med.id: med for med in data.records.medications}
    patient_id = _id_for(data.patient.id, "patient")
    patient_ref = _urn(patient_id)
    p = data.patient

    patient: dict[str, Any] = _profiled({"resourceType": "Patient", "id": patient_id}, "Patient-uv-ips")
    # IPS requires a name with a text (ips-pat-1) and a birth date: when not recorded, say so.
    if p.name:
        patient["name"] = [{"text": _text(p.name)}]
    else:
        patient["name"] = [{**_absent(), "text": "name not recorded"}]
    if p.born:
        patient["birthDate"] = p.born.isoformat()
    else:
        patient["_birthDate"] = _absent()
    contacts = []
    if p.emergency_contact:
        contacts.append({"relationship": [{"text": "emergency contact"}], "name": {"text": _text(p.emergency_contact)}})
    extra: list[dict[str, Any]] = []
    if p.doctor:
        doctor_id = _id_for(None, f"doctor:{patient_id}")
        extra.append({"resourceType": "Practitioner", "id": doctor_id, "name": [{"text": _text(p.doctor)}]})
        patient["generalPractitioner"] = [{"reference": _urn(doctor_id), "display": _text(p.doctor)}]
    if p.pharmacy:
        pharmacy_id = _id_for(None, f"pharmacy:{patient_id}")
        extra.append({"resourceType": "Organization", "id": pharmacy_id, "name": _text(p.pharmacy)})
        contacts.append({"relationship": [{"text": "pharmacy"}], "organization": {"reference": _urn(pharmacy_id)}})
    if contacts:
        patient["contact"] = contacts

    subject = {"reference": patient_ref}
    statements: list[tuple[str, str]] = []
    statement_ref: dict[str, str] = {}
    statement_resources: list[dict[str, Any]] = []
    for med in data.medicines:
        resource: dict[str, Any] = _profiled(
            {
                "resourceType": "MedicationStatement",
                "id": _id_for(med.id, f"statement:{med.name}"),
                "status": "active",
                "medicationCodeableConcept": _medication_concept(med),
                "subject": subject,
                "dateAsserted": iso_utc(data.generated_at),
            },
            "MedicationStatement-uv-ips",
        )
        # effective[x] is required by IPS: the start date, else its data-absent-reason.
        if med.started:
            resource["effectivePeriod"] = {"start": med.started.isoformat()}
        else:
            resource["_effectiveDateTime"] = _absent()
        dosage: dict[str, Any] = {}
        if med.directions:
            dosage["text"] = _text(med.directions)
        route = _route(med)
        if route:
            dosage["route"] = route
        if dosage:
            resource["dosage"] = [dosage]
        if med.reason:
            resource["reasonCode"] = [{"text": _text(med.reason)}]
        notes = [f"Kind: {med.kind.value}"] + [_text(flag) for flag in med.flags]
        resource["note"] = [{"text": note} for note in notes]
        statement_resources.append(resource)
        statement_ref[med.id] = _urn(resource["id"])
        statements.append((statement_ref[med.id], med.label))

    allergy_resources = []
    for allergy in data.allergies:
        resource = _profiled(
            {
                "resourceType": "AllergyIntolerance",
                "id": _id_for(allergy.id, f"allergy:{allergy.substance}"),
                "clinicalStatus": {"coding": [{"system": ALLERGY_CLINICAL, "code": "active"}], "text": "active"},
                # Said by the patient, not confirmed by a clinician's test.
                "verificationStatus": {
                    "coding": [{"system": ALLERGY_VERIFICATION, "code": "unconfirmed"}],
                    "text": "reported by the patient",
                },
                "code": {"text": _text(allergy.substance)},
                "patient": subject,
            },
            "AllergyIntolerance-uv-ips",
        )
        if allergy.reaction:
            resource["reaction"] = [{"manifestation": [{"text": _text(allergy.reaction)}]}]
        if allergy.flags:
            resource["note"] = [{"text": _text(flag)} for flag in allergy.flags]
        allergy_resources.append(resource)

    condition_resources = []
    for condition in data.conditions:
        resource = _profiled(
            {
                "resourceType": "Condition",
                "id": _id_for(condition.id, f"condition:{condition.name}"),
                # The journal lists the conditions the person has now.
                "clinicalStatus": {"coding": [{"system": CONDITION_CLINICAL, "code": "active"}], "text": "active"},
                "code": {"text": _text(condition.name)},
                "subject": subject,
            },
            "Condition-uv-ips",
        )
        if condition.since:
            resource["onsetDateTime"] = condition.since.isoformat()
        if condition.flags:
            resource["note"] = [{"text": _text(flag)} for flag in condition.flags]
        condition_resources.append(resource)

    administrations = _administrations(data, subject, meds_by_id, all_meds)
    events = _adverse_events(data, subject)
    observations = _observations(data, subject)
    lab_observations = _lab_observations(data, subject)

    def refs(resources: list[dict[str, Any]]) -> list[dict[str, str]]:
        return [{"reference": _urn(r["id"])} for r in resources]

    def section(key: str, title: str, lines: list[str], resources: list[dict[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {"title": title, "code": _loinc(*SECTIONS[key]), "text": _narrative(lines)}
        if resources:
            result["entry"] = refs(resources)
        else:
            result["emptyReason"] = {"text": "No information recorded in the journal"}
        return result

    period_text = data.period.text
    medication_lines = [
        f"{med.label} ({med.kind.value})" + (f": {med.directions}" if med.directions else "") for med in data.medicines
    ]
    medication_lines += [
        f"{a.as_needed_text()} ({period_text})"
        if a.as_needed
        else f"{a.medicine}: {a.taken} of {a.days_expected} expected days taken, {a.skipped} skipped, "
        f"{a.missed} missed ({period_text})"
        for a in data.adherence
    ]
    medication_lines += [f"Syringe discarded {d.at_local}: {d.reason}" for d in data.discarded]
    story_lines = [
        f"Side effect: {e.symptom} (recorded as {e.tier.value}), from {e.started_local}"
        + ("" if e.open else f" to {e.resolved_local}")
        for e in data.side_effects
    ]
    story_lines += [
        f"Check-ins, week of {w.week_start.isoformat()}: pain {w.pain}, swelling {w.swelling}, stiffness "
        f"{w.stiffness_minutes} min"
        for w in data.trend
    ]
    sections = [
        section("medications", "Medication Summary", medication_lines, statement_resources + administrations),
        section(
            "allergies",
            "Allergies and Intolerances",
            [a.substance + (f" ({a.reaction})" if a.reaction else "") for a in data.allergies],
            allergy_resources,
        ),
        section("problems", "Problem List", [c.name for c in data.conditions], condition_resources),
        section(
            "results",
            "Results",
            [
                f"{r.test}: {m.format_number(r.value)}"
                + (f" {r.unit}" if r.unit else "")
                + (f" ({r.out_of_range})" if r.out_of_range else "")
                + f", {format_local(r.at, r.tz)}"
                for r in data.records.lab_results
            ],
            lab_observations,
        ),
        section("story", f"Recorded by the patient, {period_text}", story_lines, events + observations),
    ]
    composition = {
        "resourceType": "Composition",
        # Each document its own: two made in the same second are still two documents.
        "id": str(uuid.uuid4()),
        "meta": {"profile": [IPS_PROFILE + "Composition-uv-ips"]},
        "status": "final",
        "type": _loinc("60591-5", "Patient summary Document"),
        "subject": subject,
        "date": iso_utc(data.generated_at),
        "author": [subject],
        "title": "Patient summary from a personal medication journal",
        "event": [
            {
                "code": [{"coding": [{"system": ACT_CLASS, "code": "PCPR"}]}],
                "period": {"start": iso_utc(data.period.since), "end": iso_utc(data.period.until)},
            }
        ],
        "section": sections,
    }
    bundle.add(composition)
    bundle.add(patient)
    for resource in [
        *extra,
        *statement_resources,
        *allergy_resources,
        *condition_resources,
        *administrations,
        *events,
        *observations,
        *lab_observations,
    ]:
        bundle.add(resource)
    return {
        "resourceType": "Bundle",
        "id": _id_for(None, f"bundle:{composition['id']}"),
        "meta": {"profile": [IPS_PROFILE + "Bundle-uv-ips"]},
        "identifier": {"system": "urn:ietf:rfc:3986", "value": _urn(_id_for(None, f"bundle:{composition['id']}"))},
        "type": "document",
        "timestamp": iso_utc(data.generated_at),
        "entry": bundle.entries,
    }


def _administrations(
    data: VisitSummary,
    subject: dict[str, str],
    meds_by_id: dict[str, MedicineEntry],
    all_meds: dict[str, m.Medication],
) -> list[dict[str, Any]]:
    found: list[tuple[datetime, dict[str, Any]]] = []

    def concept(medication_id: str) -> dict[str, Any]:
        entry = meds_by_id.get(medication_id)
        if entry is not None:
            return _medication_concept(entry)
        record = all_meds.get(medication_id)
        return {"text": _text(record.describe() if record else "unknown medicine")}

    for dose in data.records.doses:
        resource: dict[str, Any] = {
            "resourceType": "MedicationAdministration",
            "id": _id_for(dose.id, f"dose:{dose.at}"),
            "status": "completed" if dose.status is m.DoseStatus.TAKEN else "not-done",
            "medicationCodeableConcept": concept(dose.medication_id),
            "subject": subject,
            "effectiveDateTime": iso_utc(dose.at),
        }
        if dose.status is not m.DoseStatus.TAKEN:
            reason = f"{dose.status.value} dose" + (f": {dose.reason}" if dose.reason else "")
            resource["statusReason"] = [{"text": _text(reason)}]
        dosage: dict[str, Any] = {}
        if dose.amount:  # as the schedule step in force said it ("20 mg")
            dosage["text"] = _text(dose.amount)
        site = dose.spot or dose.region
        if site:
            dosage["site"] = {"text": _text(site)}
        route = _route(meds_by_id.get(dose.medication_id))
        if route and dose.status is m.DoseStatus.TAKEN:
            dosage["route"] = route
        if dosage:
            resource["dosage"] = dosage
        notes = [f"given by {'someone else' if dose.given_by is m.GivenBy.OTHER else 'the patient'}"]
        if dose.leftover:
            notes.append("solution was left in the syringe (not re-injected)")
        if dose.note:
            notes.append(_text(dose.note))
        resource["note"] = [{"text": n} for n in notes]
        found.append((dose.at, resource))
    for check in data.records.syringe_checks:
        if check.outcome is not m.CheckOutcome.DISCARDED:
            continue
        why: str | None = next((d.reason for d in data.discarded if d.id == check.id), check.reason)
        found.append(
            (
                check.at,
                {
                    "resourceType": "MedicationAdministration",
                    "id": _id_for(check.id, f"check:{check.at}"),
                    "status": "not-done",
                    "statusReason": [
                        {"text": _text(f"syringe discarded, it looked {check.appearance.value}: {why or ''}")}
                    ],
                    "medicationCodeableConcept": concept(check.medication_id),
                    "subject": subject,
                    "effectiveDateTime": iso_utc(check.at),
                },
            )
        )
    return [resource for _, resource in sorted(found, key=lambda pair: pair[0])]


def _adverse_events(data: VisitSummary, subject: dict[str, str]) -> list[dict[str, Any]]:
    # No suspect medicine is named: the journal does not record which medicine a side effect
    # came from, and guessing (the pack's medicine, for hives after ibuprofen) would mislead.
    events = []
    for effect in data.side_effects:
        resource: dict[str, Any] = {
            "resourceType": "AdverseEvent",
            "id": _id_for(effect.id, f"effect:{effect.started_at}"),
            "actuality": "actual",
            "event": {"text": _text(effect.symptom)},
            "subject": subject,
            "date": iso_utc(effect.started_at),
            "seriousness": {"text": f"recorded as a {effect.tier.value} side effect"},
            "outcome": _coded(AE_OUTCOME, "ongoing" if effect.open else "resolved"),
        }
        if effect.severity:
            resource["severity"] = _coded(AE_SEVERITY, effect.severity.value)
        events.append(resource)
    return events


def _coded(system: str, code: str) -> dict[str, Any]:
    """A CodeableConcept of one code (its code as the display and text)."""
    return {"coding": [{"system": system, "code": code, "display": code}], "text": code}


def ucum(unit: str | None) -> str | None:
    """The UCUM code of a typed lab unit, or None when the journal does not know it as one."""
    return _UCUM.get(unit.strip().casefold()) if unit else None


def _lab_observations(data: VisitSummary, subject: dict[str, str]) -> list[dict[str, Any]]:
    """Each lab result as an IPS laboratory Observation (Observation-results-laboratory-pathology-uv-ips)."""
    observations = []
    for result in data.records.lab_results:
        quantity: dict[str, Any] = {"value": result.value}
        if result.unit:
            quantity["unit"] = _text(result.unit)
        code = ucum(result.unit)
        if code:
            quantity.update({"system": UCUM, "code": code})
        resource: dict[str, Any] = _profiled(
            {
                "resourceType": "Observation",
                "id": _id_for(result.id, f"lab:{result.test}:{result.at}"),
                "status": "final",
                "category": [_coded(OBSERVATION_CATEGORY, "laboratory")],
                "code": {"text": _text(result.test)},
                "subject": subject,
                "effectiveDateTime": iso_utc(result.at),
                # The profile needs a performer; the journal knows only who recorded the result.
                "performer": [{**subject, "display": "recorded by the patient from the lab's report"}],
                "valueQuantity": quantity,
            },
            "Observation-results-laboratory-pathology-uv-ips",
        )
        if result.range_low is not None or result.range_high is not None:
            bounds: dict[str, Any] = {}
            for key, value in (("low", result.range_low), ("high", result.range_high)):
                if value is not None:
                    bound = {k: v for k, v in quantity.items() if k != "value"}
                    bounds[key] = {"value": value, **bound}
            resource["referenceRange"] = [bounds]
        if result.out_of_range:
            flag = {"low": "L", "high": "H"}[result.out_of_range]
            resource["interpretation"] = [
                {
                    "coding": [{"system": INTERPRETATION, "code": flag, "display": result.out_of_range.capitalize()}],
                    "text": result.out_of_range,
                }
            ]
        if result.note:
            resource["note"] = [{"text": _text(result.note)}]
        observations.append(resource)
    return observations


def _observations(data: VisitSummary, subject: dict[str, str]) -> list[dict[str, Any]]:
    observations = []
    for checkin in data.records.checkins:
        components = []
        for label, value, unit in (
            ("Pain score (0-10)", checkin.pain, None),
            ("Swelling score (0-10)", checkin.swelling, None),
            ("Morning stiffness", checkin.stiffness_minutes, "min"),
        ):
            if value is None:
                continue
            component: dict[str, Any] = {"code": {"text": label}}
            if unit:
                component["valueQuantity"] = {"value": value, "unit": unit}
            else:
                component["valueInteger"] = value
            components.append(component)
        resource: dict[str, Any] = {
            "resourceType": "Observation",
            "id": _id_for(checkin.id, f"checkin:{checkin.at}"),
            "status": "final",
            "category": [_coded(OBSERVATION_CATEGORY, "survey")],
            "code": {"text": "How the treatment is working: patient check-in"},
            "subject": subject,
            "effectiveDateTime": iso_utc(checkin.at),
        }
        if components:
            resource["component"] = components
        if checkin.note:
            resource["note"] = [{"text": _text(checkin.note)}]
        observations.append(resource)
    return observations


def render_fhir(data: VisitSummary) -> str:
    """The IPS document Bundle as JSON text."""
    return json.dumps(build_bundle(data), indent=2, ensure_ascii=False) + "\n"
