"""mypy --strict over the generator and every generated package; pyright finds nothing in them and
rates every public name's type as known; ruff and black find nothing in them; each package
installs on its own."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import pipeline
from generator.write import write
from tests.conftest import GENERATED, ROOT, SPECS
from tests.minispec import MINI_SPEC

PACKAGES = sorted(path for path in GENERATED.iterdir() if (path / "pyproject.toml").is_file())


def _mypy(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", *arguments], cwd=cwd, capture_output=True, text=True, check=False)


def test_generator_is_mypy_strict_clean() -> None:
    result = _mypy("generator", cwd=ROOT)
    assert result.returncode == 0, result.stdout


def test_generator_tests_and_benchmarks_pass_ruff() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "generator", "tests", "bench"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("package", PACKAGES, ids=lambda path: path.name)
def test_generated_package_is_mypy_strict_clean(package: Path) -> None:
    module = next(path.name for path in package.iterdir() if (path / "__init__.py").is_file())
    result = _mypy(module, cwd=package)
    assert result.returncode == 0, result.stdout


def _pyright(*arguments: str, cwd: Path, package_root: Path) -> dict[str, Any]:
    """pyright's JSON report, importing as this interpreter would with ``package_root`` on its path.

    On PYTHONPATH, not in pyright's own settings: ``--verifytypes`` finds the package only
    through the interpreter's sys.path (an installed copy would be found there first).
    """
    command = [sys.executable, "-m", "pyright", "--outputjson", "--pythonpath", sys.executable, *arguments]
    env = {**os.environ, "PYTHONPATH": str(package_root)}
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600)
    try:
        report: dict[str, Any] = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"pyright gave no report (exit {result.returncode}):\n{result.stdout}{result.stderr}")
    return report


@pytest.mark.parametrize("package", PACKAGES, ids=lambda path: path.name)
def test_generated_package_is_pyright_clean_with_every_public_type_known(package: Path) -> None:
    """What Pylance (pyright) users see: no error in the package, and ``--verifytypes`` rating
    every public name's type as declared, not left to each type checker to infer."""
    module = next(path.name for path in package.iterdir() if (path / "__init__.py").is_file())
    check = _pyright(module, cwd=package, package_root=package)
    assert check["summary"]["errorCount"] == 0, [problem["message"] for problem in check["generalDiagnostics"]]
    completeness = _pyright("--verifytypes", module, "--ignoreexternal", cwd=package, package_root=package)["typeCompleteness"]
    assert Path(completeness["packageRootDirectory"]) == package / module  # this copy, not an installed one
    problems = [
        f"{symbol['name']}: {diagnostic['message']}"
        for symbol in completeness["symbols"]
        for diagnostic in symbol["diagnostics"]
        if diagnostic["severity"] == "error"
    ]
    assert completeness["completenessScore"] == 1.0, problems


