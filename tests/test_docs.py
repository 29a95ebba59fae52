"""The README and the documentation site (docs/, mkdocs.yml) stay complete and build strictly."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from citeqa.index.limits import DEFAULT_K
from citeqa.service.settings import Settings
from tests.conftest import ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"
MKDOCS_YML = ROOT / "mkdocs.yml"
README_MAX_LINES = 250


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def flatten_routes(routes: Iterable[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path) of every route, descending into included routers (FastAPI >= 0.16x keeps them nested)."""
    for route in routes:
        path = getattr(route, "path", None)
        if path is not None:
            for method in sorted(getattr(route, "methods", None) or ()):
                if method != "HEAD":
                    yield method, prefix + path
            continue
        router = getattr(route, "original_router", None)
        if router is not None:
            context = getattr(route, "include_context", None)
            yield from flatten_routes(router.routes, prefix + (getattr(context, "prefix", "") or ""))


def api_routes() -> list[tuple[str, str]]:
    from citeqa.service.api.app import create_app

    app = create_app(load=False)
    routes = sorted(set(flatten_routes(app.routes)))
    return [(m, p) for m, p in routes if p.startswith("/v1/") or p in ("/healthz", "/readyz")]


def cli_commands() -> list[str]:
    from citeqa.service.cli import app

    names = []
    for command in app.registered_commands:
        name = command.name or (command.callback.__name__ if command.callback else "")
        names.append(name.lower().replace("_", "-"))
    return names


def nav_pages(nav: Any) -> Iterator[str]:
    """Every Markdown file named in a mkdocs nav (nested lists and mappings)."""
    if isinstance(nav, str):
        if nav.endswith(".md"):
            yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from nav_pages(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from nav_pages(value)


def load_mkdocs_config() -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load(read(MKDOCS_YML))
    return config


# README -------------------------------------------------------------------------------------------


def test_readme_shows_the_two_commands_first() -> None:
    first_block = read(README).split("```", 2)[1]
    assert "make serve" in first_block and "make test" in first_block


def test_readme_is_a_short_path_for_newcomers() -> None:
    lines = read(README).splitlines()
    assert len(lines) <= README_MAX_LINES, f"README has {len(lines)} lines; move details to docs/"


def test_readme_links_only_to_docs_pages_that_exist() -> None:
    links = re.findall(r"\]\((docs/[^)#]+)", read(README))
    assert links, "the README should point to the documentation"
    assert [link for link in links if not (ROOT / link).is_file()] == []


def main_install_scripts() -> set[str]:
    """Programs in .venv/bin after `make serve` (`make install`): citeqa's and its direct dependencies'."""
    import tomllib
    from importlib.metadata import PackageNotFoundError, distribution

    dependencies = tomllib.loads(read(ROOT / "pyproject.toml"))["project"]["dependencies"]
    scripts = {"python", "python3", "pip", "citeqa"}
    for requirement in dependencies:
        name = re.split(r"[\s<>=!~\[;]", requirement, maxsplit=1)[0]
        try:
            entry_points = distribution(name).entry_points
        except PackageNotFoundError:
            continue
        scripts |= {e.name for e in entry_points if e.group == "console_scripts"}
    return scripts


def test_readme_says_how_to_install_the_tools_it_runs_from_the_venv() -> None:
    """A `.venv/bin/TOOL` that `make serve` does not install (mkdocs: the test extra) comes with the
    target that does, in the same paragraph, or a newcomer runs a program that is not there."""
    installed = main_install_scripts()
    assert "uvicorn" in installed and "mkdocs" not in installed
    for paragraph in read(README).split("\n\n"):
        for tool in re.findall(r"\.venv/bin/([\w.-]+)", paragraph):
            assert tool in installed or "make install-test" in paragraph, paragraph


def readme_section(title: str) -> str:
    """The text of the README's ``## title`` section, up to the next ``## `` heading."""
    text = read(README)
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else None]


def citeqa_lines(text: str) -> list[list[str]]:
    """The words of every ``citeqa ...`` command line in ```sh blocks of ``text`` (comments dropped)."""
    import shlex

    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    return [
        shlex.split(line, comments=True)[1:]
        for block in blocks
        for line in block.splitlines()
        if line.startswith("citeqa ")
    ]


