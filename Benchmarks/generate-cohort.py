#!/usr/bin/env python3
"""Generates a seeded synthetic cohort of knee patients as JSON Lines, one patient per line.

Every field of Rules/profile.yaml is drawn from a realistic distribution for a knee clinic
(diagnosis mix, ages by diagnosis, BMI, Kellgren-Lawrence grades, care histories, labs,
medications, injections and surgeries dated around as_of), and fields are left out at
realistic rates so that the rule engine's unknowns are exercised.

    python3 Benchmarks/generate-cohort.py --count 100000 --seed 7 > cohort.jsonl
    python3 Benchmarks/generate-cohort.py --count 1000 --complete   # no missing fields

Only the standard library is used, so that the same seed gives the same file anywhere.
"""
import argparse
import datetime
import json
import random
import sys

DIAGNOSES = [("knee_osteoarthritis", 0.45), ("patellofemoral_pain", 0.25),
             ("patellar_tendinopathy", 0.22), ("other", 0.08)]
CARE = ["physical_therapy", "home_exercise", "nsaids", "activity_modification", "bracing",
        "orthoses", "taping", "weight_loss"]
CARE_WEIGHTS = [0.35, 0.2, 0.15, 0.1, 0.06, 0.05, 0.05, 0.04]
RESPONSES = ["none", "partial", "resolved", "worse"]
RESPONSE_WEIGHTS = [0.3, 0.45, 0.15, 0.1]
MEDICATIONS = ["nsaid", "cox2_inhibitor", "aspirin", "antiplatelet", "anticoagulant",
               "systemic_corticosteroid", "immunosuppressant", "acetaminophen", "other"]
MEDICATION_WEIGHTS = [0.3, 0.08, 0.12, 0.05, 0.07, 0.03, 0.03, 0.22, 0.1]
AGENTS = ["corticosteroid", "hyaluronic_acid", "prp", "cell_therapy", "other"]
AGENT_WEIGHTS = [0.55, 0.25, 0.12, 0.03, 0.05]
PROCEDURES = ["arthroscopic debridement", "meniscectomy", "ACL reconstruction",
              "lateral release", "tibial osteotomy"]


def pick(rng, values, weights):
    return rng.choices(values, weights)[0]


def present(rng, rate, complete):
    """Whether a field is recorded: always with --complete, else with probability `rate`."""
    return complete or rng.random() < rate