# A user's program against the FeatBit client, whose JSON keys are camelCase: models are built
# with their Python names. Each line marked ``# error: <code>`` must get that mypy error, and
# no other line any.
USER_PROGRAM = """\
from __future__ import annotations

from featbit_api import APIStatusError, AsyncFeatBit, FeatBit, NotFoundError
from featbit_api.models import (
    EnvironmentSettings, FeatureFlag, FlagTargetingParam, JsonPatchOperation, JsonPatchOperationParam, PolicyStatement,
    TargetRule, Variation,
)


def sync_use(featbit: FeatBit) -> str | None:
    settings = EnvironmentSettings(require_change_comment=True)
    patient: FeatBit = featbit.with_options(timeout=120, max_retries=5, default_headers={"X-Team": "flags"})
    patient.environments.create(project_id="p1", name="Production", key="prod", settings=settings)
    statement = PolicyStatement(resource_type="flag", effect="allow", actions=["UpdateFlag"])
    featbit.policies.update_statements("policy-1", [statement])
    variations = [Variation(id="on", name="On", value="true"), Variation(id="off", name="Off", value="false")]
    flag: FeatureFlag = featbit.feature_flags.create(
        env_id="env-1", name="Dark mode", key="dark-mode", variation_type="boolean", variations=variations,
        enabled_variation_id="on", disabled_variation_id="off",
    )
    try:
        featbit.feature_flags.toggle(env_id="env-1", key=flag.key, status=True)
    except NotFoundError as error:
        return error.message
    for summary in featbit.feature_flags.list(env_id="env-1", sort_by="key"):
        return summary.key
    return "no flags" if settings.require_change_comment else None


def with_dicts(featbit: FeatBit) -> str:
    # A model an argument takes may be a dict of its attribute names, checked as its Param.
    featbit.policies.update_statements("policy-1", [{"resource_type": "flag", "effect": "deny", "actions": ["UpdateFlag"]}])
    operation: JsonPatchOperationParam = {"op": "move", "from_": "/name", "path": "/description"}
    featbit.feature_flags.patch("dark-mode", [operation, JsonPatchOperation(op="test", path="/isEnabled", value=True)], env_id="env-1")
    rules: list[TargetRule] = []
    targeting: FlagTargetingParam = {"rules": rules, "fallthrough": {"dispatch_key": "keyId"}, "target_users": []}
    return featbit.feature_flags.update_targeting("dark-mode", env_id="env-1", revision="r1", targeting=targeting)


def details(featbit: FeatBit) -> list[str]:
    raw = featbit.feature_flags.with_raw_response.toggle(env_id="env-1", key="dark-mode", status=True)
    revision: str = raw.parse()
    page = featbit.feature_flags.list(env_id="env-1").first_page()
    keys = [item.key for item in page.items] + [str(page.response.status_code), revision]
    for later in featbit.feature_flags.list(env_id="env-1").pages():
        keys += [item.name or "" for item in later.items]
    try:
        featbit.projects.list()
    except APIStatusError as error:
        keys += [str(error.status_code), error.code or "", error.message, error.headers.get("date", "")]
    return keys


async def async_use(featbit: AsyncFeatBit) -> int:
    count = 0
    async for _summary in featbit.feature_flags.list(env_id="env-1"):
        count += 1
    raw = await featbit.feature_flags.with_raw_response.toggle(env_id="env-1", key="dark-mode", status=False)
    return count + len(raw.parse())


def mistakes(featbit: FeatBit) -> None:
    EnvironmentSettings(requireChangeComment=True)  # error: call-arg
    featbit.with_options(retries=3)  # error: call-arg
    PolicyStatement(resource_type=3)  # error: arg-type
    featbit.feature_flags.toggle(env_id="env-1", key="dark-mode", status="on")  # error: arg-type
    featbit.feature_flags.toggle(env_id="env-1", key="dark-mode")  # error: call-arg
    featbit.feature_flags.list(env_id="env-1", sort_by="name")  # error: arg-type
    featbit.policies.update_statements("policy-1", [{"resourceType": "flag"}])  # error: list-item
    featbit.feature_flags.patch("dark-mode", [{"op": "rename", "path": "/name"}], env_id="env-1")  # error: list-item
    featbit.feature_flags.patch("dark-mode", [{"op": "remove"}], env_id="env-1")  # error: list-item
    FlagTargetingParam(fallthrough={"dispatchKey": "keyId"})  # error: typeddict-item
"""


EXPECTED_ERRORS = [
    (number, marker.group(1))
    for number, line in enumerate(USER_PROGRAM.splitlines(), start=1)
    if (marker := re.search(r"# error: ([a-z-]+)$", line))
]
# mypy's error codes in USER_PROGRAM and the pyright rules that report the same mistakes.
PYRIGHT_RULES = {
    "call-arg": "reportCallIssue", "arg-type": "reportArgumentType", "list-item": "reportArgumentType", "typeddict-item": "reportArgumentType",
}


def test_a_user_program_type_checks_with_python_names(tmp_path: Path) -> None:
    program = tmp_path / "user_program.py"
    program.write_text(USER_PROGRAM)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), str(program)],
        cwd=tmp_path, env={**os.environ, "MYPYPATH": str(GENERATED / "featbit")}, capture_output=True, text=True, check=False,
    )
    found = sorted(
        (int(match.group(1)), match.group(2))
        for match in re.finditer(r"^.*?user_program\.py:(\d+): error: .*\[([a-z-]+)\]$", result.stdout, re.MULTILINE)
    )
    assert found == EXPECTED_ERRORS, result.stdout


