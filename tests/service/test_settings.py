"""Settings read from the environment: a ``CITEQA_*`` variable that is no setting is named, with the setting it
may be a misspelling of, never silently ignored (a new user's CITEQA_ADMIN_KEY left the admin routes off)."""

from __future__ import annotations

import re

import pytest

from citeqa.service.settings import NOT_SETTINGS, Settings, unknown_variables
from tests.conftest import ROOT

LISTS = "(docs/configuration.md lists the settings)"
MISSPELT = frozenset({"CITEQA_ADMIN_KEY", "CITEQA_LOGLEVEL", "CITEQA_NO_SUCH_THING"})
"""The names these tests, test_cli.py and docs/configuration.md misspell on purpose."""


@pytest.mark.parametrize(
    ("variable", "warning"),
    [
        ("CITEQA_ADMIN_KEY", f"CITEQA_ADMIN_KEY is not a citeqa setting and is ignored: did you mean "
                             f"CITEQA_ADMIN_API_KEY? {LISTS}"),
        ("CITEQA_LOGLEVEL", f"CITEQA_LOGLEVEL is not a citeqa setting and is ignored: did you mean CITEQA_LOG_LEVEL? "
                            f"{LISTS}"),
        ("citeqa_admin_key", f"citeqa_admin_key is not a citeqa setting and is ignored: did you mean "
                             f"CITEQA_ADMIN_API_KEY? {LISTS}"),
        ("CITEQA_NO_SUCH_THING", f"CITEQA_NO_SUCH_THING is not a citeqa setting and is ignored {LISTS}"),
    ],
)  # fmt: skip
def test_a_variable_that_is_no_setting_is_named_with_the_closest_setting(variable: str, warning: str) -> None:
    assert unknown_variables({variable: "x", "CITEQA_PORT": "8001", "HOME": "/root"}) == [warning]


def test_settings_in_any_case_and_variables_read_elsewhere_are_not_warned_about() -> None:
    every = {f"CITEQA_{name.upper()}": "x" for name in Settings.model_fields}
    assert unknown_variables(every | {"citeqa_port": "8001"} | dict.fromkeys(NOT_SETTINGS, "x")) == []
    assert unknown_variables({"PORT": "8000", "XCITEQA_PORT": "1"}) == []


def test_every_citeqa_variable_the_project_sets_or_reads_is_known() -> None:
    """The Makefile, compose, deploy scripts, tests and docs name only settings and NOT_SETTINGS: a run of the
    tests, `make serve` or the compose builder warns about nothing."""
    places = [ROOT / name for name in ("Makefile", "Dockerfile", "compose.yaml", "README.md", "DEVELOPERS.md")]
    for top in ("service", "index", "tests", "deploy", "docs", "bench"):
        places += [p for p in (ROOT / top).rglob("*") if p.suffix in {".py", ".md", ".yaml", ".yml", ".conf", ".sh"}]
    named = {m for p in places if p.is_file() for m in re.findall(r"\bCITEQA_[A-Z0-9_]+", p.read_text("utf-8"))}
    named = {n for n in named if not n.endswith("_")}  # CITEQA_MAX_* and CITEQA_<FIELD> name groups, not variables
    assert len(named) > 30
    assert unknown_variables(dict.fromkeys(named - MISSPELT, "x")) == []