def patient(rng, index, complete):
    as_of = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randrange(365))

    def ago(days):
        return (as_of - datetime.timedelta(days=max(0, int(days)))).isoformat()

    diagnosis = pick(rng, [d for d, _ in DIAGNOSES], [w for _, w in DIAGNOSES])
    if diagnosis == "knee_osteoarthritis":
        age = int(min(95, max(35, rng.gauss(63, 10))))
    elif diagnosis == "patellar_tendinopathy":
        age = int(min(60, max(14, rng.gauss(27, 7))))
    else:
        age = int(min(80, max(12, rng.gauss(30, 11))))
    sex = pick(rng, ["female", "male", "other"], [0.55, 0.44, 0.01])
    p = {"id": f"synthetic-{index:07d}", "as_of": as_of.isoformat()}
    if present(rng, 0.99, complete): p["age"] = age
    if present(rng, 0.98, complete): p["sex"] = sex
    if present(rng, 0.85, complete):
        mean = 30 if diagnosis == "knee_osteoarthritis" else 24.5
        p["bmi"] = round(min(60, max(16, rng.gauss(mean, 5))), 1)
    if present(rng, 0.97, complete): p["diagnosis"] = diagnosis
    if present(rng, 0.9, complete): p["symptom_weeks"] = int(min(1040, rng.lognormvariate(3.0, 0.9)))
    if present(rng, 0.85, complete): p["pain_nrs"] = min(10, max(0, int(rng.gauss(5.5, 2))))
    if diagnosis == "patellofemoral_pain" and present(rng, 0.6, complete):
        p["kujala"] = min(100, max(0, int(rng.gauss(68, 12))))
    if diagnosis == "patellar_tendinopathy" and present(rng, 0.6, complete):
        p["visa_p"] = min(100, max(0, int(rng.gauss(55, 15))))
    if diagnosis == "knee_osteoarthritis" and present(rng, 0.8, complete):
        p["kl_grade"] = pick(rng, [0, 1, 2, 3, 4], [0.03, 0.12, 0.35, 0.33, 0.17])
    elif present(rng, 0.1, complete):
        p["kl_grade"] = pick(rng, [0, 1, 2], [0.7, 0.25, 0.05])
    if present(rng, 0.88, complete):
        p["conservative_care"] = [
            {"treatment": pick(rng, CARE, CARE_WEIGHTS),
             "weeks": min(104, max(1, int(rng.lognormvariate(2.1, 0.7)))),
             "response": pick(rng, RESPONSES, RESPONSE_WEIGHTS)}
            for _ in range(pick(rng, [0, 1, 2, 3, 4], [0.15, 0.35, 0.3, 0.15, 0.05]))]
    labs = {}
    if present(rng, 0.65, complete):
        labs["platelet_count"] = round(min(900, max(20, rng.gauss(250, 60))), 0)
    if present(rng, 0.6, complete):
        labs["hemoglobin"] = round(min(19, max(6, rng.gauss(13.6 if sex == "male" else 12.8, 1.3))), 1)
    if labs or (complete and rng.random() < 0.5):
        p["labs"] = labs
    if present(rng, 0.8, complete):
        p["medications"] = [
            {"class": pick(rng, MEDICATIONS, MEDICATION_WEIGHTS), "last_dose": ago(rng.expovariate(1 / 20))}
            for _ in range(pick(rng, [0, 1, 2, 3], [0.4, 0.35, 0.18, 0.07]))]
    if present(rng, 0.85, complete):
        p["injections"] = [
            {"agent": pick(rng, AGENTS, AGENT_WEIGHTS), "date": ago(rng.expovariate(1 / 200))}
            for _ in range(pick(rng, [0, 1, 2, 3], [0.6, 0.25, 0.1, 0.05]))]
    if present(rng, 0.9, complete):
        p["knee_surgeries"] = [
            {"date": ago(rng.expovariate(1 / 900)), "procedure": rng.choice(PROCEDURES)}
            for _ in range(pick(rng, [0, 1, 2], [0.85, 0.12, 0.03]))]
    if diagnosis == "patellar_tendinopathy" and present(rng, 0.7, complete):
        p["imaging_confirmed"] = rng.random() < 0.75
    elif present(rng, 0.15, complete):
        p["imaging_confirmed"] = rng.random() < 0.5
    if present(rng, 0.3, complete):
        p["cell_therapy_context"] = pick(rng, ["clinical_trial", "autologous_361_hctp", "other"], [0.2, 0.3, 0.5])
    if sex != "male" and 14 <= age <= 50 and present(rng, 0.8, complete):
        p["pregnant"] = rng.random() < 0.02
    elif present(rng, 0.3, complete):
        p["pregnant"] = False
    flags = [("hemodynamic_instability", 0.002, 0.8), ("recent_fever_or_illness", 0.03, 0.8),
             ("critical_thrombocytopenia", 0.003, 0.75), ("active_infection", 0.01, 0.92),
             ("active_malignancy", 0.015, 0.9), ("malignancy_in_treatment_field", 0.002, 0.85),
             ("bleeding_disorder", 0.01, 0.88), ("platelet_dysfunction", 0.005, 0.8),
             ("immunosuppressed", 0.03, 0.85), ("implant_in_treatment_field", 0.04, 0.85),
             ("inflammatory_arthritis", 0.03, 0.85)]
    for name, rate, recorded in flags:
        if present(rng, recorded, complete): p[name] = rng.random() < rate
    if present(rng, 0.85, complete): p["open_physes"] = age < 16 and rng.random() < 0.6
    if present(rng, 0.5, complete):
        p["history"] = [
            {"event": pick(rng, ["chemotherapy", "immunosuppressive_disease", "septic_arthritis"], [0.5, 0.35, 0.15]),
             "date": ago(rng.expovariate(1 / 1500))}
            for _ in range(pick(rng, [0, 1], [0.93, 0.07]))]
    if present(rng, 0.85, complete):
        p["diabetes"] = pick(rng, ["none", "controlled", "uncontrolled"], [0.85, 0.11, 0.04])
    if present(rng, 0.8, complete):
        p["smoking"] = pick(rng, ["never", "former", "current"], [0.55, 0.3, 0.15])
    return p


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--complete", action="store_true", help="record every field (no unknowns)")
    parser.add_argument("--output", "-o", default="-")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    with out:
        for index in range(args.count):
            out.write(json.dumps(patient(rng, index, args.complete), separators=(",", ":")))
            out.write("\n")


if __name__ == "__main__":
    main()