def test_pyright_strict_finds_the_same_mistakes_in_a_user_program(tmp_path: Path) -> None:
    """In strict mode, pyright also reports any type of ours it cannot know in the user's code."""
    (tmp_path / "user_program.py").write_text(USER_PROGRAM)
    (tmp_path / "pyrightconfig.json").write_text(json.dumps({"typeCheckingMode": "strict"}))
    report = _pyright("user_program.py", cwd=tmp_path, package_root=GENERATED / "featbit")
    found = sorted((problem["range"]["start"]["line"] + 1, problem.get("rule", "")) for problem in report["generalDiagnostics"])
    expected = [(number, PYRIGHT_RULES[code]) for number, code in EXPECTED_ERRORS]
    assert found == expected, [problem["message"] for problem in report["generalDiagnostics"]]


@pytest.mark.parametrize("package", PACKAGES, ids=lambda path: path.name)
def test_generated_package_passes_ruff_and_black_as_configured_in_it(package: Path) -> None:
    """What a user's linters say about the generated code: ruff's default rules (pinned to one
    minor release in the dev extra, as its defaults grow) and black, at the line length and
    Python version the package's pyproject.toml declares."""
    ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."], cwd=package, capture_output=True, text=True, check=False)
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    black = subprocess.run([sys.executable, "-m", "black", "--check", "--quiet", "."], cwd=package, capture_output=True, text=True, check=False)
    assert black.returncode == 0, black.stderr


# Names whose order differs between a plain sort, isort (case ignored) and ruff's
# __all__ (case kept), numbers that sort as numbers, and a cycle sharing one module.
AWKWARD_NAMES = """\
  ApiKey: {properties: {id: {type: string}}}
  APIToken: {properties: {id: {type: string}}}
  Thing2: {properties: {id: {type: string}}}
  Thing10: {properties: {id: {type: string}, bundle: Bundle}}
  Bundle:
    properties:
      key: ApiKey
      token: APIToken
      small: Thing2
      large: Thing10
resources:
  bundles:
    description: Bundles of awkwardly named things.
    operations:
      create:
        summary: Bundle things
        method: POST
        path: /v1/bundles
        body:
          properties:
            key: {type: ApiKey}
            token: {type: APIToken}
            small: {type: Thing2}
            large: {type: Thing10}
        response: Bundle
"""


def test_awkward_model_names_still_pass_ruff(tmp_path: Path) -> None:
    spec = tmp_path / "awkward.yaml"
    spec.write_text(MINI_SPEC.replace("resources:\n", AWKWARD_NAMES, 1), encoding="utf-8")
    package = tmp_path / "awkward"
    write(package, pipeline.generate(spec))
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."], cwd=package, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("package", PACKAGES, ids=lambda path: path.name)
def test_generated_package_builds_a_wheel_that_needs_only_httpx_and_pydantic(package: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(package)]
    subprocess.run(command, check=True, capture_output=True)
    wheel = next(tmp_path.glob("*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(name for name in names if name.endswith("METADATA"))).decode()
    module = next(path.name for path in package.iterdir() if (path / "__init__.py").is_file())
    assert f"{module}/py.typed" in names
    assert f"{module}/resources/__init__.py" in names
    requirements = sorted(re.match(r"[A-Za-z0-9_.-]+", line.split(":", 1)[1].strip()).group(0) for line in metadata.splitlines() if line.startswith("Requires-Dist:"))  # type: ignore[union-attr]
    assert requirements == ["httpx", "pydantic"]
    # What PyPI shows: the spec's license and documentation link, and that the package is typed.
    spec = yaml.safe_load((SPECS / f"{package.name}.yaml").read_text())
    assert "License-Expression: MIT" in metadata.splitlines() and spec["license"] == "MIT"
    assert "Classifier: Typing :: Typed" in metadata.splitlines()
    links = [line for line in metadata.splitlines() if line.startswith("Project-URL:")]
    assert links == ([f"Project-URL: API documentation, {spec['docs_url']}"] if "docs_url" in spec else [])
