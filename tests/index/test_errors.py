"""The error tree: every error is exported, drawn in the module docstring, and maps to a status and code."""

from __future__ import annotations

import inspect

import pytest

from citeqa.index import errors
from citeqa.index.domain import Choice
from citeqa.index.embedding.base import Backend
from citeqa.index.retrieval.fusion import FusionMode
from citeqa.index.store.kinds import IndexKind

ERRORS = [cls for _, cls in inspect.getmembers(errors, inspect.isclass) if issubclass(cls, errors.CiteqaError)]


def test_every_error_is_exported_and_drawn_in_the_tree() -> None:
    assert sorted(errors.__all__) == sorted(cls.__name__ for cls in ERRORS)
    for cls in ERRORS:
        assert cls.__name__ in (errors.__doc__ or ""), f"{cls.__name__} missing from the tree in the docstring"


@pytest.mark.parametrize("cls", ERRORS, ids=lambda cls: cls.__name__)
def test_every_error_has_a_status_a_code_and_keeps_its_message(cls: type[errors.CiteqaError]) -> None:
    error = cls("what went wrong: what to do")
    assert 400 <= error.status < 600 and error.code.isidentifier()
    assert error.message == str(error) == "what went wrong: what to do"
    assert f"({error.status} {error.code})" in (errors.__doc__ or "") or cls is errors.CiteqaError


def test_codes_name_one_error_each() -> None:
    codes = [cls.code for cls in ERRORS]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize(
    ("choice", "label", "valid"),
    [
        (FusionMode, "fusion mode", "minmax, rrf"),
        (IndexKind, "index kind", "auto, flat, hnsw, ivf"),
        (Backend, "embedding backend", "torch, onnx, onnx-int8"),
    ],
)
def test_an_unknown_choice_names_the_valid_ones(choice: type[Choice], label: str, valid: str) -> None:
    with pytest.raises(errors.InvalidInput, match=f"unknown {label} 'nope': use one of {valid}"):
        choice.from_str("nope")
    first = next(iter(choice))
    assert choice.from_str(first.value) is first