def cli_command(name: str) -> Any:
    import typer.main

    from citeqa.service.cli import app

    return typer.main.get_command(app).commands[name]


def test_readme_commands_use_options_the_commands_have() -> None:
    for words in citeqa_lines(read(README)):
        options = {opt for param in cli_command(words[0]).params for opt in param.opts}
        assert [w for w in words[1:] if w.startswith("-") and w not in options] == [], words


def test_readme_shows_how_to_answer_from_your_own_folder_of_articles() -> None:
    """A new user found only "put files under corpus/": the README builds another folder into another index
    and runs ask, eval and serve on it, with lines the CLI parses as written."""
    section = readme_section("Your own articles")
    lines = citeqa_lines(section)
    build = next(words for words in lines if words[0] == "build")
    index = build[build.index("--index") + 1]
    assert "--corpus" in build and build[build.index("--corpus") + 1] != "corpus"
    used = {words[0] for words in lines if "--index" in words and words[words.index("--index") + 1] == index}
    assert {"build", "ask", "eval", "serve"} <= used
    for words in lines:
        cli_command(words[0]).make_context(words[0], words[1:])  # raises on an unknown option or a missing argument
    eval_k = next(p.default for p in cli_command("eval").params if p.name == "k")
    ask_k = next(p.default for p in cli_command("ask").params if p.name == "k")
    assert (eval_k, ask_k) == (10, DEFAULT_K)  # /v1/ask's default is DEFAULT_K too
    assert f"reads {eval_k} passages" in section and f"read {ask_k}:" in section.replace("\n", " ")


# docs/ --------------------------------------------------------------------------------------------


def test_every_setting_is_documented_in_the_configuration_page() -> None:
    page = read(DOCS / "configuration.md")
    missing = [name for name in Settings.model_fields if f"`CITEQA_{name.upper()}`" not in page]
    assert not missing, f"settings missing from docs/configuration.md: {missing}"
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `CITEQA_(\w+)` \|[^|]*\|(.*)\|\s*$", page, re.M)}
    for name, field in Settings.model_fields.items():
        assert field.description, name
        assert rows.get(name.upper(), "").strip(), f"CITEQA_{name.upper()} has no meaning in the table"


def test_every_route_is_in_the_api_reference() -> None:
    page = read(DOCS / "api.md")
    routes = api_routes()
    assert ("POST", "/v1/ask") in routes and ("GET", "/readyz") in routes
    assert [f"{m} {p}" for m, p in routes if f"{m} {p}" not in page] == []


def test_every_command_is_in_the_cli_reference() -> None:
    page = read(DOCS / "cli.md")
    commands = cli_commands()
    assert {"list", "eval", "ask", "serve"} <= set(commands), commands
    assert [c for c in commands if f"`citeqa {c}" not in page] == []


def test_every_page_is_in_the_nav() -> None:
    config = load_mkdocs_config()
    assert config["site_name"] == "citeqa" and config.get("docs_dir", "docs") == "docs"
    assert config["theme"]["name"] == "material"
    in_nav = set(nav_pages(config["nav"]))
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    assert pages - in_nav == set(), "pages missing from the nav of mkdocs.yml"
    assert in_nav - pages == set(), "the nav names pages that do not exist"


@pytest.mark.parametrize("page", ["configuration.md", "api.md", "cli.md", "architecture.md"])
def test_reference_pages_name_modules_that_exist(page: str) -> None:
    named = set(re.findall(r"`((?:index|service)/[\w/]+\.(?:py|json))`", read(DOCS / page)))
    assert [path for path in sorted(named) if not (ROOT / path).is_file()] == []


def test_the_site_builds_strictly(tmp_path: Path) -> None:
    mkdocs = Path(sys.executable).parent / "mkdocs"
    if not mkdocs.exists():
        pytest.fail(f"mkdocs is not installed next to {sys.executable}: make install-test")
    result = subprocess.run(
        [str(mkdocs), "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert (tmp_path / "site" / "index.html").is_file()
