"""The shipped pack's ESWT rules (Rules/eswt.yaml, version 1.0.0) as a ZEN decision graph (JDM).

Each rule becomes one expression of an expression node whose value is "t", "f" or "u": CEL's
three-valued outcome, with an absent field (null in ZEN) unknown as in Candidacy (DESIGN.md 3).
`&&`, `||` and `any:` follow Kleene logic as CEL does (false && unknown is false, true || unknown
is true). A second expression node derives the tier and score by DESIGN.md 2.4.

Limits of the encoding, which the synthetic cohort respects: list elements are complete (an
element of conservative_care, medications or injections never lacks a field) and as_of is
always present; the parameters are the pack's defaults.

    python3 eswt_graph.py > eswt.jdm.json
"""
import json

OA, PT, PFP = '"knee_osteoarthritis"', '"patellar_tendinopathy"', '"patellofemoral_pain"'


def known(field, condition):
    """A condition on a top-level field that may be absent: unknown when it is."""
    return f'({field} == null ? "u" : (({condition}) ? "t" : "f"))'


def boolean(field):
    return known(field, field)


def exists(field, predicate):
    """`field.exists(x, predicate)` over a list whose elements are complete."""
    return known(field, f"some({field}, {predicate})")


def and3(a, b):
    return f'(({a}) == "f" or ({b}) == "f" ? "f" : (({a}) == "t" and ({b}) == "t" ? "t" : "u"))'


def or3(*items):
    anyTrue = " or ".join(f'({i}) == "t"' for i in items)
    allFalse = " and ".join(f'({i}) == "f"' for i in items)
    return f'({anyTrue} ? "t" : ({allFalse} ? "f" : "u"))'


def days_since(date):
    return f'd(as_of).diff(d({date}), "day")'


PFP_WEEKS, STEROID_DAYS = 12, 30
RULES = [
    ("exclude", 0, "eswt-pregnancy",
     f'(pregnant != null ? (pregnant ? "t" : "f") : (sex == null ? "u" : (sex == "male" ? "f" : "u")))'),
    ("exclude", 0, "eswt-active-infection", boolean("active_infection")),
    ("exclude", 0, "eswt-tumour-in-field", boolean("malignancy_in_treatment_field")),
    ("require", 0, "eswt-diagnosis-in-scope", known("diagnosis", f"diagnosis in [{PT}, {OA}, {PFP}]")),
    ("require", 0, "eswt-failed-conservative-care", or3(
        and3(known("diagnosis", f"diagnosis == {OA}"), exists(
            "conservative_care",
            '#.treatment in ["physical_therapy", "home_exercise", "weight_loss"] and #.weeks >= 12 and #.response != "resolved"')),
        and3(known("diagnosis", f"diagnosis == {PT}"), exists(
            "conservative_care", '#.treatment == "physical_therapy" and #.weeks >= 6 and #.response != "resolved"')),
        and3(known("diagnosis", f"diagnosis == {PFP}"), exists(
            "conservative_care",
            f'#.treatment in ["physical_therapy", "home_exercise"] and #.weeks >= {PFP_WEEKS} and #.response != "resolved"')),
    )),
    ("require", 0, "eswt-oa-chronic-pain",
     or3(known("diagnosis", f"diagnosis != {OA}"), known("symptom_weeks", "symptom_weeks >= 12"))),
    ("caution", -1, "eswt-growth-plates", boolean("open_physes")),
    ("caution", -1, "eswt-coagulopathy", boolean("bleeding_disorder")),
    ("caution", -1, "eswt-anticoagulant", exists("medications", '#.class == "anticoagulant"')),
    ("caution", -1, "eswt-current-nsaid",
     exists("medications", f'#.class in ["nsaid", "cox2_inhibitor"] and {days_since("#.last_dose")} <= 1')),
    ("caution", -1, "eswt-implant-in-field", boolean("implant_in_treatment_field")),
    ("caution", -1, "eswt-recent-steroid-injection",
     exists("injections", f'#.agent == "corticosteroid" and {days_since("#.date")} < {STEROID_DAYS}')),
    ("score", 4, "eswt-patellar-tendinopathy", known("diagnosis", f"diagnosis == {PT}")),
    ("score", 2, "eswt-knee-osteoarthritis", known("diagnosis", f"diagnosis == {OA}")),
    ("score", 2, "eswt-pfp-after-exercise", known("diagnosis", f"diagnosis == {PFP}")),
    ("score", 1, "eswt-chronic-symptoms", known("symptom_weeks", "symptom_weeks >= 12")),
    ("score", 1, "eswt-oa-pain-severity",
     and3(known("diagnosis", f"diagnosis == {OA}"), known("pain_nrs", "pain_nrs >= 4"))),
]
RECOMMENDED, CONSIDER = 5, 2


def graph():
    rules = [{"id": f"r{i}", "key": rule_id, "value": expression}
             for i, (_, _, rule_id, expression) in enumerate(RULES)]

    def outcome(rule_id):
        return f'rules["{rule_id}"]'

    def some_rule(kind, value):
        hits = [f'{outcome(r)} == "{value}"' for k, _, r, _ in RULES if k in kind]
        return " or ".join(hits)

    score = " + ".join(f'({outcome(r)} == "t" ? {p} : 0)' for k, p, r, _ in RULES if k in ("score", "caution"))
    tier = (f'{some_rule(("exclude",), "t")} ? "contraindicated" : '
            f'({some_rule(("require",), "f")} ? "ineligible" : '
            f'({some_rule(("exclude", "require"), "u")} ? "needs-data" : '
            f'($.score >= {RECOMMENDED} ? "recommended" : ($.score >= {CONSIDER} ? "consider" : "not-recommended"))))')
    nodes = [
        {"id": "input", "type": "inputNode", "name": "patient", "position": {"x": 0, "y": 0}},
        {"id": "rules", "type": "expressionNode", "name": "rules", "position": {"x": 200, "y": 0},
         "content": {"expressions": [dict(r, key="rules." + r["key"]) for r in rules]}},
        {"id": "tier", "type": "expressionNode", "name": "tier", "position": {"x": 400, "y": 0},
         "content": {"expressions": [{"id": "score", "key": "score", "value": score},
                                     {"id": "tier", "key": "tier", "value": tier}]}},
        {"id": "output", "type": "outputNode", "name": "decision", "position": {"x": 600, "y": 0}},
    ]
    edges = [{"id": f"e{i}", "sourceId": a, "targetId": b, "type": "edge"}
             for i, (a, b) in enumerate([("input", "rules"), ("rules", "tier"), ("tier", "output")])]
    return {"contentType": "application/vnd.gorules.decision", "nodes": nodes, "edges": edges}


if __name__ == "__main__":
    print(json.dumps(graph(), indent=1))
