#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets under Fuzz/corpus/seeds/<target>/, from the
shipped pack (Rules/), the fixtures (Fixtures/), the test data and the CEL conformance
expressions (Tests/CandidacyKitTests/Data/cel-conformance/simple-tests.json).

scripts/fuzz.sh runs it before each run; the corpus is generated, never committed. Each seed
is named by the SHA-1 of its bytes, as libFuzzer names the units it adds.

    python3 scripts/fuzz-corpus.py [OUT]     # OUT defaults to Fuzz/corpus/seeds
"""
import hashlib
import json
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root / "Fuzz" / "corpus" / "seeds"
try:
    import yaml  # PyYAML, for the JSON forms of the patients and the conditions of the pack
except ImportError:  # the seeds are then the files as they are, and conditions found by a regex
    yaml = None


def write(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder = out / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def yaml_files(folder):
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file())


rules = root / "Rules"
fixtures = root / "Fixtures"
test_data = root / "Tests" / "CandidacyKitTests" / "Data"

# Profiles: the shipped one and any in the test data.
for path in [rules / "profile.yaml"] + [p for p in yaml_files(test_data) if p.name == "profile.yaml"]:
    write("profile", path.read_bytes())

# Therapy files: the shipped ones and the test data's (but profiles and fixtures).
for path in yaml_files(rules) + yaml_files(test_data / "Lint"):
    if path.name != "profile.yaml":
        write("therapy", path.read_bytes())

# Small therapy files, so that mutations start from something short: each shipped therapy
# cut to its header, parameters, references, tiers and each of its rules alone.
if yaml is not None:
    for path in yaml_files(rules):
        if path.name == "profile.yaml":
            continue
        therapy = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for rule in therapy.get("rules", []) or []:
            small = {key: therapy[key] for key in ("therapy", "title", "version", "parameters", "references", "tiers")
                     if key in therapy}
            small["rules"] = [rule]
            write("therapy", yaml.safe_dump(small, sort_keys=False, allow_unicode=True, width=120))

# Fixtures: every shipped and test fixture as it is.
fixture_files = yaml_files(fixtures) + yaml_files(test_data / "Fixtures")
for path in fixture_files:
    write("fixture", path.read_bytes())

# Patients: the first byte chooses the name (even: p.yaml, odd: p.json); a fixture file as it
# is (the loader reads its `patient`), and each shipped patient as JSON.
for path in yaml_files(fixtures):
    write("patient", b"\x00" + path.read_bytes())
    if yaml is not None:
        try:
            patient = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("patient")
        except (yaml.YAMLError, AttributeError):
            patient = None
        if isinstance(patient, dict):
            write("patient", b"\x01" + json.dumps(patient, default=str, indent=1).encode())

# Expressions: every condition of the shipped pack, and the CEL conformance expressions.
def conditions(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from conditions(item)
    elif isinstance(node, dict):
        for key in ("all", "any", "not"):
            if key in node:
                yield from conditions(node[key])


for path in yaml_files(rules):
    if path.name == "profile.yaml":
        continue
    text = path.read_text(encoding="utf-8")
    if yaml is not None:
        for rule in (yaml.safe_load(text) or {}).get("rules", []) or []:
            for condition in conditions(rule.get("when")):
                write("cel", condition)
    else:
        for match in re.finditer(r"^\s*(?:when:|-)\s+(['\"]?)(.+)\1\s*$", text, re.MULTILINE):
            write("cel", match.group(2))

conformance = root / "Tests" / "CandidacyKitTests" / "Data" / "cel-conformance" / "simple-tests.json"
if conformance.is_file():
    for suite in json.loads(conformance.read_text(encoding="utf-8")).values():
        for section in suite.get("section", []):
            for test in section.get("test", []):
                if isinstance(test.get("expr"), str):
                    write("cel", test["expr"])

# CSV cohorts: the fixture patients' flat fields as rows (nested ones as JSON cells, quoted per
# RFC 4180), and a few hand-made edge cases: quoted line breaks, a stray quote, an unterminated
# quote, CRLF line ends, an empty file.
def csv_cell(value):
    if isinstance(value, (dict, list)):
        text = json.dumps(value, default=str, separators=(",", ":"))
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    if any(c in text for c in ",\"\n\r"):
        text = '"' + text.replace('"', '""') + '"'
    return text


if yaml is not None:
    patients = []
    for path in yaml_files(fixtures):
        try:
            patient = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("patient")
        except yaml.YAMLError:
            continue
        if isinstance(patient, dict):
            patients.append(patient)
    for start in range(0, len(patients), 8):
        group = patients[start:start + 8]
        columns = sorted({key for patient in group for key in patient})
        rows = [",".join(columns)] + [",".join(csv_cell(p[c]) if c in p else "" for c in columns) for p in group]
        write("csv", ("\n".join(rows) + "\n").encode("utf-8"))
for text in [
    'id,age,diagnosis\nq1,60,knee_osteoarthritis\nq"2,61,knee_osteoarthritis\nq3,62,other\n',
    'id,age\nq1,60\n"q2,61\nq3,62\n',
    'id,procedure\nq1,"two\nlines"\nq2,"a ""quoted"" word"\n',
    'id,age\r\nq1,60\r\nq2,61',
    'id\n',
    '',
]:
    write("csv", text.encode("utf-8"))

for folder in sorted(p for p in out.iterdir() if p.is_dir()):
    print(f"{folder.name}: {sum(1 for _ in folder.iterdir())} seeds in {folder}")
