"""Settings reach the components: the approximate index's query-time parameters are applied when it is loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from citeqa.index.store.dense import BLAS_QUERIES, default_nprobe, search_params_of
from citeqa.service import wiring
from citeqa.service.settings import EMPTY_IS_UNSET, Settings
from tests.conftest import ROOT, build_test_index


@pytest.fixture(scope="module")
def ivf_index(tmp_path_factory: pytest.TempPathFactory, build_embedder: Any) -> Path:
    return build_test_index(ROOT / "corpus", tmp_path_factory.mktemp("ivf-index"), build_embedder, index_kind="ivf")


def test_the_built_nprobe_is_kept_unless_a_setting_overrides_it(ivf_index: Path, engine: Any) -> None:
    built = wiring.load_engine(Settings(index_dir=ivf_index), previous=engine)
    params = search_params_of(built.data.faiss_index)
    assert params["kind"] == "ivf" and params["nprobe"] == default_nprobe(int(params["lists"]))
    tuned = wiring.load_engine(Settings(index_dir=ivf_index, ivf_nprobe=3, hnsw_ef_search=50), previous=engine)
    assert search_params_of(tuned.data.faiss_index)["nprobe"] == 3
    passages = tuned.search("What did Rutte and Japan agree on?", 3).passages
    assert passages[0].doc_id == "japan-nato-rutte-visit"


def test_batches_of_questions_are_scored_as_one_matrix_product_from_the_setting_on(
    default_index: Path, engine: Any
) -> None:
    import faiss

    dimension = engine.embedder.dimension
    wiring.load_engine(Settings(index_dir=default_index, faiss_blas_queries=5), previous=engine)
    assert faiss.cvar.distance_compute_blas_threshold == 5 * dimension
    wiring.load_engine(Settings(index_dir=default_index), previous=engine)
    assert faiss.cvar.distance_compute_blas_threshold == 4 * dimension
    assert Settings.model_fields["faiss_blas_queries"].default == BLAS_QUERIES  # the measured break-even


@pytest.mark.parametrize(
    ("field", "value"),
    [("faiss_blas_queries", "0"), ("ivf_nprobe", "0"), ("hnsw_ef_search", "-5"), ("ivf_nprobe", "many")],
)
def test_a_bad_search_setting_is_refused_naming_it(field: str, value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(f"CITEQA_{field.upper()}", value)
    with pytest.raises(ValidationError, match=field):
        Settings()


def test_the_served_search_parameters_are_reported_and_useless_ones_warned(
    ivf_index: Path, default_index: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """/readyz's ``index.search`` and the load log show the structure and nprobe in force; a setting
    that cannot act (nprobe on a flat index, more lists than the index has) is warned about at load."""
    from citeqa.service.runtime import Runtime

    caplog.set_level("INFO", logger="citeqa")
    runtime = Runtime(Settings(index_dir=ivf_index, ivf_nprobe=1000))
    runtime.load()
    search = runtime.reload()["search"]
    assert search["kind"] == "ivf" and search["nprobe"] == 1000
    assert "every list is scanned" in caplog.text and "search {'kind': 'ivf'" in caplog.text
    caplog.clear()
    flat = Runtime(Settings(index_dir=default_index, ivf_nprobe=4))
    flat.load()
    assert "CITEQA_IVF_NPROBE=4 has no effect: the index is flat" in caplog.text


def test_an_index_of_an_older_tokeniser_is_warned_about(
    default_index: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index whose BM25 terms an older citeqa wrote ("v2.3.1" as "v2" and "3.1") is served, with a warning
    naming the fix; one of today's is not warned about."""
    from citeqa.service import runtime

    caplog.set_level("INFO", logger="citeqa")
    served = runtime.Runtime(Settings(index_dir=default_index))
    served.load()
    assert served.current is not None and "older citeqa" not in caplog.text
    monkeypatch.setattr(runtime, "stored_terms_current", lambda manifest: False)
    assert runtime.warn_older_tokeniser(served.current)
    assert "run `citeqa build` to bring it up to date" in caplog.text


def test_the_model_cache_is_per_user_unless_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CITEQA_MODEL_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert Settings().model_cache_dir == tmp_path / "xdg" / "citeqa" / "models"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert Settings().model_cache_dir == tmp_path / "home" / ".cache" / "citeqa" / "models"
    monkeypatch.setenv("CITEQA_MODEL_CACHE_DIR", "data/models")
    assert Settings().model_cache_dir == Path("data/models")


@pytest.mark.parametrize("field", sorted(EMPTY_IS_UNSET))
@pytest.mark.parametrize("value", ["", "  "])
def test_a_setting_set_empty_counts_as_unset(field: str, value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Trial s16: ``CITEQA_ABSTAIN_MODEL_FILE=`` was the path ``.`` ("Is a directory: '.'"), and an empty
    ``CITEQA_CORPUS_DIR`` or ``CITEQA_MODEL_CACHE_DIR`` the working directory; an empty ``CITEQA_HOST`` bound
    every interface instead of the loopback."""
    monkeypatch.setenv(f"CITEQA_{field.upper()}", value)
    settings = Settings()
    assert getattr(settings, field) == getattr(Settings(_env_prefix="CITEQA_UNSET_"), field)
    assert field not in settings.model_fields_set


@pytest.mark.parametrize("variable", ["CITEQA_API_KEY", "CITEQA_ADMIN_API_KEY"])
@pytest.mark.parametrize("value", ["", "  "])
def test_a_key_set_empty_is_refused(variable: str, value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty admin key used to open the admin endpoints to requests sending an empty key."""
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError, match="empty key"):
        Settings()
